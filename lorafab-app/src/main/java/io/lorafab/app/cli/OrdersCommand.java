package io.lorafab.app.cli;

import io.lorafab.app.views.JsonViews;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.store.Registry;
import io.lorafab.store.StoreException;
import io.lorafab.provisioning.model.Identifiers;
import io.lorafab.store.model.Product;
import io.lorafab.store.model.UnitState;
import io.lorafab.store.model.WorkOrder;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lorafab orders}: work orders, the batches a line builds. */
@Command(name = "orders", mixinStandardHelpOptions = true,
        description = "Create, list and show work orders (N units of a product).",
        subcommands = {OrdersCommand.Create.class, OrdersCommand.ListOrders.class, OrdersCommand.Show.class})
public final class OrdersCommand extends RegistryCommand.Group {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");

    @Command(name = "create", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Create an open work order for a product.",
            footer = {"", "Example:", "  lorafab orders create --product tracker --quantity 5000"})
    static final class Create extends RegistryCommand {

        @Option(names = "--product", required = true, paramLabel = "NAME", description = "the product to build")
        String product;

        @Option(names = "--quantity", required = true, paramLabel = "N", description = "number of units")
        int quantity;

        @Option(names = "--reference", paramLabel = "REF", description = "unique reference (default: WO-<yyyyMMdd>-<n>, the next free n of the day, UTC)")
        String reference;

        @Option(names = "--json", description = "print the order as JSON")
        boolean json;

        @Override
        void check() {
            if (quantity <= 0) {
                throw new LorafabCommand.UserException("--quantity: must be positive");
            }
            if (reference != null) {
                reference = Args.option("--reference", () -> Identifiers.workOrderReference(reference));
            }
        }

        @Override
        int run(Lorafab lf, PrintWriter out) {
            Product p = Args.product(lf.registry(), product);
            WorkOrder created = null;
            for (int attempt = 0; created == null; attempt++) {
                String ref = reference != null ? reference : nextReference(lf.registry(), Clock.systemUTC());
                try {
                    created = lf.provisioning().createWorkOrder(ref, p, quantity, actor());
                } catch (StoreException e) {
                    // a generated reference taken meanwhile by another process: take the next one
                    if (reference != null || !"duplicate".equals(e.code()) || attempt >= 4) {
                        throw e;
                    }
                }
            }
            Map<String, Object> view = JsonViews.workOrder(created, p.name(), null);
            if (json) {
                Output.json(out, view);
            } else {
                Output.record(out, view);
            }
            return 0;
        }
    }

    /** WO-yyyyMMdd-n with n one more than the highest n used today (UTC). */
    static String nextReference(Registry registry, Clock clock) {
        String prefix = "WO-" + LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).format(DAY) + "-";
        long max = 0;
        for (WorkOrder o : registry.workOrders()) {
            String ref = o.reference();
            if (ref.startsWith(prefix) && ref.length() > prefix.length() && ref.length() <= prefix.length() + 9
                    && ref.substring(prefix.length()).chars().allMatch(Character::isDigit)) {
                max = Math.max(max, Long.parseLong(ref.substring(prefix.length())));
            }
        }
        return prefix + (max + 1);
    }

    @Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false, description = "List the work orders.")
    static final class ListOrders extends RegistryCommand {

        @Option(names = "--json", description = "print a JSON array")
        boolean json;

        @Override
        int run(Lorafab lf, PrintWriter out) {
            Map<Long, String> productNames = new HashMap<>();
            for (Product p : lf.registry().products()) {
                productNames.put(p.id(), p.name());
            }
            List<WorkOrder> orders = lf.registry().workOrders();
            if (json) {
                Output.json(out, orders.stream().map(o -> JsonViews.workOrder(o, productNames.get(o.productId()), null)).toList());
                return 0;
            }
            Output.Table t = new Output.Table("REFERENCE", "PRODUCT", "QUANTITY", "STATE", "CREATED").rightAligned(2);
            for (WorkOrder o : orders) {
                t.row(o.reference(), productNames.get(o.productId()), o.quantity(), o.state(), o.createdAt());
            }
            t.print(out);
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Show a work order: its product, how many of its units are in each state, and the yield",
                    "(passed / (passed + failed), by the units' current state)."})
    static final class Show extends RegistryCommand {

        @Parameters(index = "0", paramLabel = "REF", description = "the work order's reference")
        String reference;

        @Option(names = "--json", description = "print one JSON object")
        boolean json;

        @Override
        int run(Lorafab lf, PrintWriter out) {
            WorkOrder o = Args.workOrder(lf.registry(), reference);
            Product p = lf.registry().product(o.productId()).orElseThrow(() -> StoreException.notFound("product " + o.productId()));
            Map<UnitState, Long> counts = lf.registry().unitCounts(o.id());
            Map<String, Object> countView = new LinkedHashMap<>();
            long total = 0;
            for (UnitState s : UnitState.values()) {
                long n = counts.getOrDefault(s, 0L);
                countView.put(s.name(), n);
                total += n;
            }
            long passed = counts.getOrDefault(UnitState.PASSED, 0L);
            long failed = counts.getOrDefault(UnitState.FAILED, 0L);
            Double yield = passed + failed == 0 ? null : (double) passed / (passed + failed);
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("order", JsonViews.workOrder(o, p.name(), null));
                m.put("product", JsonViews.product(p));
                m.put("units", total);
                m.put("counts", countView);
                m.put("yield", yield);
                Output.json(out, m);
                return 0;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("reference", o.reference());
            m.put("state", o.state().name());
            m.put("quantity", o.quantity());
            m.put("createdAt", o.createdAt());
            m.put("product", p.name());
            m.put("joinEui", p.joinEui());
            m.put("macVersion", p.macVersion().text());
            m.put("region", p.region());
            m.put("profileId", p.profileId());
            m.put("units", total);
            m.put("yield", yield == null ? null : String.format(java.util.Locale.ROOT, "%.1f%% (%d passed, %d failed)",
                    yield * 100, passed, failed));
            m.put("counts", countView);
            Output.record(out, m);
            return 0;
        }
    }
}
