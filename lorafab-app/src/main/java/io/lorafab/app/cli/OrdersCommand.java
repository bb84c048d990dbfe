package io.lorafab.app.cli;

import io.lorafab.api.ErrorCode;
import io.lorafab.app.views.ApiViews;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.provisioning.service.WorkOrders;
import io.lorafab.provisioning.model.Identifiers;
import io.lorafab.store.model.Names;
import io.lorafab.store.model.OrderYield;
import io.lorafab.store.model.Product;
import io.lorafab.store.model.UnitState;
import io.lorafab.store.model.WorkOrder;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lorafab orders}: work orders, the batches a line builds. */
@Command(name = "orders", mixinStandardHelpOptions = true,
        description = "Create, list, show, close and reopen work orders (N units of a product).",
        subcommands = {OrdersCommand.Create.class, OrdersCommand.ListOrders.class, OrdersCommand.Show.class,
                OrdersCommand.Close.class, OrdersCommand.Reopen.class})
public final class OrdersCommand extends RegistryCommand.Group {

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
            if (!WorkOrders.validQuantity(quantity)) {
                throw new LorafabCommand.UserException("--quantity: must be positive");
            }
            if (reference != null) {
                reference = Args.option("--reference", () -> Identifiers.workOrderReference(reference));
            }
        }

        @Override
        int run(Lorafab lf, PrintWriter out) {
            Product p = lf.products().byName(product);
            WorkOrder created = lf.workOrders().create(reference, p, quantity, actor());
            io.lorafab.api.model.WorkOrderView view = ApiViews.workOrder(created, p.name());
            if (json) {
                Output.json(out, view);
            } else {
                Output.record(out, view);
            }
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, sortOptions = false, description = "List the work orders.")
    static final class ListOrders extends RegistryCommand {

        @Option(names = "--json", description = "print a JSON array")
        boolean json;

        @Override
        int run(Lorafab lf, PrintWriter out) {
            Map<Long, String> productNames = new HashMap<>();
            for (Product p : lf.products().all()) {
                productNames.put(p.id(), p.name());
            }
            List<WorkOrder> orders = lf.workOrders().all();
            if (json) {
                Output.json(out, orders.stream().map(o -> ApiViews.workOrder(o, productNames.get(o.productId()))).toList());
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
            description = {"Show a work order: its product, how many of its units are in each state,",
                    "the yield (passed / (passed + failed), by the units' current state), the",
                    "first-pass yield (units whose first test run passed / units tested), re-tests",
                    "(units tested more than once, and the runs beyond each one's first), and the",
                    "failures: each unit that failed at least once counted once, by the reason",
                    "code and the station of its latest failed run."})
    static final class Show extends RegistryCommand {

        @Parameters(index = "0", paramLabel = "REF", description = "the work order's reference")
        String reference;

        @Option(names = "--json", description = "print one JSON object")
        boolean json;

        @Override
        int run(Lorafab lf, PrintWriter out) {
            WorkOrders.Report report = lf.workOrders().report(lf.workOrders().byReference(reference));
            WorkOrder o = report.order();
            Product p = report.product();
            OrderYield y = report.yield();
            Map<String, Object> countView = new LinkedHashMap<>();
            for (UnitState s : UnitState.values()) {
                countView.put(s.name(), y.count(s));
            }
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("order", ApiViews.workOrder(o, p.name()));
                m.put("product", ApiViews.product(p, lf.products().netIds(p)));
                m.put("units", y.units());
                m.put("counts", countView);
                m.put("yield", y.finalYield());
                m.put("testing", ApiViews.orderYield(y));
                Output.json(out, m);
                return 0;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("reference", o.reference());
            m.put("state", o.state().name());
            if (o.closure() != null) {
                m.put("closed", o.closure().at() + " by " + o.closure().by()
                        + (o.closure().reason() == null ? "" : " (reason: " + o.closure().reason() + ")"));
            }
            m.put("quantity", o.quantity());
            m.put("createdAt", o.createdAt());
            m.put("product", p.name());
            m.put("joinEui", p.joinEui());
            m.put("macVersion", p.macVersion().text());
            m.put("region", p.region().name());
            m.put("profileId", p.profileId());
            m.put("units", y.units());
            m.put("yield", y.finalYield() == null ? null : percent(y.finalYield()) + " (" + y.count(UnitState.PASSED)
                    + " passed, " + y.count(UnitState.FAILED) + " failed)");
            m.put("firstPassYield", y.firstPassYield() == null ? null : percent(y.firstPassYield()) + " (" + y.firstPassUnits()
                    + " of " + y.testedUnits() + " tested units passed their first run)");
            m.put("retests", y.retestedUnits() + " " + plural(y.retestedUnits(), "unit") + " tested more than once, "
                    + y.extraRuns() + " extra " + plural(y.extraRuns(), "run"));
            m.put("stationFaults", y.stationFaultRuns() + " " + plural(y.stationFaultRuns(), "run") + " on "
                    + y.stationFaultUnits() + " " + plural(y.stationFaultUnits(), "unit")
                    + " ended by the test station (gateway, server), not counted as tests of the unit");
            m.put("counts", countView);
            Output.record(out, m);
            if (!y.failuresByReason().isEmpty()) {
                Map<String, Object> sections = new LinkedHashMap<>();
                sections.put("failures by reason (" + y.failedAtLeastOnce() + " " + plural(y.failedAtLeastOnce(), "unit")
                        + " failed at least once; each counted once, by its latest failed run)", failureView(y.failuresByReason()));
                sections.put("failures by station (of that latest failed run)", failureView(y.failuresByStation()));
                Output.record(out, sections);
            }
            return 0;
        }

        private static Map<String, Object> failureView(List<OrderYield.FailureCount> counts) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (OrderYield.FailureCount f : counts) {
                m.put(f.key() == null ? "-" : f.key(), f.units());
            }
            return m;
        }

        private static String percent(double ratio) {
            return String.format(java.util.Locale.ROOT, "%.1f%%", ratio * 100);
        }

        private static String plural(long n, String word) {
            return n == 1 ? word : word + "s";
        }
    }

    @Command(name = "close", mixinStandardHelpOptions = true, sortOptions = false,
            description = {"Close a work order: from now on it refuses reservations (allocated and",
                    "scanned labels alike, code work_order_closed); units already reserved can",
                    "still be programmed, finished and voided. Audited as work_order.close.",
                    "Closing a closed order is refused."},
            footer = {"", "Example:", "  lorafab orders close WO-0001 --reason 'batch complete'"})
    static final class Close extends RegistryCommand {

        @Parameters(index = "0", paramLabel = "REF", description = "the work order's reference")
        String reference;

        @Option(names = "--reason", paramLabel = "TEXT", description = "why (one line, up to 100 characters; kept with the order and in the audit log)")
        String reason;

        @Option(names = "--json", description = "print the order as JSON")
        boolean json;

        @Override
        void check() {
            if (reason != null) {
                reason = Args.option("--reason", () -> Names.optional(reason, "reason"));
            }
        }

        @Override
        int run(Lorafab lf, PrintWriter out) {
            WorkOrder o = lf.workOrders().close(lf.workOrders().byReference(reference), reason, actor());
            printOrder(lf, o, json, out);
            return 0;
        }
    }

    @Command(name = "reopen", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Reopen a closed work order: it hands out identities again. Audited as work_order.reopen.")
    static final class Reopen extends RegistryCommand {

        @Parameters(index = "0", paramLabel = "REF", description = "the work order's reference")
        String reference;

        @Option(names = "--json", description = "print the order as JSON")
        boolean json;

        @Override
        int run(Lorafab lf, PrintWriter out) {
            printOrder(lf, lf.workOrders().reopen(lf.workOrders().byReference(reference), actor()), json, out);
            return 0;
        }
    }

    private static void printOrder(Lorafab lf, WorkOrder o, boolean json, PrintWriter out) {
        String product = lf.registry().product(o.productId()).map(Product::name).orElse(null);
        io.lorafab.api.model.WorkOrderView view = ApiViews.workOrder(o, product);
        if (json) {
            Output.json(out, view);
        } else {
            Output.record(out, view);
        }
    }
}
