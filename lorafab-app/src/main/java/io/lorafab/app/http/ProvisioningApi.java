package io.lorafab.app.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lorafab.api.ApiRoutes;
import io.lorafab.api.ErrorCode;
import io.lorafab.api.OpenApi;
import io.lorafab.api.model.AddDeviceRequest;
import io.lorafab.api.model.DeviceView;
import io.lorafab.api.model.FinishRequest;
import io.lorafab.api.model.Health;
import io.lorafab.api.model.ImportResult;
import io.lorafab.api.model.ProductView;
import io.lorafab.api.model.ReservationView;
import io.lorafab.api.model.TokenRevoked;
import io.lorafab.api.model.UnitPage;
import io.lorafab.api.model.UnitView;
import io.lorafab.api.model.WorkOrderView;
import io.lorafab.app.views.ApiViews;
import io.lorafab.app.wiring.ExportKeks;
import io.lorafab.jose.Jwe;
import io.lorafab.jose.RecipientKey;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.provisioning.io.DeviceExportFormat;
import io.lorafab.provisioning.io.ExportOptions;
import io.lorafab.provisioning.io.ImportException;
import io.lorafab.provisioning.label.LabelData;
import io.lorafab.provisioning.label.LabelLayout;
import io.lorafab.provisioning.label.LabelSheet;
import io.lorafab.provisioning.label.Zpl;
import io.lorafab.provisioning.label.ZplLayout;
import io.lorafab.provisioning.service.AuditTrail;
import io.lorafab.provisioning.service.LineReports;
import io.lorafab.provisioning.service.NewDevice;
import io.lorafab.provisioning.service.Provisioning;
import io.lorafab.provisioning.service.Reservation;
import io.lorafab.provisioning.service.WorkOrders;
import io.lorafab.store.ReportStore.UnitFilter;
import io.lorafab.store.model.AllowedNetIds;
import io.lorafab.store.model.EuiBlock;
import io.lorafab.store.model.AuditQuery;
import io.lorafab.store.model.Product;
import io.lorafab.store.model.Role;
import io.lorafab.store.model.TestResult;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.UnitQuery;
import io.lorafab.store.model.UnitState;
import io.lorafab.store.model.WorkOrder;
import io.lorafab.store.vault.KeyRotation;
import java.io.IOException;
import java.util.List;
import io.lorafab.store.StoreException;
import java.util.Locale;

