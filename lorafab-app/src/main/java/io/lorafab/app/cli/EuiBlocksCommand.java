package io.lorafab.app.cli;

import io.lorafab.app.views.ApiViews;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.store.model.Assignment;
import io.lorafab.provisioning.service.EuiBlocks;
import io.lorafab.store.model.EuiBlock;
import io.lorafab.store.model.NewEuiBlock;
import io.lorafab.store.model.Product;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lorafab eui-blocks}: the DevEUI ranges units are given identities from. */
@Command(name = "eui-blocks", mixinStandardHelpOptions = true,
        description = "Define and list EUI blocks: ranges of DevEUIs inside the maker's IEEE assignment.",
        subcommands = {EuiBlocksCommand.Create.class, EuiBlocksCommand.ListBlocks.class})
public final class EuiBlocksCommand extends RegistryCommand.Group {

    @Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Create an EUI block. Without --first and --size it spans the whole space under the prefix;",
                    "with --first alone it runs from there to the end of that space. Blocks may not overlap."},
            footer = {"", "Examples:",
                    "  lorafab eui-blocks create --name line-1 --assignment MA-L --prefix 70B3D5 --first 70b3d50000001000 --size 10000",
                    "  lorafab eui-blocks create --name tracker --assignment MA-S --prefix 70B3D57ED --product tracker"})
    static final class Create extends RegistryCommand {

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "unique block name")
        String name;

        @Option(names = "--assignment", required = true, paramLabel = "A",
                description = "IEEE assignment the prefix is: MA-L (6 hex digits), MA-M (7), MA-S (9) or CUSTOM (any)")
        String assignment;

        @Option(names = "--prefix", required = true, paramLabel = "HEX", description = "the assignment's prefix in hex, e.g. 70B3D5")
        String prefix;

        @Option(names = "--first", paramLabel = "EUI", description = "first DevEUI of the block (default: the start of the prefix's space)")
        String first;

        @Option(names = "--size", paramLabel = "N", description = "number of DevEUIs (default: to the end of the prefix's space)")
        Long size;

        @Option(names = "--product", paramLabel = "NAME", description = "reserve the block for this product (default: any product)")
        String product;

        @Option(names = "--json", description = "print the block as JSON")
        boolean json;

        private NewEuiBlock block;

        @Override
        void check() {
            Assignment a = Args.option("--assignment", () -> Assignment.parse(assignment));
            Eui64 firstEui = Args.eui("--first", first);
            // Checked here without a product; the product is given once the database is open.
            block = EuiBlocks.describe(name, a, prefix, firstEui, size);
        }

        @Override
        int run(Lorafab lf, PrintWriter out) {
            Product owner = product == null ? null : lf.products().byName(product);
            EuiBlock created = lf.euiBlocks().create(block, owner, actor());
            io.lorafab.api.model.EuiBlockView view = ApiViews.euiBlock(created, owner == null ? null : owner.name());
            if (json) {
                Output.json(out, view);
            } else {
                Output.record(out, view);
            }
            for (Product p : lf.euiBlocks().productsWithJoinEuiInside(created)) {
                spec.commandLine().getErr().println("note: " + p.joinEui() + " is the JoinEUI of product " + p.name()
                        + ": this block skips it and never hands it out as a DevEUI");
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false,
            description = "List the EUI blocks with their first and last DevEUI, how many are used and how many remain.")
    static final class ListBlocks extends RegistryCommand {

        @Option(names = "--json", description = "print a JSON array")
        boolean json;

        @Override
        int run(Lorafab lf, PrintWriter out) {
            Map<Long, String> productNames = new HashMap<>();
            for (Product p : lf.products().all()) {
                productNames.put(p.id(), p.name());
            }
            List<EuiBlock> blocks = lf.euiBlocks().all();
            if (json) {
                Output.json(out, blocks.stream().map(b -> ApiViews.euiBlock(b, productNames.get(b.productId()))).toList());
                return 0;
            }
            Output.Table t = new Output.Table("ID", "NAME", "PRODUCT", "ASSIGNMENT", "PREFIX", "FIRST", "LAST", "USED",
                    "REMAINING").rightAligned(0, 7, 8);
            for (EuiBlock b : blocks) {
                t.row(b.id(), b.name(), productNames.get(b.productId()), b.assignment().display(), b.prefix(), b.first(),
                        b.last(), b.nextIndex(), b.remaining());
            }
            t.print(out);
            return 0;
        }
    }
}
