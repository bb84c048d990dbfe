package io.lorafab.console;

import io.lorafab.api.model.CreateProductRequest;
import io.lorafab.api.model.NetIdsRequest;
import io.lorafab.lorawan.region.Region;
import io.lorafab.provisioning.service.Products;
import io.lorafab.store.model.Product;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * {@code /console/products}: the products, as {@code lorafab products list} shows them (engineer and up); a new
 * product ({@code /console/products/new}) and a product's NetIDs ({@code /console/products/{name}/net-ids}), the
 * only change the API allows on a product. Both forms are read into the API's request records and handed to the
 * same {@link Products} calls, so that input is refused with the API's own message.
 */
public final class ProductsPage implements ConsolePages {
    static final String NEW = "/console/products/new";

    private static final List<String> MAC_VERSIONS = List.of("1.0.2", "1.0.3", "1.0.4", "1.1");

    private final Products products;

    ProductsPage(Products products) {
        this.products = products;
    }

    @Override
    public void register(ConsoleRoutes routes) {
        routes.get(Nav.PRODUCTS.path(), Nav.PRODUCTS.role(), c -> c.render("products.jte", "Products", products.all()));
        routes.get(NEW, Nav.PRODUCTS.role(), c -> c.render("form.jte", "New product", newForm(FormView.empty(
                Map.of("macVersion", "1.0.3", "region", "EU868"), List.of()))));
        routes.post(NEW, Nav.PRODUCTS.role(), this::create);
        routes.get("/console/products/{name}/net-ids", Nav.PRODUCTS.role(), c -> {
            Product p = product(c.pathParam("name"));
            String ids = products.netIds(p).toString();
            c.render("form.jte", "NetIDs of " + p.name(), netIdsForm(p, FormView.empty(Map.of("netIds", ids), List.of())));
        });
        routes.post("/console/products/{name}/net-ids", Nav.PRODUCTS.role(), this::setNetIds);
    }

    private void create(ConsoleContext c) {
        Map<String, String> values = FormRecords.values(CreateProductRequest.class, c::formParam);
        try {
            Product p = products.create(FormRecords.bind(CreateProductRequest.class, values), c.principal().actor());
            c.flash("Product " + p.name() + " created.");
            c.redirect(Nav.PRODUCTS.path());
        } catch (RuntimeException e) {
            if (!FormView.isRefusal(e)) {
                throw e;
            }
            c.render(422, "form.jte", "New product", newForm(FormView.refused(values, e, List.of())));
        }
    }

    private void setNetIds(ConsoleContext c) {
        Product p = product(c.pathParam("name"));
        Map<String, String> values = FormRecords.values(NetIdsRequest.class, c::formParam);
        try {
            // an empty field is the API's empty list, not a missing one
            List<String> ids = values.get("netIds").isBlank() ? List.of()
                    : FormRecords.bind(NetIdsRequest.class, values).netIds();
            products.setNetIds(p, Products.netIds(ids), c.principal().actor());
            c.flash("NetIDs of " + p.name() + " set.");
            c.redirect(Nav.PRODUCTS.path());
        } catch (RuntimeException e) {
            if (!FormView.isRefusal(e)) {
                throw e;
            }
            c.render(422, "form.jte", "NetIDs of " + p.name(), netIdsForm(p, FormView.refused(values, e, List.of())));
        }
    }

    private Product product(String name) {
        return products.all().stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new NotFound("There is no product named " + name + "."));
    }

    public static String netIdsPath(Product p) {
        return "/console/products/" + URLEncoder.encode(p.name(), StandardCharsets.UTF_8).replace("+", "%20") + "/net-ids";
    }

    private static FormPage newForm(FormView v) {
        return new FormPage("New product", "What the line builds: its JoinEUI, LoRaWAN version, region and device profile.",
                NEW, "Create product", List.of(
                        FormPage.Field.text("name", "Name", null, true),
                        FormPage.Field.text("joinEui", "JoinEUI", "16 hex digits, e.g. 70B3D57ED0000001", true),
                        FormPage.Field.choice("macVersion", "MAC version", null, true, MAC_VERSIONS),
                        FormPage.Field.choice("region", "Region", null, true,
                                Region.all().stream().map(Region::name).toList()),
                        FormPage.Field.text("profileId", "Device profile", "8 hex digits (vendor ID and model ID), or both below", false),
                        FormPage.Field.text("vendorId", "Vendor ID", null, false),
                        FormPage.Field.text("modelId", "Model ID", null, false),
                        FormPage.Field.text("programmingProfile", "Programming profile", "how stations program it, e.g. at:rak3172", false),
                        FormPage.Field.text("rssiMinDbm", "RSSI minimum (dBm)", "a test passes at or above it", false),
                        FormPage.Field.text("snrMinDb", "SNR minimum (dB)", null, false),
                        FormPage.Field.text("downlinkRssiMinDbm", "Downlink RSSI minimum (dBm)",
                                "the test downlink as the module measures it", false),
                        FormPage.Field.text("downlinkSnrMinDb", "Downlink SNR minimum (dB)", null, false),
                        FormPage.Field.checkbox("certificationProfile", "TS009 end-of-line profile",
                                "the firmware implements the LoRaWAN certification protocol on FPort 224: versions, echo,"
                                        + " downlink count"),
                        FormPage.Field.text("certificationDataRates", "Certification data rates",
                                "uplink DRs of the region to echo on, e.g. 5, 4, 3 (empty: one echo at any); a board on its"
                                        + " own firmware must step them itself", false),
                        FormPage.Field.text("certificationFirmwareVersion", "Certification firmware version",
                                "the version units must report, e.g. 1.4.2 (add .revision to compare it too)", false),
                        FormPage.Field.text("serialTemplate", "Serial template", "e.g. {product}-{yyMM}-{seq:06} (the default)", false),
                        FormPage.Field.text("netIds", "NetIDs", "network servers that may join its devices, separated by commas", false)),
                v);
    }

    private static FormPage netIdsForm(Product p, FormView v) {
        return new FormPage("NetIDs of " + p.name(), "The network servers (NetIDs) that may join this product's devices over "
                + "Backend Interfaces and so receive their session keys. Empty clears them.", netIdsPath(p), "Set NetIDs",
                List.of(FormPage.Field.text("netIds", "NetIDs", "6 hex digits each, separated by commas", false)), v);
    }
}