/**
 * The registry and provisioning endpoints under /api, registered from the API's catalogue ({@link ApiRoutes}): each
 * route takes its request record, reads the values in it (EUIs, keys, versions, regions), calls one application
 * service (the same the command line calls) and answers the record {@link ApiViews} makes of the result. No rule
 * and no audit record is written here.
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
        s.route(ApiRoutes.HEALTH, (r, none) -> new Health("ok", lf.database().dialect().name().toLowerCase(Locale.ROOT)));
        s.respond(ApiRoutes.OPENAPI, (r, none) -> HttpResponse.json(200, OpenApi.bytes()));

        s.route(ApiRoutes.CREATE_PRODUCT, (r, b) -> product(lf.products().create(b, r.actor())));
        s.routeList(ApiRoutes.PRODUCTS, (r, none) -> lf.products().all().stream().map(this::product).toList());
        s.route(ApiRoutes.PRODUCT_NET_IDS, (r, b) -> {
            Product p = lf.products().byName(r.path("name"));
            lf.products().setNetIds(p, netIds(b.netIds()), r.actor());
            return product(p);
        });
        s.route(ApiRoutes.CREATE_EUI_BLOCK, (r, b) -> {
            EuiBlock block = lf.euiBlocks().create(b, r.actor());
            return ApiViews.euiBlock(block, block.productId() == null ? null
                    : registry.product(block.productId()).map(Product::name).orElse(null));
        });
        s.routeList(ApiRoutes.EUI_BLOCKS, (r, none) -> lf.euiBlocks().all().stream().map(b -> ApiViews.euiBlock(b, null)).toList());

        s.route(ApiRoutes.CREATE_ORDER, (r, b) -> {
            WorkOrder w = lf.workOrders().create(b, r.actor());
            return ApiViews.createdWorkOrder(w, registry.product(w.productId()).map(Product::name).orElse(null),
                    registry.unitCounts(w.id()));
        });
        s.routeList(ApiRoutes.ORDERS, (r, none) -> lf.workOrders().all().stream().map(this::workOrder).toList());
        s.route(ApiRoutes.ORDER, (r, none) -> {
            WorkOrders.Report report = lf.workOrders().report(order(r.path("ref")));
            return ApiViews.workOrderReport(report.order(), report.product().name(), report.yield());
        });
        s.respond(ApiRoutes.RESERVE, (r, b) -> {
            Reservation res = lf.provisioning().reserve(new io.lorafab.provisioning.service.ReserveRequest(r.path("ref"), b.stationId(),
                    b.scanned(), b.serial()), r.actor());
            // a new unit is created (201); a label scanned again hands out the unit already reserved (200, resumed)
            return json(res.resumed() ? 200 : 201, reservation(res));
        });
        s.route(ApiRoutes.CLOSE_ORDER, (r, b) -> workOrder(lf.workOrders().close(order(r.path("ref")), b.reason(), r.actor())));
        s.route(ApiRoutes.REOPEN_ORDER, (r, none) -> workOrder(lf.workOrders().reopen(order(r.path("ref")), r.actor())));

        s.route(ApiRoutes.LINE, (r, none) -> lf.reports().overview(lf.reports().now(), activeWithin(r)));
        s.route(ApiRoutes.ORDER_UNITS, (r, none) -> lf.reports().orderUnits(r.path("ref"), unitFilter(r),
                r.query("after") == null ? 0 : parseLong(r.query("after"), "after"), limit(r, 100, LineReports.MAX_PAGE)));
        s.respond(ApiRoutes.ORDER_UNITS_CSV, (r, none) -> unitsCsv(r));
        s.route(ApiRoutes.ORDER_RADIO, (r, none) -> lf.reports().orderRadio(r.path("ref")));
        s.route(ApiRoutes.UNIT_TIMELINE, (r, none) -> lf.reports().unitTimeline(Eui64.parse(r.path("devEui"))));
        s.route(ApiRoutes.STATION, (r, none) -> {
            java.time.Instant now = lf.reports().now();
            return lf.reports().stationActivity(r.path("id"), AuditQuery.parseTime(r.query("since"), now, "since"), now);
        });
        s.route(ApiRoutes.STATION_STEP, (r, b) -> lf.stationSteps().report(r.path("id"), b.devEui(), b.step(), b.position()).view());

        s.route(ApiRoutes.UNITS, (r, none) -> listUnits(r));
        s.route(ApiRoutes.UNIT, (r, none) -> {
            Unit u = unit(r.path("devEui"));
            return ApiViews.unitDetail(ApiViews.unitsNamedFrom(registry).apply(u), lf.provisioning().testRuns(u));
        });
        s.route(ApiRoutes.PROGRAMMED, (r, b) -> ApiViews.unit(lf.provisioning().markProgrammed(Eui64.parse(r.path("devEui")),
                b.stationId(), r.actor())));
        s.route(ApiRoutes.FINISH, this::finish);
        s.route(ApiRoutes.CHIP_IDENTITY, (r, b) -> {
            io.lorafab.store.model.ChipIdentity c = lf.chipIdentities().record(Eui64.parse(r.path("devEui")),
                    new io.lorafab.store.model.ChipIdentity(Eui64.parse(b.chipEui()), b.joinEui() == null ? null : Eui64.parse(b.joinEui()),
                            io.lorafab.store.model.ClaimPin.parse(b.pin()), b.stationId(), null), r.actor());
            return new io.lorafab.api.model.ChipIdentityView(r.path("devEui"), c.chipEui().toString(),
                    c.joinEui() == null ? null : c.joinEui().toString(), true, c.recordedAt().toString());
        });
        s.route(ApiRoutes.VOID, (r, b) -> ApiViews.unit(lf.provisioning().voidUnit(Eui64.parse(r.path("devEui")), b.reason(),
                r.actor())));
        s.route(ApiRoutes.REASSIGN, (r, b) -> ApiViews.unit(lf.provisioning().reassign(Eui64.parse(r.path("devEui")), b.stationId(),
                r.actor())));
        s.route(ApiRoutes.RETEST, (r, b) -> reservation(lf.provisioning().retest(Eui64.parse(r.path("devEui")), b.stationId(),
                b.reason(), r.actor())));

        s.route(ApiRoutes.ADD_DEVICE, this::addDevice);
        s.respond(ApiRoutes.IMPORT_DEVICES, this::importDevices);
        s.route(ApiRoutes.IMPORT_TNGLORA, this::importTngLora);
        s.respond(ApiRoutes.EXPORT, (r, none) -> export(r, null));
        s.respond(ApiRoutes.EXPORT_ENCRYPTED, (r, pem) -> export(r, RecipientKey.fromPem(
                new String(pem == null ? new byte[0] : pem, java.nio.charset.StandardCharsets.ISO_8859_1))));
        s.respond(ApiRoutes.ORDER_LABELS, (r, none) -> labels(r));
        s.respond(ApiRoutes.UNIT_LABEL, (r, none) -> unitLabel(r));

        s.route(ApiRoutes.CREATE_TOKEN, (r, b) -> ApiViews.createdToken(lf.tokens().create(b.name(), Role.parse(b.role()), r.actor())));
        s.routeList(ApiRoutes.TOKENS, (r, none) -> lf.tokens().all().stream().map(ApiViews::token).toList());
        s.route(ApiRoutes.REVOKE_TOKEN, (r, none) -> {
            lf.tokens().revoke(parseLong(r.path("id"), "token id"), r.actor());
            return new TokenRevoked(true);
        });
        s.route(ApiRoutes.ROTATE_KEYS, (r, b) -> ApiViews.keyRotation(lf.keys().rotate(b.label(), KeyRotation.Target.parse(b.to()), r.actor())));
        s.routeList(ApiRoutes.AUDIT, (r, none) -> lf.auditTrail().find(auditFilter(r), name -> name).stream().map(ApiViews::audit).toList());
    }

    /** The filters of {@code GET /api/audit}, as {@code lorafab audit} takes them (see {@link AuditTrail}). */
    private static AuditTrail.Filter auditFilter(HttpRequest r) {
        String unit = r.query("unit");
        return new AuditTrail.Filter(r.query("actor"), r.query("action"),
                unit == null || unit.isBlank() ? null : Eui64.parse(unit.strip()),
                r.query("since"), r.query("until"), AuditQuery.parseLimit(r.query("limit")), r.query("before"));
    }

    /** The filters of the order-units routes, checked by the reports service (one-line {@code invalid_input}). */
    private UnitFilter unitFilter(HttpRequest r) {
        return LineReports.filter(r.query("state"), r.query("reason"), r.query("station"), r.query("from"), r.query("to"),
                lf.reports().now());
    }

    /** {@code activeMinutes} of {@code GET /api/line}: 1..1440, default the service's. */
    private static java.time.Duration activeWithin(HttpRequest r) {
        if (r.query("activeMinutes") == null) {
            return LineReports.DEFAULT_ACTIVE_WITHIN;
        }
        long m = parseLong(r.query("activeMinutes"), "activeMinutes");
        if (m < 1 || m > 1440) {
            throw ApiException.badRequest(ErrorCode.INVALID_INPUT, "activeMinutes must be 1..1440");
        }
        return java.time.Duration.ofMinutes(m);
    }

    /** Every unit of the order that matches the filters, one CSV line each (the service pages through them). */
    private HttpResponse unitsCsv(HttpRequest r) {
        UnitFilter filter = unitFilter(r);
        StringBuilder csv = new StringBuilder(LineReports.CSV_HEADER).append("\r\n");
        String ref = lf.workOrders().byReference(r.path("ref")).reference();
        lf.reports().forEachOrderUnit(ref, filter, u -> csv.append(LineReports.csvLine(u)).append("\r\n"));
        return HttpResponse.file("text/csv", csv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), ref + "-units.csv");
    }

    /** A unit with its keys, as a station takes it: the product's pass thresholds travel with it. */
    private ReservationView reservation(Reservation res) {
        // a new unit comes with the product and order its reservation read: two reads fewer per reservation
        Long productId = res.unit().productId();
        Product product = productId == null ? null : res.product() != null && res.product().id() == productId ? res.product()
                : registry.product(productId).orElse(null);
        String order = res.unit().workOrderId() == null ? null : res.orderReference() != null ? res.orderReference()
                : registry.workOrder(res.unit().workOrderId()).map(WorkOrder::reference).orElse(null);
        return ApiViews.reservation(res, product, order);
    }

    private UnitView finish(HttpRequest r, FinishRequest b) throws IOException {
        TestResult result;
        try {
            result = TestResult.valueOf(b.result().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(ErrorCode.INVALID_INPUT, "result must be PASSED, FAILED or STATION_FAULT");
        }
        String measurements = b.measurements() == null ? "{}" : json.writeValueAsString(b.measurements());
        return ApiViews.unit(lf.provisioning().finish(Eui64.parse(r.path("devEui")), result, b.reasonCode(), measurements,
                b.stationId(), r.actor()));
    }

    private UnitPage listUnits(HttpRequest r) {
        Long orderId = r.query("order") == null ? null : order(r.query("order")).id();
        UnitState state = null;
        if (r.query("state") != null) {
            try {
                state = UnitState.valueOf(r.query("state").toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest(ErrorCode.INVALID_INPUT, "unknown state " + r.query("state"));
            }
        }
        long after = r.query("after") == null ? 0 : parseLong(r.query("after"), "after");
        int limit = limit(r, 1000, 10_000);
        List<Unit> units = lf.provisioning().units(new UnitQuery(orderId, state, null, r.query("station"), r.query("serial"), after, limit));
        return new UnitPage(units.stream().map(ApiViews.unitsNamedFrom(registry)).toList(),
                units.size() == limit ? units.get(units.size() - 1).id() : null);
    }

    private DeviceView addDevice(HttpRequest r, AddDeviceRequest b) {
        Product product = b.product() == null ? null : lf.products().byName(b.product());
        NewDevice d = new NewDevice(Eui64.parse(b.devEui()), Eui64.parse(b.joinEui()), key(b.appKey(), "appKey"),
                key(b.nwkKey(), "nwkKey"), b.macVersion() == null ? null : MacVersion.parse(b.macVersion()),
                b.region() == null ? null : Region.byName(b.region()), b.serial(), b.name());
        Unit u = lf.provisioning().addDevice(d, product, netIds(b.netIds()), r.actor());
        return ApiViews.device(u, null, registry.allowedNetIds(u.devEui()));
    }

    private HttpResponse importDevices(HttpRequest r, byte[] csv) throws IOException {
        Product p = r.query("product") == null ? null : lf.products().byName(r.query("product"));
        io.lorafab.provisioning.io.ImportFile file;
        try {
            file = Provisioning.readImport(csv, p, r.query("macVersion"), r.query("region"));
        } catch (ImportException e) {
            return importRefused(ErrorCode.INVALID_CSV, e);
        }
        AllowedNetIds netIds = r.query("netIds") == null ? null : AllowedNetIds.parse(r.query("netIds"));
        boolean dryRun = "true".equals(r.query("dryRun"));
        int count;
        try {
            if (dryRun) {
                // every problem the import would refuse the file for, nothing written: 200 with the rows it would import
                lf.provisioning().checkImport(file);
                count = file.devices().size();
            } else {
                count = lf.provisioning().importRows(file, p == null ? null : p.id(), netIds, r.actor()).size();
            }
        } catch (ImportException e) {
            // a faulty row makes the file invalid; only a file whose every fault is a clash with the registry is a conflict
            boolean fileFaults = !file.problems().isEmpty();
            return importRefused(fileFaults ? ErrorCode.INVALID_CSV : ErrorCode.DUPLICATE, e);
        }
        return json(dryRun ? 200 : 201, new ImportResult(count));
    }

    /** A TNGLoRa manifest verified against the server's pinned signers; the same service as {@code devices import --format tnglora}. */
    private ImportResult importTngLora(HttpRequest r, byte[] manifest) {
        java.nio.file.Path pinned = lf.dataDir().resolve(io.lorafab.app.wiring.ManifestSignerFiles.SERVER_FOLDER);
        if (!java.nio.file.Files.isDirectory(pinned)) {
            throw new StoreException(ErrorCode.MANIFEST_REFUSED, "this server pins no manifest signers: put their certificates "
                    + "(PEM) in the folder " + io.lorafab.app.wiring.ManifestSignerFiles.SERVER_FOLDER + " of its data folder");
        }
        io.lorafab.provisioning.secureelement.ManifestSigners signers;
        try {
            signers = io.lorafab.app.wiring.ManifestSignerFiles.load(List.of(pinned));
        } catch (IllegalArgumentException e) {
            throw new StoreException(ErrorCode.MANIFEST_REFUSED, "the server's pinned manifest signers: " + e.getMessage());
        }
        Product p = r.query("product") == null ? null : lf.products().byName(r.query("product"));
        var req = new io.lorafab.provisioning.service.SecureElementImport.Request(manifest, signers,
                r.query("joinEui") == null ? null : Eui64.parse(r.query("joinEui")), r.query("joinServer"), p,
                r.query("macVersion") == null ? null : MacVersion.parse(r.query("macVersion")),
                r.query("region") == null ? null : Region.byName(r.query("region")));
        if ("true".equals(r.query("dryRun"))) {
            return new ImportResult(lf.secureElementImport().check(req).size());
        }
        return new ImportResult(lf.secureElementImport().importTngLora(req, r.actor()).size());
    }

    /** An import refused: the stable code, and every row at fault with its line and column. */
    private HttpResponse importRefused(ErrorCode code, ImportException e) throws IOException {
        return json(code.httpStatus(), ApiViews.importRefusal(code, e));
    }

    /** @param recipient null: the file as it is; else the file as a JWE encrypted to this key */
    private HttpResponse export(HttpRequest r, RecipientKey recipient) {
        String f = r.query("format");
        if (f == null) {
            throw ApiException.badRequest(ErrorCode.INVALID_INPUT, "query parameter 'format' is required");
        }
        if (io.lorafab.provisioning.io.LoraCloudClaimCsv.FORMAT.equalsIgnoreCase(f.strip())) {
            // the claim PINs of LR11xx-style units: same role, scope and audit as a key export, through the same service
            Long orderId = r.query("order") == null ? null : order(r.query("order")).id();
            byte[] body = lf.exports().exportClaims(orderId, "true".equals(r.query("allStates")), recipient, r.actor());
            return recipient == null ? HttpResponse.file("text/csv", body, "claims.csv")
                    : HttpResponse.file(Jwe.MEDIA_TYPE, body, "claims.csv.jwe");
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
        boolean allStates = "true".equals(r.query("allStates"));
        if (recipient != null) {
            return HttpResponse.file(Jwe.MEDIA_TYPE, lf.exports().exportEncrypted(format, o, orderId, allStates, recipient, r.actor()),
                    "devices." + format.fileExtension() + ".jwe");
        }
        byte[] body = lf.exports().export(format, o, orderId, allStates, r.actor());
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

    private ProductView product(Product p) {
        return ApiViews.product(p, lf.products().netIds(p));
    }

    private WorkOrderView workOrder(WorkOrder w) {
        return ApiViews.workOrder(w, registry.product(w.productId()).map(Product::name).orElse(null));
    }

    private WorkOrder order(String ref) {
        return lf.workOrders().byReference(ref);
    }

    private Unit unit(String devEui) {
        return lf.provisioning().unit(Eui64.parse(devEui));
    }

    private HttpResponse json(int status, Object body) throws IOException {
        return HttpResponse.json(status, json.writeValueAsBytes(body));
    }

    /** A field a route needs in this case although the record does not always require it. */
    private static <T> T required(T value, String field) {
        if (value == null) {
            throw ApiException.badRequest(ErrorCode.INVALID_INPUT, "missing field '" + field + "'");
        }
        return value;
    }

    /** A list of NetIDs ({@code ["000013","000042"]}), or null when the field is absent (read by the service). */
    static AllowedNetIds netIds(List<String> texts) {
        return io.lorafab.provisioning.service.Products.netIds(texts);
    }

    /** A key from the body; the error names the field, never the value. */
    static AesKey key(String text, String field) {
        if (text == null) {
            return null;
        }
        try {
            return AesKey.parse(text);
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
