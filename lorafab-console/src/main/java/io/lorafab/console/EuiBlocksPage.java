package io.lorafab.console;

import io.lorafab.api.model.CreateEuiBlockRequest;
import io.lorafab.provisioning.service.EuiBlocks;
import io.lorafab.provisioning.service.Products;
import io.lorafab.store.model.EuiBlock;
import io.lorafab.store.model.Product;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code /console/eui-blocks}: the DevEUI ranges units are allocated from, and a new one
 * ({@code /console/eui-blocks/new}) read into the API's {@link CreateEuiBlockRequest} and created by the same
 * {@link EuiBlocks} call as {@code POST /api/eui-blocks}.
 */
public final class EuiBlocksPage implements ConsolePages {
    static final String NEW = "/console/eui-blocks/new";

    private final EuiBlocks blocks;
    private final Products products;

    EuiBlocksPage(EuiBlocks blocks, Products products) {
        this.blocks = blocks;
        this.products = products;
    }

    /** A block as the list shows it, with its product's name (null: shared). */
    public record Row(EuiBlock block, String product) {
        public long used() {
            return Math.min(block.nextIndex(), block.size());
        }
    }

    @Override
    public void register(ConsoleRoutes routes) {
        routes.get(Nav.EUI_BLOCKS.path(), Nav.EUI_BLOCKS.role(), c -> {
            Map<Long, String> names = products.all().stream().collect(Collectors.toMap(Product::id, Product::name));
            c.render("eui_blocks.jte", "EUI blocks", blocks.all().stream()
                    .map(b -> new Row(b, b.productId() == null ? null : names.get(b.productId()))).toList());
        });
        routes.get(NEW, Nav.EUI_BLOCKS.role(), c -> c.render("form.jte", "New EUI block",
                form(FormView.empty(Map.of("assignment", "MA-L"), productNames()))));
        routes.post(NEW, Nav.EUI_BLOCKS.role(), c -> {
            Map<String, String> values = FormRecords.values(CreateEuiBlockRequest.class, c::formParam);
            try {
                EuiBlock b = blocks.create(FormRecords.bind(CreateEuiBlockRequest.class, values), c.principal().actor());
                c.flash("EUI block " + b.name() + " created: " + b.size() + " EUIs from " + b.first() + ".");
                c.redirect(Nav.EUI_BLOCKS.path());
            } catch (RuntimeException e) {
                if (!FormView.isRefusal(e)) {
                    throw e;
                }
                c.render(422, "form.jte", "New EUI block", form(FormView.refused(values, e, productNames())));
            }
        });
    }

    private List<String> productNames() {
        return products.all().stream().map(Product::name).toList();
    }

    private static FormPage form(FormView v) {
        return new FormPage("New EUI block", "A range of DevEUIs under an IEEE assignment (or a custom prefix) that new units "
                + "are numbered from.", NEW, "Create EUI block", List.of(
                        FormPage.Field.text("name", "Name", null, true),
                        FormPage.Field.choice("product", "Product", "none: shared by every product", false, v.choices()),
                        FormPage.Field.choice("assignment", "Assignment", null, true, List.of("MA-L", "MA-M", "MA-S", "CUSTOM")),
                        FormPage.Field.text("prefix", "Prefix", "the assignment's hex digits, e.g. 70B3D5 for an MA-L", true),
                        FormPage.Field.text("first", "First EUI", "16 hex digits; none: the start of the prefix's space", false),
                        FormPage.Field.text("size", "Size", "how many EUIs; none: to the end of the prefix's space", false)),
                v);
    }

}
