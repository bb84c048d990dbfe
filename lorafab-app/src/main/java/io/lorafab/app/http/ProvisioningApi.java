package io.lorafab.app.http;

import io.lorafab.api.ErrorCode;
import io.lorafab.app.views.JsonViews;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lorafab.app.wiring.ExportKeks;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.lorawan.region.Region;
import io.lorafab.provisioning.io.DeviceCsvImport;
import io.lorafab.provisioning.io.DeviceExportFormat;
import io.lorafab.provisioning.io.ExportOptions;
import io.lorafab.provisioning.io.ImportException;
import io.lorafab.provisioning.label.LabelData;
import io.lorafab.provisioning.label.LabelLayout;
import io.lorafab.provisioning.label.LabelSheet;
import io.lorafab.provisioning.label.Zpl;
import io.lorafab.provisioning.label.ZplLayout;
import io.lorafab.provisioning.service.AuditTrail;
import io.lorafab.provisioning.service.EuiBlocks;
import io.lorafab.provisioning.service.NewDevice;
import io.lorafab.provisioning.service.Provisioning;
import io.lorafab.store.model.AllowedNetIds;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.ProfileId;
import io.lorafab.provisioning.service.ApiTokens;
import io.lorafab.provisioning.service.Reservation;
import io.lorafab.provisioning.service.ReserveRequest;
import io.lorafab.provisioning.service.WorkOrders;
import io.lorafab.store.model.AuditQuery;
import io.lorafab.store.Registry;
import io.lorafab.store.model.Assignment;
import io.lorafab.store.model.NewEuiBlock;
import io.lorafab.store.model.NewProduct;
import io.lorafab.store.model.Product;
import io.lorafab.store.model.Role;
import io.lorafab.store.model.TestResult;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.UnitQuery;
import io.lorafab.store.model.SerialTemplate;
import io.lorafab.store.model.UnitState;
import io.lorafab.store.model.WorkOrder;
import io.lorafab.store.vault.KeyRotation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry and provisioning endpoints under /api: each route reads its input, calls one application service
 * (the same the command line calls) and renders the result. No rule and no audit record is written here.
 */
final class ProvisioningApi {

    private final Lorafab lf;
    private final io.lorafab.store.Registry registry;
    private final ObjectMapper json;

    ProvisioningApi(Lorafab lf, ObjectMapper json) {
        this.lf = lf;
        this.registry = lf.registry();
        this.json = json;
    }

