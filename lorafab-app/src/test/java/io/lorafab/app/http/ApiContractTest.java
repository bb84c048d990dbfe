package io.lorafab.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lorafab.api.ApiRoutes;
import io.lorafab.api.Endpoint;
import io.lorafab.api.OpenApi;
import io.lorafab.api.model.AddDeviceRequest;
import io.lorafab.api.model.ApiError;
import io.lorafab.api.model.AuditEntry;
import io.lorafab.api.model.CloseOrderRequest;
import io.lorafab.api.model.CreateEuiBlockRequest;
import io.lorafab.api.model.CreateOrderRequest;
import io.lorafab.api.model.CreateProductRequest;
import io.lorafab.api.model.CreateTokenRequest;
import io.lorafab.api.model.CreatedToken;
import io.lorafab.api.model.CreatedWorkOrder;
import io.lorafab.api.model.DeviceView;
import io.lorafab.api.model.EuiBlockView;
import io.lorafab.api.model.EventPage;
import io.lorafab.api.model.FinishRequest;
import io.lorafab.api.model.GatewaysView;
import io.lorafab.api.model.Health;
import io.lorafab.api.model.ImportRefusal;
import io.lorafab.api.model.ImportResult;
import io.lorafab.api.model.KeyRotationView;
import io.lorafab.api.model.NetIdsRequest;
import io.lorafab.api.model.NonceReset;
import io.lorafab.api.model.ProductView;
import io.lorafab.api.model.ProgrammedRequest;
import io.lorafab.api.model.ReassignRequest;
import io.lorafab.api.model.ReservationView;
import io.lorafab.api.model.ReserveRequest;
import io.lorafab.api.model.RetestRequest;
import io.lorafab.api.model.RotateKeysRequest;
import io.lorafab.api.model.TokenRevoked;
import io.lorafab.api.model.TokenView;
import io.lorafab.api.model.UnitDetail;
import io.lorafab.api.model.UnitPage;
import io.lorafab.api.model.UnitView;
import io.lorafab.api.model.VoidRequest;
import io.lorafab.api.model.WorkOrderReport;
import io.lorafab.api.model.WorkOrderView;
import io.lorafab.app.wiring.JoinServerRuntime;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.gateway.client.PacketForwarderClient;
import io.lorafab.joinserver.JoinServerConfig;
import io.lorafab.lorawan.types.DevNonce;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.Mic;
import io.lorafab.lorawan.types.NetId;
import io.lorafab.lorawan.frame.JoinRequest;
import io.lorafab.provisioning.model.DeviceIdentity;
import io.lorafab.store.model.Role;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server keeps the contract of {@code lorafab-api}: every answer it writes reads into its route's record with
 * unknown fields refused (a field the server writes and the record lacks fails here), and the record writes back
 * the same JSON tree (a field the record has and the server does not write, or writes with another shape, fails
 * too). The requests are the API's request records, so the server is also shown to read what clients send. The
 * routes the server registers are the catalogue's, with the same roles.
 */
class ApiContractTest {
    /** Strict, unlike the station's client (which ignores fields a newer server adds). */
    private static final ObjectMapper STRICT = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    Lorafab lf;
    ApiServer server;
    JoinServerRuntime js;
    PacketForwarderClient gw;
    ApiClient admin;
    ApiClient engineer;
    ApiClient operator;

