package io.lorafab.console;

import io.lorafab.api.model.CloseOrderRequest;
import io.lorafab.api.model.CreateOrderRequest;
import io.lorafab.provisioning.service.Products;
import io.lorafab.provisioning.service.WorkOrders;
import io.lorafab.store.model.Product;
import io.lorafab.store.model.WorkOrder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The work-order forms: a new order ({@code /console/orders/new}), closing one with a reason
 * ({@code /console/orders/{ref}/close}) and reopening it ({@code POST /console/orders/{ref}/reopen}). Each reads the
 * API's request record and calls the same {@link WorkOrders} method as the API, which writes the audit record. The
 * order list and the order's page are {@link EngineerPages}'; these forms lead back to the order's page.
 *
 * <p>Registered before the order page ({@code /console/orders/{ref}}) so that {@code new} is this form, not an
 * order's reference.
 */
final class OrderFormsPage implements ConsolePages {
    static final String NEW = "/console/orders/new";

    private final WorkOrders orders;
    private final Products products;

    OrderFormsPage(WorkOrders orders, Products products) {
        this.orders = orders;
        this.products = products;
    }

    static String orderPath(String ref) {
        return "/console/orders/" + encode(ref);
    }

    static String closePath(String ref) {
        return "/console/orders/" + encode(ref) + "/close";
    }

    static String reopenPath(String ref) {
        return "/console/orders/" + encode(ref) + "/reopen";
    }

    private static String encode(String ref) {
        return URLEncoder.encode(ref, StandardCharsets.UTF_8).replace("+", "%20");
    }

    @Override
    public void register(ConsoleRoutes routes) {
        routes.get(NEW, Nav.ORDERS.role(), c -> {
            String product = c.queryParam("product");
            c.render("form.jte", "New work order", newForm(FormView.empty(
                    product == null ? Map.of() : Map.of("product", product), productNames())));
        });
        routes.post(NEW, Nav.ORDERS.role(), c -> {
            Map<String, String> values = FormRecords.values(CreateOrderRequest.class, c::formParam);
            try {
                WorkOrder w = orders.create(FormRecords.bind(CreateOrderRequest.class, values), c.principal().actor());
                c.flash("Work order " + w.reference() + " opened for " + w.quantity() + " units.");
                c.redirect(orderPath(w.reference()));
            } catch (RuntimeException e) {
                if (!FormView.isRefusal(e)) {
                    throw e;
                }
                c.render(422, "form.jte", "New work order", newForm(FormView.refused(values, e, productNames())));
            }
        });
        routes.get("/console/orders/{ref}/close", Nav.ORDERS.role(), c -> {
            WorkOrder w = order(c.pathParam("ref"));
            c.render("form.jte", "Close " + w.reference(), closeForm(w, FormView.empty(Map.of(), List.of())));
        });
        routes.post("/console/orders/{ref}/close", Nav.ORDERS.role(), c -> {
            WorkOrder w = order(c.pathParam("ref"));
            Map<String, String> values = FormRecords.values(CloseOrderRequest.class, c::formParam);
            try {
                CloseOrderRequest r = FormRecords.bind(CloseOrderRequest.class, values);
                orders.close(w, r.reason(), c.principal().actor());
                c.flash("Work order " + w.reference() + " closed.");
                c.redirect(orderPath(w.reference()));
            } catch (RuntimeException e) {
                if (!FormView.isRefusal(e)) {
                    throw e;
                }
                c.render(422, "form.jte", "Close " + w.reference(), closeForm(w, FormView.refused(values, e, List.of())));
            }
        });
        routes.post("/console/orders/{ref}/reopen", Nav.ORDERS.role(), c -> {
            WorkOrder w = order(c.pathParam("ref"));
            try {
                orders.reopen(w, c.principal().actor());
                c.flash("Work order " + w.reference() + " reopened.");
            } catch (RuntimeException e) {
                if (!FormView.isRefusal(e)) {
                    throw e;
                }
                c.flash(w.reference() + ": " + e.getMessage());
            }
            c.redirect(orderPath(w.reference()));
        });
    }

    private WorkOrder order(String ref) {
        return orders.all().stream().filter(w -> w.reference().equals(ref)).findFirst()
                .orElseThrow(() -> new NotFound("There is no work order " + ref + "."));
    }

    private List<String> productNames() {
        return products.all().stream().map(Product::name).toList();
    }

    private static FormPage newForm(FormView v) {
        return new FormPage("New work order", "Units of one product to build; stations reserve them as they test.", NEW,
                "Open work order", List.of(
                        FormPage.Field.choice("product", "Product", null, true, v.choices()),
                        FormPage.Field.text("quantity", "Quantity", "how many units", true),
                        FormPage.Field.text("reference", "Reference", "none: WO-yyyyMMdd-n, the next free of the day", false)),
                v);
    }

    private static FormPage closeForm(WorkOrder w, FormView v) {
        return new FormPage("Close " + w.reference(), "Stations can no longer reserve its units; it can be reopened.",
                closePath(w.reference()), "Close work order",
                List.of(FormPage.Field.text("reason", "Reason", "one line, kept on the order and in the audit log", false)), v);
    }
}