    void register(ApiServer s) {
        s.route("GET", "/api/health", null, r -> ok(Map.of("status", "ok", "database", lf.database().dialect().name().toLowerCase())));
        s.route("GET", "/api/openapi.json", null, r -> HttpResponse.json(200, io.lorafab.api.OpenApi.bytes()));

        s.route("POST", "/api/products", Role.ENGINEER, this::createProduct);
        s.route("GET", "/api/products", Role.OPERATOR, r -> ok(lf.products().all().stream()
                .map(p -> JsonViews.product(p, lf.products().netIds(p))).toList()));
        s.route("PUT", "/api/products/{name}/net-ids", Role.ENGINEER, r -> {
            Product p = lf.products().byName(r.path("name"));
            AllowedNetIds ids = netIds(r.jsonBody(), "netIds");
            if (ids == null) {
                throw ApiException.badRequest(ErrorCode.INVALID_INPUT, "missing field 'netIds'");
            }
            lf.products().setNetIds(p, ids, r.actor());
            return ok(JsonViews.product(p, lf.products().netIds(p)));
        });
        s.route("POST", "/api/eui-blocks", Role.ENGINEER, this::createBlock);
        s.route("GET", "/api/eui-blocks", Role.OPERATOR, r -> ok(lf.euiBlocks().all().stream().map(b -> JsonViews.euiBlock(b, null)).toList()));

        s.route("POST", "/api/orders", Role.ENGINEER, this::createOrder);
        s.route("GET", "/api/orders", Role.OPERATOR, r -> ok(lf.workOrders().all().stream()
                .map(w -> JsonViews.workOrder(w, productName(w.productId()), null)).toList()));
        s.route("GET", "/api/orders/{ref}", Role.OPERATOR, r -> {
            WorkOrders.Report report = lf.workOrders().report(order(r.path("ref")));
            Map<String, Object> m = JsonViews.workOrder(report.order(), report.product().name(), report.yield().counts());
            m.put("testing", JsonViews.orderYield(report.yield()));
            return ok(m);
        });
        s.route("POST", "/api/orders/{ref}/reserve", Role.OPERATOR, this::reserve);
        s.route("POST", "/api/orders/{ref}/close", Role.ENGINEER, r -> {
            JsonNode b = r.body().length == 0 ? json.createObjectNode() : r.jsonBody();
            WorkOrder w = lf.workOrders().close(order(r.path("ref")), text(b, "reason", false), r.actor());
            return ok(JsonViews.workOrder(w, productName(w.productId()), null));
        });
        s.route("POST", "/api/orders/{ref}/reopen", Role.ENGINEER, r -> {
            WorkOrder w = lf.workOrders().reopen(order(r.path("ref")), r.actor());
            return ok(JsonViews.workOrder(w, productName(w.productId()), null));
        });

        s.route("GET", "/api/units", Role.OPERATOR, this::listUnits);
        s.route("GET", "/api/units/{devEui}", Role.OPERATOR, r -> {
            Unit u = unit(r.path("devEui"));
            Map<String, Object> m = JsonViews.unitsNamedFrom(registry).apply(u);
            m.put("testRuns", lf.provisioning().testRuns(u).stream().map(JsonViews::testRun).toList());
            return ok(m);
        });
        s.route("POST", "/api/units/{devEui}/programmed", Role.OPERATOR, r -> ok(JsonViews.unit(lf.provisioning()
                .markProgrammed(Eui64.parse(r.path("devEui")), text(r.jsonBody(), "stationId", false), r.actor()))));
        s.route("POST", "/api/units/{devEui}/finish", Role.OPERATOR, this::finish);
        s.route("POST", "/api/units/{devEui}/void", Role.OPERATOR, r -> ok(JsonViews.unit(lf.provisioning()
                .voidUnit(Eui64.parse(r.path("devEui")), text(r.jsonBody(), "reason", false), r.actor()))));

        s.route("POST", "/api/units/{devEui}/reassign", Role.ENGINEER, r -> ok(JsonViews.unit(lf.provisioning()
                .reassign(Eui64.parse(r.path("devEui")), text(r.jsonBody(), "stationId", true), r.actor()))));
        s.route("POST", "/api/units/{devEui}/retest", Role.OPERATOR, r -> {
            JsonNode b = r.jsonBody();
            return ok(reservationView(lf.provisioning().retest(Eui64.parse(r.path("devEui")), text(b, "stationId", true),
                    text(b, "reason", true), r.actor())));
        });

        s.route("POST", "/api/devices", Role.ENGINEER, this::addDevice);
        s.route("POST", "/api/devices/import", Role.ENGINEER, ApiServer.Body.UPLOAD, this::importDevices);
        s.route("GET", "/api/export", Role.ADMIN, this::export);
        s.route("GET", "/api/orders/{ref}/labels", Role.OPERATOR, this::labels);
        s.route("GET", "/api/units/{devEui}/label", Role.OPERATOR, this::unitLabel);

        s.route("POST", "/api/tokens", Role.ADMIN, r -> {
            JsonNode b = r.jsonBody();
            Role role = Role.parse(text(b, "role", true));
            ApiTokens.Created c = lf.tokens().create(text(b, "name", true), role, r.actor());
            Map<String, Object> m = JsonViews.token(c.token());
            m.put("token", c.secret());
            return created(m);
        });
        s.route("GET", "/api/tokens", Role.ADMIN, r -> ok(lf.tokens().all().stream().map(JsonViews::token).toList()));
        s.route("DELETE", "/api/tokens/{id}", Role.ADMIN, r -> {
            lf.tokens().revoke(parseLong(r.path("id"), "token id"), r.actor());
            return ok(Map.of("revoked", true));
        });
        s.route("POST", "/api/keys/rotate", Role.ADMIN, r -> {
            JsonNode b = r.body().length == 0 ? json.createObjectNode() : r.jsonBody();
            KeyRotation.Result res = lf.keys().rotate(b.hasNonNull("label") ? b.get("label").asText() : null, r.actor());
            return ok(Map.of("label", res.newLabel(), "previous", res.previousLabel(), "rewrapped", res.rewrapped(),
                    "units", res.units(), "sessions", res.sessions()));
        });
        s.route("GET", "/api/audit", Role.ADMIN, r -> ok(lf.auditTrail().find(auditFilter(r), name -> name).stream()
                .map(JsonViews::audit).toList()));
    }