    @BeforeEach
    void start() throws Exception {
        lf = Lorafab.open(null, dir, Map.of(), Clock.systemUTC());
        server = new ApiServer(lf, "127.0.0.1", 0, 8);
        // with the gateway listener, so that every route of the catalogue is registered (/api/gateways needs one)
        js = new JoinServerRuntime(lf, JoinServerConfig.defaults().withNetId(NetId.parse("000013")).withRateLimits(0, 0),
                new InetSocketAddress("127.0.0.1", 0), null, server);
        js.start();
        server.start();
        String base = "http://127.0.0.1:" + server.port();
        admin = new ApiClient(base, lf.tokens().create("admin", Role.ADMIN, "test").secret());
        engineer = new ApiClient(base, lf.tokens().create("eng", Role.ENGINEER, "test").secret());
        operator = new ApiClient(base, lf.tokens().create("line-1", Role.OPERATOR, "test").secret());
    }

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
        js.close();
        server.close();
        lf.close();
    }

    @Test
    void theRoutesRegisteredAreTheCatalogueWithItsRoles() {
        Set<String> registered = new HashSet<>();
        for (ApiServer.RouteInfo r : server.routes()) {
            assertThat(registered.add(r.method() + " " + r.path() + " " + (r.role() == null ? "-" : r.role().display())))
                    .as("registered twice: " + r).isTrue();
        }
        Set<String> catalogue = new HashSet<>();
        for (Endpoint<?, ?> e : ApiRoutes.all()) {
            catalogue.add(e.key() + " " + (e.role() == null ? "-" : e.role()));
        }
        assertThat(registered).isEqualTo(catalogue);
    }

    @Test
    void healthAndTheDescriptionNeedNoTokenAndAnswerTheirRecords() {
        ApiClient anonymous = admin.as(null);
        assertThat(conforms(ApiRoutes.HEALTH, anonymous.get(ApiRoutes.HEALTH.resolve()))).isEqualTo(new Health("ok", "sqlite"));
        ApiClient.Reply doc = anonymous.get(ApiRoutes.OPENAPI.resolve());
        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.json().path("openapi").asText()).startsWith("3.0.");
        assertThat(doc.json()).isEqualTo(OpenApi.document("development"));
    }

    @Test
    void productsBlocksAndOrdersAnswerTheirRecords() {
        ProductView p = conforms(ApiRoutes.CREATE_PRODUCT, send(engineer, ApiRoutes.CREATE_PRODUCT, new CreateProductRequest("sensor",
                "70b3d57ed0000001", "1.0.3", "EU868", "12340001", null, null, null, -110.0, null, "S-{seq:05}", List.of("000013"))));
        assertThat(p.netIds()).containsExactly("000013");
        assertThat(p.snrMinDb()).isNull();
        ProductView byIds = conforms(ApiRoutes.CREATE_PRODUCT, send(engineer, ApiRoutes.CREATE_PRODUCT, new CreateProductRequest("meter",
                "70b3d57ed0000002", "1.1", "US915", null, 0x1234, 2, "at-rak", null, -5.5, null, null)));
        assertThat(byIds.profileId()).isEqualTo("12340002");
        assertThat(conformsList(ApiRoutes.PRODUCTS, operator.get(ApiRoutes.PRODUCTS.resolve()))).hasSize(2);
        ProductView open = conforms(ApiRoutes.PRODUCT_NET_IDS, send(engineer, ApiRoutes.PRODUCT_NET_IDS, new NetIdsRequest(List.of()),
                "sensor"));
        assertThat(open.netIds()).isEmpty();

        EuiBlockView owned = conforms(ApiRoutes.CREATE_EUI_BLOCK, send(engineer, ApiRoutes.CREATE_EUI_BLOCK,
                new CreateEuiBlockRequest("b1", "sensor", "MA-S", "70b3d57ed", "70b3d57ed0010000", 1000L)));
        assertThat(owned.product()).isEqualTo("sensor");
        EuiBlockView shared = conforms(ApiRoutes.CREATE_EUI_BLOCK, send(engineer, ApiRoutes.CREATE_EUI_BLOCK,
                new CreateEuiBlockRequest("b2", null, "MA-S", "70b3d57ee", "70b3d57ee0000000", 10L)));
        assertThat(shared.productId()).isNull();
        assertThat(conformsList(ApiRoutes.EUI_BLOCKS, operator.get(ApiRoutes.EUI_BLOCKS.resolve()))).hasSize(2);

        CreatedWorkOrder created = conforms(ApiRoutes.CREATE_ORDER, send(engineer, ApiRoutes.CREATE_ORDER,
                new CreateOrderRequest("sensor", "WO-1", 100)));
        assertThat(created.yield()).isNull();
        conforms(ApiRoutes.CREATE_ORDER, send(engineer, ApiRoutes.CREATE_ORDER, new CreateOrderRequest("sensor", null, 5)));
        for (int i = 0; i < 3; i++) {
            ReservationView u = conforms(ApiRoutes.RESERVE, send(operator, ApiRoutes.RESERVE, new ReserveRequest("st-" + i, null, null), "WO-1"));
            conforms(ApiRoutes.PROGRAMMED, send(operator, ApiRoutes.PROGRAMMED, new ProgrammedRequest("st-" + i), u.devEui()));
            conforms(ApiRoutes.FINISH, send(operator, ApiRoutes.FINISH, new FinishRequest(i == 0 ? "PASSED" : "FAILED", i == 0 ? null : "join_timeout",
                    Map.of("rssi", -60), i == 2 ? null : "st-" + i), u.devEui()));
        }
        WorkOrderReport report = conforms(ApiRoutes.ORDER, operator.get(ApiRoutes.ORDER.resolve("WO-1")));
        assertThat(report.units()).containsEntry("passed", 1L).containsEntry("failed", 2L);
        assertThat(report.testing().failures().byReason()).isNotEmpty();
        assertThat(report.testing().failures().byStation()).isNotEmpty();

        WorkOrderView closed = conforms(ApiRoutes.CLOSE_ORDER, send(engineer, ApiRoutes.CLOSE_ORDER, new CloseOrderRequest("done"),
                "WO-1"));
        assertThat(closed.closeReason()).isEqualTo("done");
        conforms(ApiRoutes.REOPEN_ORDER, send(engineer, ApiRoutes.REOPEN_ORDER, null, "WO-1"));
        // the body may be left out
        conforms(ApiRoutes.CLOSE_ORDER, send(engineer, ApiRoutes.CLOSE_ORDER, null, "WO-1"));
        assertThat(conformsList(ApiRoutes.ORDERS, operator.get(ApiRoutes.ORDERS.resolve()))).hasSize(2);
        // the report of an order with no unit finished: no yield, empty figures
        String other = conformsList(ApiRoutes.ORDERS, operator.get(ApiRoutes.ORDERS.resolve())).stream()
                .filter(o -> !o.reference().equals("WO-1")).findFirst().orElseThrow().reference();
        assertThat(conforms(ApiRoutes.ORDER, operator.get(ApiRoutes.ORDER.resolve(other))).testing().finalYield()).isNull();
    }

    @Test
    void aUnitsLifeAnswersItsRecords() {
        line("1.1");
        ReservationView r = conforms(ApiRoutes.RESERVE, send(operator, ApiRoutes.RESERVE, new ReserveRequest("st-1", null, null), "WO-1"));
        assertThat(r.nwkKey()).hasSize(32);
        assertThat(r.rssiMinDbm()).isEqualTo(-110.0);
        // a label scanned again resumes its unit: 200, with the same record
        ReservationView scanned = conforms(ApiRoutes.RESERVE, send(operator, ApiRoutes.RESERVE,
                new ReserveRequest("st-1", "70b3d57ed0010300", null), "WO-1"));
        ApiClient.Reply again = send(operator, ApiRoutes.RESERVE, new ReserveRequest("st-1", "70b3d57ed0010300", null), "WO-1");
        assertThat(again.status()).isEqualTo(200);
        assertThat(conforms(ApiRoutes.RESERVE, again).resumed()).isTrue();
        // and one left without a body at all
        conforms(ApiRoutes.RESERVE, send(operator, ApiRoutes.RESERVE, null, "WO-1"));

        UnitView programmed = conforms(ApiRoutes.PROGRAMMED, send(operator, ApiRoutes.PROGRAMMED, new ProgrammedRequest("st-1"), r.devEui()));
        assertThat(programmed.state()).isEqualTo("PROGRAMMED");
        conforms(ApiRoutes.FINISH, send(operator, ApiRoutes.FINISH, new FinishRequest("FAILED", "join_timeout",
                Map.of("attempts", 3, "nested", Map.of("snr", 7.5)), "st-1"), r.devEui()));
        ReservationView retest = conforms(ApiRoutes.RETEST, send(operator, ApiRoutes.RETEST, new RetestRequest("st-2", "re-seated"),
                r.devEui()));
        assertThat(retest.stationId()).isEqualTo("st-2");
        conforms(ApiRoutes.FINISH, send(operator, ApiRoutes.FINISH, new FinishRequest("PASSED", null, null, "st-2"), r.devEui()));
        UnitDetail detail = conforms(ApiRoutes.UNIT, operator.get(ApiRoutes.UNIT.resolve(r.devEui())));
        assertThat(detail.testRuns()).hasSize(2);
        assertThat(detail.testRuns().get(0).measurements().at("/nested/snr").asDouble()).isEqualTo(7.5);

        UnitView reassigned = conforms(ApiRoutes.REASSIGN, send(engineer, ApiRoutes.REASSIGN, new ReassignRequest("st-9"),
                scanned.devEui()));
        assertThat(reassigned.stationId()).isEqualTo("st-9");
        UnitView voided = conforms(ApiRoutes.VOID, send(operator, ApiRoutes.VOID, new VoidRequest("dropped"), scanned.devEui()));
        assertThat(voided.state()).isEqualTo("VOID");

        UnitPage first = conforms(ApiRoutes.UNITS, operator.get(ApiRoutes.UNITS.resolve() + "?order=WO-1&limit=1"));
        assertThat(first.next()).isNotNull();
        UnitPage all = conforms(ApiRoutes.UNITS, operator.get(ApiRoutes.UNITS.resolve()));
        assertThat(all.next()).isNull();
        assertThat(all.units()).hasSize(3);
    }

    @Test
    void theReportsAnswerTheirRecordsWithTheSameRolesAsTheConsole() {
        line("1.0.3");
        ReservationView r = conforms(ApiRoutes.RESERVE, send(operator, ApiRoutes.RESERVE, new ReserveRequest("st-1", null, null), "WO-1"));
        send(operator, ApiRoutes.PROGRAMMED, new ProgrammedRequest("st-1"), r.devEui());
        send(operator, ApiRoutes.FINISH, new FinishRequest("FAILED", "join_not_heard", Map.of("joinMs", 1200), "st-1"), r.devEui());
        ReservationView other = conforms(ApiRoutes.RESERVE, send(operator, ApiRoutes.RESERVE, new ReserveRequest("st-1", null, null), "WO-1"));

        io.lorafab.api.model.LineOverview overview = conforms(ApiRoutes.LINE, engineer.get(ApiRoutes.LINE.resolve() + "?activeMinutes=30"));
        assertThat(overview.failuresByReason().get(0).reason().actionWords()).isEqualTo("re-test");
        assertThat(overview.stations()).extracting(io.lorafab.api.model.StationSeen::stationId).containsExactly("st-1");
        assertThat(operator.get(ApiRoutes.LINE.resolve()).status()).isEqualTo(403);

        io.lorafab.api.model.OrderUnitsPage page = conforms(ApiRoutes.ORDER_UNITS,
                operator.get(ApiRoutes.ORDER_UNITS.resolve("WO-1") + "?state=failed&reason=join_not_heard&station=st-1&from=1h&limit=5"));
        assertThat(page.units()).extracting(io.lorafab.api.model.OrderUnitRow::devEui).containsExactly(r.devEui());
        ApiClient.Reply bad = operator.get(ApiRoutes.ORDER_UNITS.resolve("WO-1") + "?state=DONE");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(new String(bad.raw(), StandardCharsets.UTF_8)).contains("invalid_input").contains("state: 'DONE' is not a state");
        ApiClient.Reply csv = operator.get(ApiRoutes.ORDER_UNITS_CSV.resolve("WO-1") + "?state=RESERVED");
        assertThat(csv.status()).isEqualTo(200);
        String[] lines = new String(csv.raw(), StandardCharsets.UTF_8).split("\r\n");
        assertThat(lines).hasSize(2);
        assertThat(lines[1]).startsWith(other.devEui() + ",");

        io.lorafab.api.model.OrderRadioView radio = conforms(ApiRoutes.ORDER_RADIO, operator.get(ApiRoutes.ORDER_RADIO.resolve("WO-1")));
        assertThat(radio.rssi().threshold()).isEqualTo(-110.0);
        assertThat(radio.joinLatency().p50Ms()).isEqualTo(1200L);
        io.lorafab.api.model.UnitTimeline timeline = conforms(ApiRoutes.UNIT_TIMELINE,
                operator.get(ApiRoutes.UNIT_TIMELINE.resolve(r.devEui())));
        assertThat(timeline.entries()).extracting(io.lorafab.api.model.UnitTimeline.Entry::kind).contains("unit.reserve", "test_run");
        assertThat(new String(operator.get(ApiRoutes.UNIT_TIMELINE.resolve(r.devEui())).raw(), StandardCharsets.UTF_8).toLowerCase())
                .doesNotContain(r.appKey().toLowerCase());
        io.lorafab.api.model.StationActivity station = conforms(ApiRoutes.STATION,
                operator.get(ApiRoutes.STATION.resolve("st-1") + "?since=2h"));
        assertThat(station.current().devEui()).isEqualTo(other.devEui());
        assertThat(station.current().step()).isEqualTo("program");
        assertThat(station.counts().failed()).isEqualTo(1);
        io.lorafab.api.model.StationStepView step = conforms(ApiRoutes.STATION_STEP, send(operator, ApiRoutes.STATION_STEP,
                new io.lorafab.api.model.StationStepRequest(other.devEui(), "read_back"), "st-1"));
        assertThat(step.step()).isEqualTo("read_back");
        assertThat(send(operator, ApiRoutes.STATION_STEP, new io.lorafab.api.model.StationStepRequest(other.devEui(), "solder"), "st-1")
                .status()).isEqualTo(400);
        // a multi-up fixture's position comes back with the step; one out of 1..64 is refused
        io.lorafab.api.model.StationStepView atPosition = conforms(ApiRoutes.STATION_STEP, send(operator, ApiRoutes.STATION_STEP,
                new io.lorafab.api.model.StationStepRequest(other.devEui(), "join", 3), "st-1"));
        assertThat(atPosition.position()).isEqualTo(3);
        assertThat(step.position()).isNull();
        assertThat(send(operator, ApiRoutes.STATION_STEP, new io.lorafab.api.model.StationStepRequest(other.devEui(), "join", 65), "st-1")
                .status()).isEqualTo(400);
    }

    @Test
    void aTngLoraManifestIsImportedAgainstTheServersPinnedSignersOnly() throws Exception {
        byte[] manifest;
        byte[] signer;
        try (var m = getClass().getResourceAsStream("/tnglora/microchip-sample.json");
                var c = getClass().getResourceAsStream("/tnglora/log-signer-002.pem")) {
            manifest = m.readAllBytes();
            signer = c.readAllBytes();
        }
        String body = new String(manifest, java.nio.charset.StandardCharsets.UTF_8);
        String path = ApiRoutes.IMPORT_TNGLORA.resolve() + "?joinServer=js.example.com";

        // no pinned signers yet: refused, whatever the manifest
        ApiClient.Reply none = engineer.send("POST", path, body);
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.json().path("error").path("code").asText()).isEqualTo("manifest_refused");

        java.nio.file.Path pinned = java.nio.file.Files.createDirectories(dir.resolve("manifest-signers"));
        java.nio.file.Files.write(pinned.resolve("log-signer-002.pem"), signer);
        assertThat(conforms(ApiRoutes.IMPORT_TNGLORA, engineer.send("POST", path + "&dryRun=true", body)).imported()).isEqualTo(2);
        assertThat(lf.registry().units(io.lorafab.store.model.UnitQuery.all())).isEmpty();
        assertThat(conforms(ApiRoutes.IMPORT_TNGLORA, engineer.send("POST", path, body)).imported()).isEqualTo(2);
        io.lorafab.api.model.UnitDetail u = conforms(ApiRoutes.UNIT, send(operator, ApiRoutes.UNIT, null, "0004a310001ff9da"));
        assertThat(u.kekLabel()).isNull();
        assertThat(u.secureElementId()).isEqualTo("01238ebe20080bd527");
        assertThat(u.joinServer()).isEqualTo("js.example.com");

        ApiClient.Reply tampered = engineer.send("POST", path, body.replace("\"signature\": \"ZFhl", "\"signature\": \"AFhl"));
        assertThat(tampered.status()).isEqualTo(400);
        assertThat(tampered.json().path("error").path("message").asText()).contains("entry [0]");
        assertThat(engineer.send("POST", path, "[]").json().path("error").path("code").asText()).isEqualTo("manifest_refused");
    }

    @Test
    void devicesTokensKeysAndAuditAnswerTheirRecords() {
        line("1.0.3");
        DeviceView d = conforms(ApiRoutes.ADD_DEVICE, send(engineer, ApiRoutes.ADD_DEVICE, new AddDeviceRequest("0004a30b001c0530",
                "70b3d57ed0000001", "00112233445566778899aabbccddeeff", null, null, null, "SN-1", "kitchen", "sensor", List.of("000013"))));
        assertThat(d.netIds()).containsExactly("000013");
        String header = "dev_eui,join_eui,app_key\n";
        String row = "0004a30b001c0531,70b3d57ed0000001,00112233445566778899aabbccddeeff\n";
        assertThat(conforms(ApiRoutes.IMPORT_DEVICES, engineer.send("POST", ApiRoutes.IMPORT_DEVICES.resolve(), header + row)).imported())
                .isEqualTo(1);
        ApiClient.Reply bad = engineer.send("POST", ApiRoutes.IMPORT_DEVICES.resolve(), header + "0004a30b001c0532,zz,00\n");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(roundTrips(bad, ImportRefusal.class).error().rows()).isNotEmpty();
        ApiClient.Reply clash = engineer.send("POST", ApiRoutes.IMPORT_DEVICES.resolve(), header + row);
        assertThat(clash.status()).isEqualTo(409);
        assertThat(roundTrips(clash, ImportRefusal.class).error().rows().get(0).column())
                .isEqualTo("dev_eui");

        CreatedToken t = conforms(ApiRoutes.CREATE_TOKEN, send(admin, ApiRoutes.CREATE_TOKEN, new CreateTokenRequest("line-7", "operator")));
        assertThat(t.token()).isNotBlank();
        assertThat(conforms(ApiRoutes.REVOKE_TOKEN, send(admin, ApiRoutes.REVOKE_TOKEN, null, t.id()))).isEqualTo(new TokenRevoked(true));
        List<TokenView> tokens = conformsList(ApiRoutes.TOKENS, admin.get(ApiRoutes.TOKENS.resolve()));
        assertThat(tokens).anyMatch(x -> x.id() == t.id() && !x.active() && x.revokedAt() != null);

        KeyRotationView rot = conforms(ApiRoutes.ROTATE_KEYS, send(admin, ApiRoutes.ROTATE_KEYS, new RotateKeysRequest("kek-2")));
        assertThat(rot.label()).isEqualTo("kek-2");
        conforms(ApiRoutes.ROTATE_KEYS, send(admin, ApiRoutes.ROTATE_KEYS, null));

        List<AuditEntry> audit = conformsList(ApiRoutes.AUDIT, admin.get(ApiRoutes.AUDIT.resolve() + "?limit=500"));
        assertThat(audit).anyMatch(a -> a.action().equals("token.revoke") || a.action().startsWith("token."));
    }

    @Test
    void refusalsAreTheErrorRecord() {
        line("1.0.3");
        List<ApiClient.Reply> refusals = List.of(
                operator.get("/api/units/0004a30b001c0599"), // 404 not_found
                operator.get("/api/nothing-here"), // 404, no such endpoint
                engineer.send("POST", ApiRoutes.CREATE_PRODUCT.resolve(), "{\"name\":"), // 400 bad_json
                send(engineer, ApiRoutes.CREATE_ORDER, new CreateOrderRequest("sensor", "WO-1", 1)), // 409 duplicate
                operator.get(ApiRoutes.TOKENS.resolve()), // 403
                admin.as("nope").get(ApiRoutes.UNITS.resolve())); // 401
        Set<Integer> statuses = new HashSet<>();
        for (ApiClient.Reply r : refusals) {
            ApiError e = roundTrips(r, ApiError.class);
            assertThat(e.error().code()).isNotBlank();
            assertThat(e.error().message()).isNotBlank();
            statuses.add(r.status());
        }
        assertThat(statuses).containsExactlyInAnyOrder(400, 401, 403, 404, 409);
    }

    @Test
    void joinServerViewsAnswerTheirRecords() throws Exception {
        lf.provisioning().addDevice(new DeviceIdentity(GatewayJoinTest.DEV, GatewayJoinTest.JOIN_EUI, GatewayJoinTest.APP_KEY, null,
                MacVersion.V1_0_3, io.lorafab.lorawan.region.Region.byName("EU868"), null, null), null, "t");
        gw = new PacketForwarderClient(Eui64.parse("0000000000000a01"), new InetSocketAddress("127.0.0.1", js.udpPort()));
        gw.pull(WAIT);
        gw.sendRaw(pushData(gw.eui(), "{\"stat\":{\"time\":\"2026-01-01 00:00:00 GMT\",\"lati\":46.2,\"long\":6.1,\"alti\":400,"
                + "\"rxnb\":3,\"rxok\":2,\"rxfw\":2,\"ackr\":100.0,\"dwnb\":1,\"txnb\":1}}"));
        gw.push(PacketForwarderClient.rxpk(GatewayJoinTest.joinRequest(771), 1_000_000L, 868_100_000L, 7, -61, 9.0));
        gw.awaitPullResp(WAIT).orElseThrow(() -> new AssertionError("no join-accept"));
        // an unknown device's join-request: a refusal with its code
        gw.push(PacketForwarderClient.rxpk(new JoinRequest(GatewayJoinTest.JOIN_EUI, Eui64.parse("0000000000020001"), DevNonce.of(1),
                new Mic(0)).encode(), 2_000_000L, 868_100_000L, 7, -70, 1.5));

        EventPage page = null;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            page = conforms(ApiRoutes.EVENTS, operator.get(ApiRoutes.EVENTS.resolve() + "?after=0"));
            if (page.events().size() >= 2) {
                break;
            }
            Thread.sleep(50);
        }
        assertThat(page.events()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(page.events()).anyMatch(e -> e.code() != null);
        // a long-poll that ends with nothing keeps its place
        EventPage none = conforms(ApiRoutes.EVENTS, operator.get(ApiRoutes.EVENTS.resolve() + "?after=" + page.last() + "&wait=1&devEui=0000000000020099"));
        assertThat(none.events()).isEmpty();
        assertThat(none.last()).isEqualTo(page.last());

        GatewaysView gateways = conforms(ApiRoutes.GATEWAYS, operator.get(ApiRoutes.GATEWAYS.resolve()));
        assertThat(gateways.gateways()).singleElement().satisfies(g -> {
            assertThat(g.eui()).isEqualTo("0000000000000a01");
            assertThat(g.lastStat()).isNotNull();
            assertThat(g.lastStat().longitude()).isEqualTo(6.1);
        });
        assertThat(gateways.mqtt()).as("left out without MQTT").isNull();

        NonceReset reset = conforms(ApiRoutes.RESET_NONCES, send(engineer, ApiRoutes.RESET_NONCES, null, GatewayJoinTest.DEV));
        assertThat(reset).isEqualTo(new NonceReset(GatewayJoinTest.DEV.toString(), true));
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    /** A product with thresholds, an EUI block and work order WO-1. */
    private void line(String macVersion) {
        send(engineer, ApiRoutes.CREATE_PRODUCT, new CreateProductRequest("sensor", "70b3d57ed0000001", macVersion, "EU868", "12340001",
                null, null, null, -110.0, 3.0, null, null));
        send(engineer, ApiRoutes.CREATE_EUI_BLOCK, new CreateEuiBlockRequest("b1", "sensor", "MA-S", "70b3d57ed", "70b3d57ed0010000",
                1000L));
        send(engineer, ApiRoutes.CREATE_ORDER, new CreateOrderRequest("sensor", "WO-1", 100));
    }

    /** Sends {@code body} (null: none) to {@code route}, its path made of {@code pathValues}. */
    private static <Q> ApiClient.Reply send(ApiClient client, Endpoint<Q, ?> route, Q body, Object... pathValues) {
        try {
            return client.send(route.method(), route.resolve(pathValues), body == null ? null : STRICT.writeValueAsString(body));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The answer is a success of {@code route} and its record, exactly. */
    private static <R> R conforms(Endpoint<?, R> route, ApiClient.Reply r) {
        assertThat(route.responseIsList()).isFalse();
        assertThat(route.statuses()).as(route.key() + " answered " + new String(r.raw(), StandardCharsets.UTF_8)).contains(r.status());
        return roundTrips(r, route.response());
    }

    private static <R> List<R> conformsList(Endpoint<?, R> route, ApiClient.Reply r) {
        assertThat(route.responseIsList()).isTrue();
        assertThat(route.statuses()).as(route.key() + " answered " + new String(r.raw(), StandardCharsets.UTF_8)).contains(r.status());
        List<R> list = roundTrips(r, STRICT.getTypeFactory().constructCollectionType(List.class, route.response()));
        assertThat(list).isNotEmpty(); // an empty list would check nothing of the element's record
        return list;
    }

    private static <T> T roundTrips(ApiClient.Reply r, Class<T> type) {
        return roundTrips(r, STRICT.constructType(type));
    }

    /** Reads the body as {@code type} (strictly) and checks the record writes the same JSON tree back. */
    private static <T> T roundTrips(ApiClient.Reply r, JavaType type) {
        try {
            JsonNode written = STRICT.readTree(r.raw());
            T value = STRICT.readValue(r.raw(), type);
            JsonNode back = STRICT.readTree(STRICT.writeValueAsBytes(value));
            assertThat(back).as(type + " written back").isEqualTo(written);
            return value;
        } catch (IOException e) {
            throw new AssertionError("the answer does not read as " + type + ": " + e.getMessage() + "\n"
                    + new String(r.raw(), StandardCharsets.UTF_8), e);
        }
    }

    /** A Semtech UDP PUSH_DATA datagram (protocol 2) with {@code json}. */
    private static byte[] pushData(Eui64 gateway, String json) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(2);
        b.write(0x12);
        b.write(0x34);
        b.write(0x00);
        long eui = gateway.value();
        for (int i = 7; i >= 0; i--) {
            b.write((int) (eui >>> (8 * i)));
        }
        b.writeBytes(json.getBytes(StandardCharsets.UTF_8));
        return b.toByteArray();
    }
}