    /** The filters of {@code GET /api/audit}, as {@code lorafab audit} takes them (see {@link AuditTrail}). */
    private static AuditTrail.Filter auditFilter(HttpRequest r) {
        String unit = r.query("unit");
        return new AuditTrail.Filter(r.query("actor"), r.query("action"),
                unit == null || unit.isBlank() ? null : Eui64.parse(unit.strip()),
                r.query("since"), r.query("until"), AuditQuery.parseLimit(r.query("limit")));
    }

    private HttpResponse createProduct(HttpRequest r) throws IOException {
        JsonNode b = r.jsonBody();
        ProfileId profile = b.hasNonNull("profileId") ? ProfileId.parse(b.get("profileId").asText())
                : new ProfileId(integer(b, "vendorId"), integer(b, "modelId"));
        AllowedNetIds netIds = netIds(b, "netIds");
        Product p = lf.products().create(new NewProduct(text(b, "name", true), Eui64.parse(text(b, "joinEui", true)),
                MacVersion.parse(text(b, "macVersion", true)), Region.byName(text(b, "region", true)), profile,
                text(b, "programmingProfile", false), number(b, "rssiMinDbm"), number(b, "snrMinDb"),
                b.hasNonNull("serialTemplate") ? SerialTemplate.parse(b.get("serialTemplate").asText()) : null), netIds, r.actor());
        return created(JsonViews.product(p, lf.products().netIds(p)));
    }

    private HttpResponse createBlock(HttpRequest r) throws IOException {
        JsonNode b = r.jsonBody();
        Product owner = b.hasNonNull("product") ? lf.products().byName(b.get("product").asText()) : null;
        NewEuiBlock described = EuiBlocks.describe(text(b, "name", true), Assignment.parse(text(b, "assignment", true)),
                text(b, "prefix", true), b.hasNonNull("first") ? Eui64.parse(b.get("first").asText()) : null,
                b.hasNonNull("size") ? b.get("size").asLong() : null);
        var block = lf.euiBlocks().create(described, owner, r.actor());
        return created(JsonViews.euiBlock(block, owner == null ? null : owner.name()));
    }

    private HttpResponse createOrder(HttpRequest r) throws IOException {
        JsonNode b = r.jsonBody();
        Product p = lf.products().byName(text(b, "product", true));
        WorkOrder w = lf.workOrders().create(text(b, "reference", false), p, integer(b, "quantity"), r.actor());
        return created(JsonViews.workOrder(w, p.name(), registry.unitCounts(w.id())));
    }

    private HttpResponse reserve(HttpRequest r) throws IOException {
        JsonNode b = r.body().length == 0 ? json.createObjectNode() : r.jsonBody();
        Reservation res = lf.provisioning().reserve(new ReserveRequest(r.path("ref"), text(b, "stationId", false),
                text(b, "scanned", false), text(b, "serial", false)), r.actor());
        // a new unit is created (201); a label scanned again hands out the unit already reserved (200, resumed)
        return res.resumed() ? ok(reservationView(res)) : created(reservationView(res));
    }

    /** A unit with its keys, as a station takes it: the product's pass thresholds travel with it. */
    private Map<String, Object> reservationView(Reservation res) {
        Product product = res.unit().productId() == null ? null : registry.product(res.unit().productId()).orElse(null);
        String order = res.unit().workOrderId() == null ? null
                : registry.workOrder(res.unit().workOrderId()).map(WorkOrder::reference).orElse(null);
        Map<String, Object> view = JsonViews.reservation(res, product == null ? null : product.name(), order);
        view.put("rssiMinDbm", product == null ? null : product.rssiMinDbm());
        view.put("snrMinDb", product == null ? null : product.snrMinDb());
        return view;
    }

    private HttpResponse finish(HttpRequest r) throws IOException {
        JsonNode b = r.jsonBody();
        TestResult result;
        try {
            result = TestResult.valueOf(text(b, "result", true).toUpperCase());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(ErrorCode.INVALID_INPUT, "result must be PASSED, FAILED or STATION_FAULT");
        }
        JsonNode m = b.get("measurements");
        String measurements = m == null || m.isNull() ? "{}" : json.writeValueAsString(m);
        if (m != null && !m.isNull() && !m.isObject()) {
            throw ApiException.badRequest(ErrorCode.INVALID_INPUT, "measurements must be a JSON object");
        }
        Unit u = lf.provisioning().finish(Eui64.parse(r.path("devEui")), result, text(b, "reasonCode", false), measurements,
                text(b, "stationId", false), r.actor());
        return ok(JsonViews.unit(u));
    }

    private HttpResponse listUnits(HttpRequest r) throws IOException {
        Long orderId = r.query("order") == null ? null : order(r.query("order")).id();
        UnitState state = null;
        if (r.query("state") != null) {
            try {
                state = UnitState.valueOf(r.query("state").toUpperCase());
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(ErrorCode.INVALID_INPUT, "unknown state " + r.query("state"));
            }
        }
        long after = r.query("after") == null ? 0 : parseLong(r.query("after"), "after");
        int limit = limit(r, 1000, 10_000);
        List<Unit> units = lf.provisioning().units(new UnitQuery(orderId, state, null, r.query("station"), r.query("serial"), after, limit));
        List<Map<String, Object>> out = new ArrayList<>();
        var named = JsonViews.unitsNamedFrom(registry);
        for (Unit u : units) {
            out.add(named.apply(u));
        }
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("units", out);
        page.put("next", units.size() == limit ? units.get(units.size() - 1).id() : null);
        return ok(page);
    }

    private HttpResponse addDevice(HttpRequest r) throws IOException {
        JsonNode b = r.jsonBody();
        Product product = b.hasNonNull("product") ? lf.products().byName(b.get("product").asText()) : null;
        NewDevice d = new NewDevice(Eui64.parse(text(b, "devEui", true)), Eui64.parse(text(b, "joinEui", true)),
                key(b, "appKey", true), key(b, "nwkKey", false),
                b.hasNonNull("macVersion") ? MacVersion.parse(b.get("macVersion").asText()) : null,
                b.hasNonNull("region") ? Region.byName(b.get("region").asText()) : null,
                text(b, "serial", false), text(b, "name", false));
        Unit u = lf.provisioning().addDevice(d, product, netIds(b, "netIds"), r.actor());
        Map<String, Object> view = JsonViews.unit(u);
        view.put("netIds", registry.allowedNetIds(u.devEui()).texts());
        return created(view);
    }

    private HttpResponse importDevices(HttpRequest r) throws IOException {
        Product p = r.query("product") == null ? null : lf.products().byName(r.query("product"));
        MacVersion v = Provisioning.macVersionOf(r.query("macVersion") == null ? null : MacVersion.parse(r.query("macVersion")), p);
        Region region = Provisioning.regionOf(r.query("region") == null ? null : Region.byName(r.query("region")), p);
        io.lorafab.provisioning.io.ImportFile file;
        try {
            file = new DeviceCsvImport(v, region).readFile(r.body());
        } catch (ImportException e) {
            return importRefused(ErrorCode.INVALID_CSV, e);
        }
        List<Unit> units;
        try {
            units = lf.provisioning().importRows(file, p == null ? null : p.id(),
                    r.query("netIds") == null ? null : AllowedNetIds.parse(r.query("netIds")), r.actor());
        } catch (ImportException e) {
            // a faulty row makes the file invalid; only a file whose every fault is a clash with the registry is a conflict
            boolean fileFaults = !file.problems().isEmpty();
            return importRefused(fileFaults ? ErrorCode.INVALID_CSV : ErrorCode.DUPLICATE, e);
        }
        return created(Map.of("imported", units.size()));
    }

    /** An import refused: the stable code, and every row at fault with its line and column. */
    private HttpResponse importRefused(ErrorCode code, ImportException e) throws IOException {
        Map<String, Object> err = new LinkedHashMap<>();
        err.put("code", code.code());
        err.put("message", e.rowSummary() + ", nothing imported");
        err.put("rejectedRows", e.rejectedRows());
        err.put("truncated", e.truncated());
        err.put("rows", e.errors().stream().map(x -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("line", x.line());
            m.put("column", x.column());
            m.put("message", x.message());
            return m;
        }).toList());
        return HttpResponse.json(code.httpStatus(), json.writeValueAsBytes(Map.of("error", err)));
    }

    private HttpResponse export(HttpRequest r) {
        String f = r.query("format");
        if (f == null) {
            throw ApiException.badRequest(ErrorCode.INVALID_INPUT, "query parameter 'format' is required");
        }
        DeviceExportFormat format;
        try {
            format = DeviceExportFormat.byId(f);
        } catch (RuntimeException e) {
            throw ApiException.badRequest(ErrorCode.INVALID_INPUT, e.getMessage());
        }
        ExportOptions o = ExportOptions.defaults();
        if (r.query("wrapKekLabel") != null) {
            o = o.withWrapKek(ExportKeks.byLabel(r.query("wrapKekLabel"), lf.env(), lf.dataDir()));
        }
        if (r.query("applicationId") != null) {
            o = o.withApplicationId(r.query("applicationId"));
        }
        if (r.query("deviceProfileId") != null) {
            o = o.withDeviceProfileId(r.query("deviceProfileId"));
        }
        if (r.query("frequencyPlan") != null) {
            o = o.withFrequencyPlanId(r.query("frequencyPlan"));
        }
        Long orderId = r.query("order") == null ? null : order(r.query("order")).id();
        byte[] body = lf.exports().export(format, o, orderId, "true".equals(r.query("allStates")), r.actor());
        String type = format.id().endsWith("json") ? "application/x-ndjson" : "text/csv";
        return HttpResponse.file(type, body, "devices." + format.fileExtension());
    }

    private HttpResponse labels(HttpRequest r) {
        WorkOrder w = order(r.path("ref"));
        String format = r.query("format") == null ? "pdf" : r.query("format");
        List<LabelData> labels = lf.labels().forOrder(w.id(), "true".equals(r.query("allStates"))).labels();
        if (format.equals("pdf")) {
            return HttpResponse.file("application/pdf", LabelSheet.pdf(labels, LabelLayout.A4_3X8), w.reference() + "-labels.pdf");
        }
        if (format.equals("zpl")) {
            return HttpResponse.file("text/plain", Zpl.zpl(labels, ZplLayout.of(70, 37, 203)).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    w.reference() + "-labels.zpl");
        }
        throw ApiException.badRequest(ErrorCode.INVALID_INPUT, "format must be pdf or zpl");
    }

    /**
     * One unit's label as a label printer takes it: ZPL, or a PDF whose page is the label. {@code size=WxH} in
     * millimetres (default 70x37, the sheet labels' size).
     */
    private HttpResponse unitLabel(HttpRequest r) {
        Unit u = unit(r.path("devEui"));
        double[] size = LabelLayout.parseSizeMm(r.query("size") == null ? "70x37" : r.query("size"));
        LabelData label = lf.labels().labelOf(u, "true".equals(r.query("anyState")));
        String format = r.query("format") == null ? "pdf" : r.query("format");
        String name = (u.serial() == null ? u.devEui().toString() : u.serial()) + "-label";
        if (format.equals("pdf")) {
            return HttpResponse.file("application/pdf", LabelSheet.pdf(List.of(label), LabelLayout.single(size[0], size[1])), name + ".pdf");
        }
        if (format.equals("zpl")) {
            return HttpResponse.file("text/plain", Zpl.zpl(List.of(label), ZplLayout.of(size[0], size[1], 203))
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8), name + ".zpl");
        }
        throw ApiException.badRequest(ErrorCode.INVALID_INPUT, "format must be pdf or zpl");
    }

    // ---- helpers ------------------------------------------------------------------------------------

    private String productName(long productId) {
        return registry.product(productId).map(Product::name).orElse(null);
    }

    private WorkOrder order(String ref) {
        return lf.workOrders().byReference(ref);
    }

    private Unit unit(String devEui) {
        return lf.provisioning().unit(Eui64.parse(devEui));
    }

    private HttpResponse ok(Object body) throws IOException {
        return HttpResponse.json(200, json.writeValueAsBytes(body));
    }

    private HttpResponse created(Object body) throws IOException {
        return HttpResponse.json(201, json.writeValueAsBytes(body));
    }

    /** A list of NetIDs ({@code ["000013","000042"]}), or null when the field is absent. */
    static AllowedNetIds netIds(JsonNode b, String field) {
        JsonNode n = b.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isArray()) {
            throw ApiException.badRequest(ErrorCode.INVALID_INPUT, "field '" + field + "' must be an array of NetIDs, e.g. [\"000013\"]");
        }
        List<String> texts = new java.util.ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw ApiException.badRequest(ErrorCode.INVALID_INPUT, "field '" + field + "' must be an array of NetIDs, e.g. [\"000013\"]");
            }
            texts.add(e.asText());
        }
        if (texts.stream().anyMatch(String::isBlank)) {
            throw ApiException.badRequest(ErrorCode.INVALID_INPUT, "field '" + field + "': an empty NetID");
        }
        return AllowedNetIds.parse(String.join(",", texts));
    }

    static String text(JsonNode b, String field, boolean required) {
        JsonNode n = b.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw ApiException.badRequest(ErrorCode.INVALID_INPUT, "missing field '" + field + "'");
            }
            return null;
        }
        if (!n.isTextual()) {
            throw ApiException.badRequest(ErrorCode.INVALID_INPUT, "field '" + field + "' must be a string");
        }
        return n.asText();
    }

    static int integer(JsonNode b, String field) {
        JsonNode n = b.get(field);
        if (n == null || !n.canConvertToInt() || !n.isIntegralNumber()) {
            throw ApiException.badRequest(ErrorCode.INVALID_INPUT, "field '" + field + "' must be an integer");
        }
        return n.asInt();
    }

    static Double number(JsonNode b, String field) {
        JsonNode n = b.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isNumber()) {
            throw ApiException.badRequest(ErrorCode.INVALID_INPUT, "field '" + field + "' must be a number");
        }
        return n.asDouble();
    }

    /** A key from the body; the error names the field, never the value. */
    static AesKey key(JsonNode b, String field, boolean required) {
        String t = text(b, field, required);
        if (t == null) {
            return null;
        }
        try {
            return AesKey.parse(t);
        } catch (RuntimeException e) {
            throw ApiException.badRequest(ErrorCode.INVALID_INPUT, "field '" + field + "': " + e.getMessage());
        }
    }

    static long parseLong(String s, String what) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(ErrorCode.INVALID_INPUT, what + " must be an integer");
        }
    }

    static int limit(HttpRequest r, int dflt, int max) {
        if (r.query("limit") == null) {
            return dflt;
        }
        long l = parseLong(r.query("limit"), "limit");
        if (l < 1 || l > max) {
            throw ApiException.badRequest(ErrorCode.INVALID_INPUT, "limit must be 1.." + max);
        }
        return (int) l;
    }
}
