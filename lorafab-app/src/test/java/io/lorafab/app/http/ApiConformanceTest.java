package io.lorafab.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.store.model.AuditEvent;
import io.lorafab.store.model.Role;
import io.lorafab.store.model.Unit;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP API over real sockets; run on SQLite and on PostgreSQL by the subclasses. */
abstract class ApiConformanceTest {

    @TempDir
    Path dataDir;

    Lorafab lorafab;
    ApiServer server;
    ApiClient admin;
    ApiClient engineer;
    ApiClient operator;

    abstract String dbUrl();

    /** The database URL the server runs on (null: the embedded SQLite file in {@link #dataDir}). */
    String url;

    void dropDb() {
    }

    @BeforeEach
    void start() throws Exception {
        url = dbUrl();
        lorafab = Lorafab.open(url, dataDir, Map.of(), Clock.systemUTC());
        server = new ApiServer(lorafab, "127.0.0.1", 0, 8);
        server.start();
        String base = "http://127.0.0.1:" + server.port();
        admin = new ApiClient(base, lorafab.tokens().create("admin", Role.ADMIN, "test").secret());
        engineer = new ApiClient(base, lorafab.tokens().create("eng", Role.ENGINEER, "test").secret());
        operator = new ApiClient(base, lorafab.tokens().create("line-1", Role.OPERATOR, "test").secret());
    }

    @AfterEach
    void stop() {
        server.close();
        lorafab.close();
        dropDb();
    }

    void setUpLine(String macVersion) {
        assertThat(engineer.post("/api/products", "{\"name\":\"sensor\",\"joinEui\":\"70b3d57ed0000001\",\"macVersion\":\""
                + macVersion + "\",\"region\":\"EU868\",\"profileId\":\"12340001\",\"rssiMinDbm\":-110}").status()).isEqualTo(201);
        assertThat(engineer.post("/api/eui-blocks", "{\"name\":\"b1\",\"product\":\"sensor\",\"assignment\":\"MA-S\","
                + "\"prefix\":\"70b3d57ed\",\"first\":\"70b3d57ed0010000\",\"size\":1000}").status()).isEqualTo(201);
        assertThat(engineer.post("/api/orders", "{\"reference\":\"WO-1\",\"product\":\"sensor\",\"quantity\":100}").status())
                .isEqualTo(201);
    }

    @Test
    void aProductsSerialTemplateSerialsItsAllocatedUnitsAndUnitsAreFoundBySerial() {
        ApiClient.Reply bad = engineer.post("/api/products", "{\"name\":\"gauge\",\"joinEui\":\"70b3d57ed0000001\",\"macVersion\":"
                + "\"1.0.3\",\"region\":\"EU868\",\"profileId\":\"12340001\",\"serialTemplate\":\"G {seq}\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.code()).isEqualTo("invalid_input");
        assertThat(bad.json().at("/error/message").asText()).startsWith("serial template: a space at position 2");
        ApiClient.Reply created = engineer.post("/api/products", "{\"name\":\"sensor\",\"joinEui\":\"70b3d57ed0000001\",\"macVersion\":"
                + "\"1.0.3\",\"region\":\"EU868\",\"profileId\":\"12340001\",\"serialTemplate\":\"S-{seq:05}\"}");
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("serialTemplate").asText()).isEqualTo("S-{seq:05}");
        engineer.post("/api/eui-blocks", "{\"name\":\"b1\",\"product\":\"sensor\",\"assignment\":\"MA-S\","
                + "\"prefix\":\"70b3d57ed\",\"first\":\"70b3d57ed0010000\",\"size\":1000}");
        engineer.post("/api/orders", "{\"reference\":\"WO-1\",\"product\":\"sensor\",\"quantity\":100}");
        assertThat(operator.post("/api/orders/WO-1/reserve", "{\"stationId\":\"st-1\"}").json().get("serial").asText()).isEqualTo("S-00001");
        assertThat(operator.post("/api/orders/WO-1/reserve", "{\"stationId\":\"st-1\",\"serial\":\"OWN-1\"}").json().get("serial")
                .asText()).isEqualTo("OWN-1");
        assertThat(operator.post("/api/orders/WO-1/reserve", "{\"stationId\":\"st-1\"}").json().get("serial").asText()).isEqualTo("S-00002");
        JsonNode found = operator.get("/api/units?serial=S-00002").json().get("units");
        assertThat(found).hasSize(1);
        assertThat(found.get(0).get("devEui").asText()).isEqualTo("70b3d57ed0010002");
        assertThat(operator.get("/api/units?serial=S-*").json().get("units")).hasSize(2);
    }

    @Test
    void aUnitGoesFromReservationToPassed() {
        setUpLine("1.0.3");
        ApiClient.Reply res = operator.post("/api/orders/WO-1/reserve", "{\"stationId\":\"st-1\"}");
        assertThat(res.status()).isEqualTo(201);
        JsonNode u = res.json();
        assertThat(u.get("devEui").asText()).isEqualTo("70b3d57ed0010000");
        assertThat(u.get("state").asText()).isEqualTo("RESERVED");
        assertThat(u.get("appKey").asText()).hasSize(32);
        assertThat(u.get("nwkKey").isNull()).isTrue();
        assertThat(u.get("product").asText()).isEqualTo("sensor");
        assertThat(u.get("order").asText()).isEqualTo("WO-1");
        assertThat(u.get("resumed").asBoolean()).isFalse();
        // The key handed out is the one the database holds.
        Unit stored = lorafab.registry().unit(Eui64.parse("70b3d57ed0010000")).orElseThrow();
        assertThat(lorafab.vault().unwrapAppKey(stored.keys())).isEqualTo(AesKey.parse(u.get("appKey").asText()));

        assertThat(operator.post("/api/units/70b3d57ed0010000/programmed", "{\"stationId\":\"st-1\"}").json()
                .get("state").asText()).isEqualTo("PROGRAMMED");
        assertThat(operator.post("/api/units/70b3d57ed0010000/finish", "{\"result\":\"FAILED\",\"reasonCode\":\"join_timeout\","
                + "\"measurements\":{\"attempts\":3}}").json().get("state").asText()).isEqualTo("FAILED");
        assertThat(operator.post("/api/units/70b3d57ed0010000/finish", "{\"result\":\"PASSED\",\"measurements\":{\"rssi\":-60}}")
                .json().get("state").asText()).isEqualTo("PASSED");
        JsonNode detail = operator.get("/api/units/70b3d57ed0010000").json();
        assertThat(detail.get("testRuns")).hasSize(2);
        assertThat(detail.has("appKey")).isFalse();
        assertThat(operator.post("/api/units/70b3d57ed0010000/programmed", "{}").code()).isEqualTo("illegal_transition");

        JsonNode order = operator.get("/api/orders/WO-1").json();
        assertThat(order.get("units").get("passed").asLong()).isEqualTo(1);
        assertThat(order.get("yield").asDouble()).isEqualTo(1.0);
    }

    @Test
    void aStationFaultIsRecordedAndAuditedButLeavesTheUnitProgrammed() {
        setUpLine("1.0.3");
        operator.post("/api/orders/WO-1/reserve", "{\"stationId\":\"st-1\"}");
        operator.post("/api/units/70b3d57ed0010000/programmed", "{\"stationId\":\"st-1\"}");
        ApiClient.Reply fault = operator.post("/api/units/70b3d57ed0010000/finish", "{\"result\":\"STATION_FAULT\",\"reasonCode\":"
                + "\"test_gateway_fault\",\"stationId\":\"st-1\",\"measurements\":{\"gatewayError\":\"COLLISION_PACKET\"}}");
        assertThat(fault.status()).isEqualTo(200);
        assertThat(fault.json().get("state").asText()).isEqualTo("PROGRAMMED");
        JsonNode runs = operator.get("/api/units/70b3d57ed0010000").json().get("testRuns");
        assertThat(runs).hasSize(1);
        assertThat(runs.get(0).toString()).contains("STATION_FAULT").contains("test_gateway_fault").contains("COLLISION_PACKET");
        assertThat(lorafab.registry().auditLog(20)).anyMatch(e -> e.action().equals("unit.station_fault")
                && e.details().equals("result=STATION_FAULT reason=test_gateway_fault"));
        // the re-test finishes the same unit; the order counts it once
        assertThat(operator.post("/api/units/70b3d57ed0010000/finish", "{\"result\":\"PASSED\"}").json().get("state").asText())
                .isEqualTo("PASSED");
        assertThat(operator.get("/api/orders/WO-1").json().get("yield").asDouble()).isEqualTo(1.0);
        // only a unit under test can have a station fault, and it needs its reason
        assertThat(operator.post("/api/units/70b3d57ed0010000/finish", "{\"result\":\"STATION_FAULT\",\"reasonCode\":"
                + "\"test_gateway_fault\"}").code()).isEqualTo("illegal_transition");
        operator.post("/api/orders/WO-1/reserve", "{\"stationId\":\"st-1\"}");
        assertThat(operator.post("/api/units/70b3d57ed0010001/finish", "{\"result\":\"STATION_FAULT\"}").code())
                .isEqualTo("invalid_input");
    }

    @Test
    void lorawan11UnitsGetBothRootKeys() {
        setUpLine("1.1");
        JsonNode u = operator.post("/api/orders/WO-1/reserve", "{}").json();
        assertThat(u.get("nwkKey").asText()).hasSize(32).isNotEqualTo(u.get("appKey").asText());
    }

    @Test
    void scannedLabelsAreValidatedAndResumed() {
        setUpLine("1.0.3");
        ApiClient.Reply first = operator.post("/api/orders/WO-1/reserve", "{\"scanned\":\"70b3d57ed0010300\"}");
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.json().get("origin").asText()).isEqualTo("SCANNED");
        ApiClient.Reply again = operator.post("/api/orders/WO-1/reserve", "{\"scanned\":\"70b3d57ed0010300\"}");
        assertThat(again.status()).as("a resume creates nothing").isEqualTo(200);
        assertThat(again.json().get("resumed").asBoolean()).isTrue();
        assertThat(again.json().get("order").asText()).isEqualTo("WO-1");
        assertThat(again.json().get("product").asText()).isEqualTo("sensor");
        assertThat(again.json().get("appKey").asText()).isEqualTo(first.json().get("appKey").asText());
        ApiClient.Reply outside = operator.post("/api/orders/WO-1/reserve", "{\"scanned\":\"0004a30b001c0530\"}");
        assertThat(outside.status()).isEqualTo(400);
        assertThat(outside.code()).isEqualTo("eui_out_of_range");
        assertThat(operator.post("/api/orders/WO-1/reserve", "{\"scanned\":\"not-an-eui\"}").code()).isEqualTo("invalid_input");

        String tr005 = io.lorafab.provisioning.qr.Tr005.format(io.lorafab.provisioning.qr.Tr005Code.of(
                Eui64.parse("70b3d57ed0000001"), Eui64.parse("70b3d57ed0010301"), new io.lorafab.lorawan.types.ProfileId(0x1234, 1))
                .withSerialNumber("SN0042"), true);
        ApiClient.Reply qr = operator.post("/api/orders/WO-1/reserve", "{\"scanned\":\"" + tr005 + "\\r\\n\"}");
        assertThat(qr.status()).isEqualTo(201);
        assertThat(qr.json().get("devEui").asText()).isEqualTo("70b3d57ed0010301");
        assertThat(qr.json().get("serial").asText()).isEqualTo("SN0042");
        String otherJoinEui = tr005.replace("70B3D57ED0000001", "70B3D57ED0000002").replaceAll(":C[0-9A-F]{4}$", "");
        assertThat(operator.post("/api/orders/WO-1/reserve", "{\"scanned\":\"" + otherJoinEui + "\"}").code())
                .isEqualTo("label_mismatch");
        String badChecksum = tr005.substring(0, tr005.length() - 4) + "0000";
        assertThat(operator.post("/api/orders/WO-1/reserve", "{\"scanned\":\"" + badChecksum + "\"}").code())
                .isEqualTo("invalid_input");
    }

    @Test
    void aFloodOfBadTokensIsRefusedButAuditedOnlyTenTimesAMinute() {
        for (int i = 0; i < 30; i++) {
            assertThat(operator.as("lft_guess" + i).get("/api/products").status()).isEqualTo(401);
        }
        long audited = lorafab.registry().auditLog(1000).stream().filter(a -> a.action().equals("auth.unauthenticated")).count();
        assertThat(audited).isEqualTo(ApiServer.AUDITED_REFUSALS_PER_MINUTE);
    }

    @Test
    void aRoleSweepIsRefusedButAuditedOnlyTenTimesAMinuteAndTheNextAuditCountsTheRest() {
        // one operator token tried on every admin route, three times over: 403 each time
        for (int i = 0; i < 3; i++) {
            for (String path : new String[] {"/api/audit", "/api/tokens", "/api/export", "/api/audit?limit=5"}) {
                assertThat(operator.get(path).status()).isEqualTo(403);
            }
            assertThat(operator.post("/api/tokens", "{}").status()).isEqualTo(403);
            assertThat(operator.post("/api/keys/rotate", "{}").status()).isEqualTo(403);
            assertThat(operator.delete("/api/tokens/1").status()).isEqualTo(403);
            assertThat(operator.post("/api/products", "{}").status()).isEqualTo(403);
        }
        // 24 refusals; 401s from the same address share the budget: one limit for every refused request
        assertThat(operator.as("lft_guess").get("/api/products").status()).isEqualTo(401);
        List<AuditEvent> refusals = lorafab.registry().auditLog(1000).stream()
                .filter(a -> a.action().startsWith("auth.")).toList();
        assertThat(refusals).hasSize(ApiServer.AUDITED_REFUSALS_PER_MINUTE);
        assertThat(refusals).allMatch(a -> a.action().equals("auth.forbidden"));
    }

    @Test
    void rolesAndTokensAreEnforcedAndAudited() {
        setUpLine("1.0.3");
        assertThat(operator.as(null).get("/api/products").status()).isEqualTo(401);
        assertThat(operator.as("lft_nonsense").get("/api/products").status()).isEqualTo(401);
        assertThat(operator.post("/api/products", "{}").status()).isEqualTo(403);
        assertThat(engineer.get("/api/audit").status()).isEqualTo(403);
        assertThat(engineer.get("/api/products").status()).isEqualTo(200);
        JsonNode audit = admin.get("/api/audit?limit=50").json();
        Set<String> actions = new HashSet<>();
        audit.forEach(e -> actions.add(e.get("action").asText()));
        assertThat(actions).contains("auth.unauthenticated", "auth.forbidden", "product.create", "work_order.create");

        JsonNode t = admin.post("/api/tokens", "{\"name\":\"line-2\",\"role\":\"operator\"}").json();
        String secret = t.get("token").asText();
        assertThat(secret).startsWith("lft_");
        assertThat(operator.as(secret).get("/api/products").status()).isEqualTo(200);
        assertThat(admin.delete("/api/tokens/" + t.get("id").asLong()).status()).isEqualTo(200);
        assertThat(operator.as(secret).get("/api/products").status()).isEqualTo(401);
        assertThat(admin.get("/api/tokens").json().toString()).doesNotContain(secret);
    }

    @Test
    void errorsAreJsonWithStableCodes() {
        setUpLine("1.0.3");
        assertThat(engineer.post("/api/products", "{not json").code()).isEqualTo("bad_json");
        assertThat(engineer.post("/api/products", "[1,2]").code()).isEqualTo("bad_json");
        assertThat(engineer.post("/api/products", "{\"name\":\"x\"}").code()).isEqualTo("invalid_input");
        ApiClient.Reply dup = engineer.post("/api/orders", "{\"reference\":\"WO-1\",\"product\":\"sensor\",\"quantity\":1}");
        assertThat(dup.status()).isEqualTo(409);
        assertThat(dup.code()).isEqualTo("duplicate");
        assertThat(operator.get("/api/orders/NOPE").status()).isEqualTo(404);
        assertThat(operator.get("/api/nothing").status()).isEqualTo(404);
        assertThat(operator.send("PUT", "/api/products", "{}").status()).isEqualTo(405);
        ApiClient.Reply badKey = engineer.post("/api/devices", "{\"devEui\":\"0004a30b001c0530\",\"joinEui\":\"70b3d57ed0000001\","
                + "\"appKey\":\"00112233445566778899aabbccddeeZZ\"}");
        assertThat(badKey.status()).isEqualTo(400);
        assertThat(new String(badKey.raw())).contains("appKey").doesNotContain("00112233445566778899");
    }

    @Test
    void aWorkOrderStopsAtItsQuantity() {
        setUpLine("1.0.3");
        engineer.post("/api/orders", "{\"reference\":\"WO-2\",\"product\":\"sensor\",\"quantity\":2}");
        assertThat(operator.post("/api/orders/WO-2/reserve", "{}").status()).isEqualTo(201);
        String second = operator.post("/api/orders/WO-2/reserve", "{}").json().get("devEui").asText();
        assertThat(operator.post("/api/orders/WO-2/reserve", "{}").code()).isEqualTo("work_order_full");
        operator.post("/api/units/" + second + "/void", "{\"reason\":\"board damaged\"}");
        ApiClient.Reply third = operator.post("/api/orders/WO-2/reserve", "{}");
        assertThat(third.status()).isEqualTo(201);
        assertThat(third.json().get("devEui").asText()).isNotEqualTo(second);
    }

    @Test
    void unitsArePaged() {
        setUpLine("1.0.3");
        for (int i = 0; i < 5; i++) {
            operator.post("/api/orders/WO-1/reserve", "{}");
        }
        JsonNode page = operator.get("/api/units?order=WO-1&limit=3").json();
        assertThat(page.get("units")).hasSize(3);
        JsonNode rest = operator.get("/api/units?order=WO-1&after=" + page.get("next").asLong()).json();
        assertThat(rest.get("units")).hasSize(2);
        assertThat(rest.get("next").isNull()).isTrue();
        assertThat(operator.get("/api/units?limit=0").code()).isEqualTo("invalid_input");
    }

    @Test
    void exportNeedsAnAdminAndIsAudited() {
        setUpLine("1.0.3");
        String devEui = operator.post("/api/orders/WO-1/reserve", "{}").json().get("devEui").asText();
        operator.post("/api/units/" + devEui + "/programmed", "{}");
        operator.post("/api/units/" + devEui + "/finish", "{\"result\":\"PASSED\"}");
        assertThat(operator.get("/api/export?format=csv").status()).isEqualTo(403);
        assertThat(engineer.get("/api/export?format=csv").status()).isEqualTo(403);
        ApiClient.Reply csv = admin.get("/api/export?format=csv&order=WO-1");
        assertThat(csv.status()).isEqualTo(200);
        assertThat(new String(csv.raw())).contains(devEui);
        assertThat(admin.get("/api/export?format=nope").code()).isEqualTo("invalid_input");
        assertThat(admin.get("/api/export?format=csv&wrapKekLabel=unknown").code()).isEqualTo("kek_unknown");
        JsonNode audit = admin.get("/api/audit").json();
        boolean exported = false;
        for (JsonNode e : audit) {
            exported |= e.get("action").asText().equals("keys.export") && e.get("actor").asText().contains("admin");
        }
        assertThat(exported).isTrue();
    }

    @Test
    void anEncryptedExportIsAJweToThePostedPublicKeyForAdminsOnlyAndAPrivateKeyIsRefused() throws Exception {
        setUpLine("1.0.3");
        String devEui = operator.post("/api/orders/WO-1/reserve", "{}").json().get("devEui").asText();
        operator.post("/api/units/" + devEui + "/programmed", "{}");
        operator.post("/api/units/" + devEui + "/finish", "{\"result\":\"PASSED\"}");
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
        g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        java.security.KeyPair kp = g.generateKeyPair();
        String publicPem = pem("PUBLIC KEY", kp.getPublic().getEncoded());
        String privatePem = pem("PRIVATE KEY", kp.getPrivate().getEncoded());
        io.lorafab.jose.RecipientKey recipient = io.lorafab.jose.RecipientKey.fromPem(publicPem);

        assertThat(operator.post("/api/export/encrypted?format=csv", publicPem).status()).isEqualTo(403);
        assertThat(engineer.post("/api/export/encrypted?format=csv", publicPem).status()).isEqualTo(403);
        ApiClient.Reply jwe = admin.post("/api/export/encrypted?format=csv&order=WO-1", publicPem);

        assertThat(jwe.status()).isEqualTo(200);
        assertThat(jwe.contentType()).startsWith("application/jose");
        io.lorafab.jose.Jwe.Opened opened = io.lorafab.jose.Jwe.decrypt(new String(jwe.raw(), java.nio.charset.StandardCharsets.US_ASCII),
                io.lorafab.jose.PrivateKeyPem.fromPem(privatePem));
        assertThat(opened.plaintext()).isEqualTo(admin.get("/api/export?format=csv&order=WO-1").raw());
        assertThat(opened.keyId()).isEqualTo(recipient.thumbprint());
        assertThat(opened.contentType()).isEqualTo("csv");

        ApiClient.Reply refused = admin.post("/api/export/encrypted?format=csv", privatePem);
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.code()).isEqualTo("invalid_input");
        assertThat(refused.json().path("error").path("message").asText()).contains("private key").doesNotContain("MI");
        assertThat(admin.post("/api/export/encrypted?format=csv", "").code()).isEqualTo("invalid_input");
        long encryptedExports = lorafab.registry().auditLog(100).stream()
                .filter(e -> e.action().equals("keys.export") && e.details().contains("encrypted_to=" + recipient.thumbprint()))
                .count();
        assertThat(encryptedExports).isEqualTo(1);
    }

    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + java.util.Base64.getMimeEncoder().encodeToString(der) + "\n-----END " + label + "-----\n";
    }

    @Test
    void importIsAllOrNothingWithLineNumbers() {
        String good = "0004a30b001c0530,70b3d57ed0000001,00112233445566778899aabbccddeeff\n";
        ApiClient.Reply bad = engineer.post("/api/devices/import", "dev_eui,join_eui,app_key\n" + good + "0004a30b001c0531,zz,00\n");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.code()).isEqualTo("invalid_csv");
        assertThat(bad.json().at("/error/rows/0/line").asInt()).isEqualTo(3);
        assertThat(operator.get("/api/units").json().get("units")).isEmpty();
        ApiClient.Reply ok = engineer.post("/api/devices/import", "dev_eui,join_eui,app_key\n" + good);
        assertThat(ok.status()).isEqualTo(201);
        assertThat(ok.json().get("imported").asInt()).isEqualTo(1);
        ApiClient.Reply again = engineer.post("/api/devices/import", "dev_eui,join_eui,app_key\n" + good);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("duplicate");
        assertThat(again.json().at("/error/rows/0/line").asInt()).isEqualTo(2);
        assertThat(again.json().at("/error/rows/0/column").asText()).isEqualTo("dev_eui");
        assertThat(again.json().at("/error/rows/0/message").asText()).isEqualTo("0004a30b001c0530 already registered");
    }

    @Test
    void aDryRunImportReportsWhatTheImportWouldAndWritesNothing() {
        String good = "0004a30b001c0540,70b3d57ed0000001,00112233445566778899aabbccddeeff\n";
        ApiClient.Reply bad = engineer.post("/api/devices/import?dryRun=true", "dev_eui,join_eui,app_key\n" + good
                + "0004a30b001c0541,zz,00\n");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.code()).isEqualTo("invalid_csv");
        assertThat(bad.json().at("/error/rows/0/line").asInt()).isEqualTo(3);
        ApiClient.Reply ok = engineer.post("/api/devices/import?dryRun=true", "dev_eui,join_eui,app_key\n" + good);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().get("imported").asInt()).isEqualTo(1);
        assertThat(operator.get("/api/units").json().get("units")).isEmpty();
        assertThat(engineer.post("/api/devices/import", "dev_eui,join_eui,app_key\n" + good).status()).isEqualTo(201);
    }

    @Test
    void aBadJoinEuiIsRefusedNamingTheField() {
        ApiClient.Reply bad = engineer.post("/api/products", "{\"name\":\"gauge\",\"joinEui\":\"70b3d57ed00000zz\","
                + "\"macVersion\":\"1.0.3\",\"region\":\"EU868\",\"profileId\":\"0000ffff\"}");
        assertThat(bad.code()).isEqualTo("invalid_input");
        assertThat(bad.json().at("/error/message").asText()).startsWith("field 'joinEui': EUI-64");
    }

    @Test
    void anImportReportsFaultyRowsAndRegistryClashesInOnePassAndCountsRowsOnce() {
        String registered = "0004a30b001c0530,70b3d57ed0000001,00112233445566778899aabbccddeeff\n";
        assertThat(engineer.post("/api/devices/import", "dev_eui,join_eui,app_key\n" + registered).status()).isEqualTo(201);
        ApiClient.Reply bad = engineer.post("/api/devices/import", "dev_eui,join_eui,app_key\n"
                + "0004a30b001c0530,70b3d57ed0000001,0011\n"   // line 2: short key and already registered: one row
                + "0004a30b001c0531,zz,00112233445566778899aabbccddeeff\n"
                + "0004a30b001c0532,70b3d57ed0000001,00112233445566778899aabbccddeeff\n"
                + registered);                                  // line 5: also on line 2, and already registered: one row
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.code()).isEqualTo("invalid_csv");
        assertThat(bad.json().at("/error/rejectedRows").asInt()).isEqualTo(3);
        assertThat(bad.json().at("/error/message").asText()).isEqualTo("3 rejected rows, nothing imported");
        assertThat(bad.json().at("/error/rows").findValuesAsText("line")).containsExactly("2", "2", "3", "5", "5");
        assertThat(bad.json().at("/error/rows/1/message").asText()).isEqualTo("0004a30b001c0530 already registered");
        assertThat(operator.get("/api/units").json().get("units")).hasSize(1);
    }

    @Test
    void malformedJsonIsNamedByPositionWithoutRepeatingTheBody() {
        String secret = "2b7e151628aed2a6abf7158809cf4f3c";
        ApiClient.Reply r = engineer.post("/api/devices", "{\n  \"devEui\": \"0004a30b001c0530\",\n  \"appKey\": " + secret + "\n}");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.code()).isEqualTo("bad_json");
        String message = r.json().at("/error/message").asText();
        assertThat(message).isEqualTo("the body is not valid JSON: syntax error at line 3, column 14");
        assertThat(r.json().toString()).doesNotContain(secret.substring(0, 8)).doesNotContain("Unrecognized")
                .doesNotContain("StreamReadFeature").doesNotContain("Exception");
        assertThat(engineer.post("/api/devices", "{\"devEui\": \"0004a").json().at("/error/message").asText())
                .isEqualTo("the body is not valid JSON: unexpected end of input at line 1, column 18");
    }

    @Test
    void aNotFoundMessageRepeatsAtMostABoundedSanitisedPath() {
        String longPath = "/api/" + "x".repeat(6_000); // under the 8 KiB request-line limit (longer: 414)
        ApiClient.Reply r = operator.get(longPath);
        assertThat(r.status()).isEqualTo(404);
        String message = r.json().at("/error/message").asText();
        assertThat(message).startsWith("no such endpoint: /api/xxx").endsWith("...");
        assertThat(message.length()).isLessThan(120);
        assertThat(operator.get("/api/%C3%A9t%E2%80%8Be").json().at("/error/message").asText())
                .isEqualTo("no such endpoint: /api/?t?e");
    }

    @Test
    void labelSheetsHoldPassedUnitsUnlessAllStatesIsAsked() {
        setUpLine("1.0.3");
        String reserved = operator.post("/api/orders/WO-1/reserve", "{}").json().get("devEui").asText();
        ApiClient.Reply none = operator.get("/api/orders/WO-1/labels?format=zpl");
        assertThat(none.code()).isEqualTo("nothing_to_print");
        ApiClient.Reply pdf = operator.get("/api/orders/WO-1/labels?format=pdf&allStates=true");
        assertThat(pdf.status()).as(pdf.json().toString()).isEqualTo(200);
        assertThat(new String(pdf.raw(), 0, 4)).isEqualTo("%PDF");
        String passed = operator.post("/api/orders/WO-1/reserve", "{}").json().get("devEui").asText();
        operator.post("/api/units/" + passed + "/programmed", "{\"stationId\":\"st-1\"}");
        operator.post("/api/units/" + passed + "/finish", "{\"result\":\"PASSED\",\"stationId\":\"st-1\"}");
        String zpl = new String(operator.get("/api/orders/WO-1/labels?format=zpl").raw());
        assertThat(zpl).startsWith("^XA").contains(passed.toUpperCase()).doesNotContain(reserved.toUpperCase());
        assertThat(new String(operator.get("/api/orders/WO-1/labels?format=zpl&allStates=true").raw()))
                .contains(passed.toUpperCase()).contains(reserved.toUpperCase());
        assertThat(operator.get("/api/orders/WO-1/labels?format=gif").code()).isEqualTo("invalid_input");
    }

    @Test
    void oneUnitsLabelForALabelPrinter() {
        setUpLine("1.0.3");
        String devEui = operator.post("/api/orders/WO-1/reserve", "{\"stationId\":\"st-1\"}").json().get("devEui").asText();
        ApiClient.Reply zpl = operator.get("/api/units/" + devEui + "/label?format=zpl&size=50x25");
        assertThat(zpl.status()).isEqualTo(200);
        assertThat(new String(zpl.raw())).startsWith("^XA").contains("LW:D0:70B3D57ED0000001:" + devEui.toUpperCase());
        ApiClient.Reply pdf = operator.get("/api/units/" + devEui + "/label");
        assertThat(new String(pdf.raw(), 0, 4)).isEqualTo("%PDF");
        assertThat(operator.get("/api/units/" + devEui + "/label?format=gif").code()).isEqualTo("invalid_input");
        assertThat(operator.get("/api/units/" + devEui + "/label?size=big").code()).isEqualTo("invalid_input");
        assertThat(operator.get("/api/units/70b3d57ed00fffff/label").status()).isEqualTo(404);
        operator.post("/api/units/" + devEui + "/void", "{\"reason\":\"dropped\"}");
        assertThat(operator.get("/api/units/" + devEui + "/label").code()).isEqualTo("unit_void");
        assertThat(operator.get("/api/units/" + devEui + "/label?anyState=true").status()).isEqualTo(200);
    }

    @Test
    void aFailedUnitsLabelOnlyWhenAskedForExplicitly() {
        setUpLine("1.0.3");
        String devEui = operator.post("/api/orders/WO-1/reserve", "{\"stationId\":\"st-1\"}").json().get("devEui").asText();
        operator.post("/api/units/" + devEui + "/programmed", "{\"stationId\":\"st-1\"}");
        ApiClient.Reply failed = operator.post("/api/units/" + devEui + "/finish",
                "{\"result\":\"FAILED\",\"reasonCode\":\"join_failed\",\"stationId\":\"st-1\"}");
        assertThat(failed.status()).as(failed.json().toString()).isEqualTo(200);
        ApiClient.Reply refused = operator.get("/api/units/" + devEui + "/label?format=zpl");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("unit_failed");
        assertThat(new String(operator.get("/api/units/" + devEui + "/label?format=zpl&anyState=true").raw()))
                .startsWith("^XA").contains(devEui.toUpperCase());
    }

    @Test
    void unitsFilterByStation() {
        setUpLine("1.0.3");
        operator.post("/api/orders/WO-1/reserve", "{\"stationId\":\"st-1\"}");
        String second = operator.post("/api/orders/WO-1/reserve", "{\"stationId\":\"st-2\"}").json().get("devEui").asText();
        JsonNode units = operator.get("/api/units?order=WO-1&state=RESERVED&station=st-2").json().get("units");
        assertThat(units).hasSize(1);
        assertThat(units.get(0).get("devEui").asText()).isEqualTo(second);
    }

    // ---- yield, closing, units, audit (issue 10 section 3) --------------------------------------------------

    /** Runs {@code lorafab} in-process on this test's database, as an engineer at the server's console would. */
    JsonNode cliJson(String... args) {
        java.util.List<String> a = new java.util.ArrayList<>(java.util.List.of(args));
        a.addAll(java.util.List.of("--data-dir", dataDir.toString()));
        if (url != null) {
            a.addAll(java.util.List.of("--db", url));
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        int exit = io.lorafab.app.cli.LorafabCommand.run(a.toArray(String[]::new), new java.io.PrintStream(out, true),
                new java.io.PrintStream(err, true));
        assertThat(exit).as(err.toString()).isZero();
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString());
        } catch (java.io.IOException e) {
            throw new AssertionError(out.toString(), e);
        }
    }

    String reserveAndProgram(String station) {
        String devEui = operator.post("/api/orders/WO-1/reserve", "{\"stationId\":\"" + station + "\"}").json().get("devEui").asText();
        assertThat(operator.post("/api/units/" + devEui + "/programmed", "{\"stationId\":\"" + station + "\"}").status()).isEqualTo(200);
        return devEui;
    }

    void finish(String devEui, String station, String reasonOrNull) {
        String body = reasonOrNull == null ? "{\"result\":\"PASSED\",\"stationId\":\"" + station + "\"}"
                : "{\"result\":\"FAILED\",\"reasonCode\":\"" + reasonOrNull + "\",\"stationId\":\"" + station + "\"}";
        assertThat(operator.post("/api/units/" + devEui + "/finish", body).status()).isEqualTo(200);
    }

    @Test
    void anOrdersYieldFiguresAreTheSameFromTheApiAndFromOrdersShowJson() {
        setUpLine("1.0.3");
        String first = reserveAndProgram("st-1");
        finish(first, "st-1", null);                                  // passed its first run
        String second = reserveAndProgram("st-1");
        finish(second, "st-1", "join_failed");
        operator.post("/api/units/" + second + "/programmed", "{\"stationId\":\"st-2\"}");
        finish(second, "st-2", null);                                 // passed its second run: final, not first-pass
        String third = reserveAndProgram("st-1");
        finish(third, "st-1", "module_error");
        finish(third, "st-2", "join_failed");                         // its latest failed run counts
        reserveAndProgram("st-1");                                    // not tested yet

        JsonNode order = operator.get("/api/orders/WO-1").json();
        JsonNode t = order.get("testing");
        assertThat(t.get("testedUnits").asLong()).isEqualTo(3);
        assertThat(t.get("firstPassUnits").asLong()).isEqualTo(1);
        assertThat(t.get("firstPassYield").asDouble()).isEqualTo(1.0 / 3);
        assertThat(t.get("passed").asLong()).isEqualTo(2);
        assertThat(t.get("failed").asLong()).isEqualTo(1);
        assertThat(t.get("finalYield").asDouble()).isEqualTo(2.0 / 3);
        assertThat(order.get("yield").asDouble()).isEqualTo(2.0 / 3);
        assertThat(t.at("/retests/units").asLong()).isEqualTo(2);
        assertThat(t.at("/retests/extraRuns").asLong()).isEqualTo(2);
        assertThat(t.at("/failures/units").asLong()).isEqualTo(2);
        assertThat(t.at("/failures/byReason").toString()).isEqualTo("[{\"reason\":\"join_failed\",\"units\":2}]");
        assertThat(t.at("/failures/byStation").toString())
                .isEqualTo("[{\"station\":\"st-1\",\"units\":1},{\"station\":\"st-2\",\"units\":1}]");

        java.util.List<String> states = new java.util.ArrayList<>();
        order.get("units").fieldNames().forEachRemaining(states::add);
        assertThat(states).containsExactly("reserved", "programmed", "passed", "failed", "void");

        JsonNode shown = cliJson("orders", "show", "WO-1", "--json");
        assertThat(shown.get("testing")).isEqualTo(t);
        assertThat(shown.get("yield")).isEqualTo(order.get("yield"));
        assertThat(shown.at("/counts/PASSED").asLong()).isEqualTo(order.at("/units/passed").asLong());
        assertThat(shown.at("/order/state").asText()).isEqualTo(order.get("state").asText());
    }

    @Test
    void aClosedOrderRefusesAllocatedAndScannedReservationsWhileItsReservedUnitsCanStillBeFinished() {
        setUpLine("1.0.3");
        String programmed = reserveAndProgram("st-1");
        String scanned = operator.post("/api/orders/WO-1/reserve", "{\"scanned\":\"70b3d57ed0010300\"}").json().get("devEui").asText();

        assertThat(operator.post("/api/orders/WO-1/close", "{}").status()).as("engineer role").isEqualTo(403);
        ApiClient.Reply notText = engineer.post("/api/orders/WO-1/close", "{\"reason\":5}");
        assertThat(notText.code()).isEqualTo("invalid_input");
        assertThat(notText.json().at("/error/message").asText()).isEqualTo("field 'reason' must be a string");
        ApiClient.Reply twoLines = engineer.post("/api/orders/WO-1/close", "{\"reason\":\"a\\nb\"}");
        assertThat(twoLines.code()).isEqualTo("invalid_input");
        assertThat(twoLines.json().at("/error/message").asText()).isEqualTo("reason: contains a control character");
        assertThat(engineer.post("/api/orders/WO-1/close", "{reason").code()).isEqualTo("bad_json");
        assertThat(operator.get("/api/orders/WO-1").json().get("state").asText()).isEqualTo("OPEN");
        ApiClient.Reply closed = engineer.post("/api/orders/WO-1/close", "{\"reason\":\"batch done\"}");
        assertThat(closed.status()).isEqualTo(200);
        assertThat(closed.json().get("state").asText()).isEqualTo("CLOSED");
        assertThat(closed.json().get("closedBy").asText()).isEqualTo("token:2:eng");
        assertThat(closed.json().get("closeReason").asText()).isEqualTo("batch done");
        assertThat(closed.json().get("closedAt").isNull()).isFalse();

        for (String body : java.util.List.of("{}", "{\"scanned\":\"70b3d57ed0010301\"}", "{\"scanned\":\"" + scanned + "\"}")) {
            ApiClient.Reply refused = operator.post("/api/orders/WO-1/reserve", body);
            assertThat(refused.status()).as(body).isEqualTo(409);
            assertThat(refused.code()).as(body).isEqualTo("work_order_closed");
            assertThat(refused.json().at("/error/message").asText()).as(body)
                    .startsWith("work order WO-1 is closed since ").contains("by token:2:eng (reason: batch done)");
        }
        assertThat(lorafab.registry().unit(Eui64.parse("70b3d57ed0010301"))).isEmpty();

        finish(programmed, "st-1", null);
        assertThat(operator.post("/api/units/" + scanned + "/void", "{\"reason\":\"order closed\"}").status()).isEqualTo(200);

        ApiClient.Reply again = engineer.post("/api/orders/WO-1/close", "{\"reason\":\"twice\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("work_order_closed");
        assertThat(again.json().at("/error/message").asText()).startsWith("work order WO-1 is already closed since ")
                .endsWith("(reason: batch done)");
        assertThat(operator.get("/api/orders/WO-1").json().get("closeReason").asText()).isEqualTo("batch done");

        JsonNode audit = admin.get("/api/audit?action=work_order.close").json();
        assertThat(audit).hasSize(1);
        assertThat(audit.get(0).get("subject").asText()).isEqualTo("work_order:WO-1");
        assertThat(audit.get(0).get("details").asText()).isEqualTo("reason=batch done");
        assertThat(audit.get(0).get("actor").asText()).isEqualTo("token:2:eng");

        ApiClient.Reply reopened = engineer.post("/api/orders/WO-1/reopen", "");
        assertThat(reopened.json().get("state").asText()).isEqualTo("OPEN");
        assertThat(reopened.json().get("closedAt").isNull()).isTrue();
        assertThat(operator.post("/api/orders/WO-1/reserve", "{}").status()).isEqualTo(201);
        assertThat(engineer.post("/api/orders/WO-1/reopen", "").code()).isEqualTo("illegal_transition");
        assertThat(admin.get("/api/audit?action=work_order.reopen").json()).hasSize(1);
        assertThat(engineer.post("/api/orders/NOPE/close", "").status()).isEqualTo(404);
    }

    @Test
    void unitsCarryTheirProductAndOrderNamesAndTheirMeasurementsAsAJsonObject() {
        setUpLine("1.0.3");
        String devEui = reserveAndProgram("st-1");
        assertThat(operator.post("/api/units/" + devEui + "/finish", "{\"result\":\"PASSED\",\"stationId\":\"st-1\","
                + "\"measurements\":{\"rssi\":-61,\"snr\":7.5,\"gateway\":{\"eui\":\"0102030405060708\"}}}").status()).isEqualTo(200);
        JsonNode unit = operator.get("/api/units/" + devEui).json();
        assertThat(unit.get("product").asText()).isEqualTo("sensor");
        assertThat(unit.get("order").asText()).isEqualTo("WO-1");
        JsonNode m = unit.at("/testRuns/0/measurements");
        assertThat(m.isObject()).as(m.toString()).isTrue();
        assertThat(m.get("rssi").asInt()).isEqualTo(-61);
        assertThat(m.get("snr").asDouble()).isEqualTo(7.5);
        assertThat(m.at("/gateway/eui").asText()).isEqualTo("0102030405060708");

        JsonNode listed = operator.get("/api/units?order=WO-1").json().get("units").get(0);
        assertThat(listed.get("product").asText()).isEqualTo("sensor");
        assertThat(listed.get("order").asText()).isEqualTo("WO-1");
        // a device added without a product or order has none to name
        engineer.post("/api/devices", "{\"devEui\":\"0004a30b001c0530\",\"joinEui\":\"70b3d57ed0000001\","
                + "\"appKey\":\"00112233445566778899aabbccddeeff\"}");
        JsonNode added = operator.get("/api/units/0004a30b001c0530").json();
        assertThat(added.get("product").isNull()).isTrue();
        assertThat(added.get("order").isNull()).isTrue();
    }

    @Test
    void theAuditTrailIsFilteredByActorActionUnitAndTimeForAdminsOnly() {
        setUpLine("1.0.3");
        String a = reserveAndProgram("st-1");
        String b = reserveAndProgram("st-2");
        finish(a, "st-1", null);
        assertThat(engineer.get("/api/audit?unit=" + a).status()).isEqualTo(403);
        assertThat(operator.get("/api/audit").status()).isEqualTo(403);

        java.util.function.Function<String, java.util.List<String>> actions = query -> {
            ApiClient.Reply r = admin.get("/api/audit" + query);
            assertThat(r.status()).as(query + ": " + r.json()).isEqualTo(200);
            java.util.List<String> out = new java.util.ArrayList<>();
            r.json().forEach(e -> out.add(e.get("action").asText() + " " + e.get("subject").asText()));
            return out;
        };
        assertThat(actions.apply("?unit=" + a)).containsExactly("unit.finish " + a, "unit.programmed " + a, "unit.reserve " + a);
        assertThat(actions.apply("?unit=" + b.toUpperCase() + "&action=unit.reserve")).containsExactly("unit.reserve " + b);
        assertThat(actions.apply("?action=unit.*&actor=token:3:line-1&limit=2")).containsExactly("unit.finish " + a,
                "unit.programmed " + b);
        assertThat(actions.apply("?actor=token:2:eng")).containsExactly("auth.forbidden GET /api/audit", "work_order.create work_order:WO-1",
                "eui_block.create eui_block:1", "product.create product:1");
        // the same records as the command line writes: both call Provisioning.createProduct / createEuiBlock
        java.util.Map<String, String> details = new java.util.HashMap<>();
        admin.get("/api/audit?action=product.create").json().forEach(e -> details.put("product", e.get("details").asText()));
        admin.get("/api/audit?action=eui_block.create").json().forEach(e -> details.put("block", e.get("details").asText()));
        assertThat(details.get("product")).startsWith("name=sensor joinEui=70b3d57ed0000001 macVersion=1.0.3 region=EU868 profileId=");
        assertThat(details.get("block")).startsWith("name=b1 assignment=").contains(" prefix=70b3d57ed ").endsWith(" product=sensor");
        assertThat(actions.apply("?actor=token:2:eng&action=auth.*")).containsExactly("auth.forbidden GET /api/audit");
        assertThat(actions.apply("?unit=" + a + "&since=1h")).hasSize(3);
        assertThat(actions.apply("?unit=" + a + "&until=2000-01-01")).isEmpty();
        assertThat(actions.apply("?unit=" + a + "&since=2000-01-01T00:00:00Z&until=2999-01-01")).hasSize(3);

        ApiClient.Reply badTime = admin.get("/api/audit?since=yesterday");
        assertThat(badTime.status()).isEqualTo(400);
        assertThat(badTime.code()).isEqualTo("invalid_input");
        assertThat(badTime.json().at("/error/message").asText()).isEqualTo(
                "since: 'yesterday' is not a time (use 2026-12-06T10:00:00Z, 2026-12-06 or an age such as 24h, 7d)");
        assertThat(admin.get("/api/audit?limit=0").code()).isEqualTo("invalid_input");
        assertThat(admin.get("/api/audit?limit=x").code()).isEqualTo("invalid_input");
        assertThat(admin.get("/api/audit?unit=zz").code()).isEqualTo("invalid_input");
        assertThat(admin.get("/api/audit?since=2026-12-06&until=2026-12-05").code()).isEqualTo("invalid_input");
    }

    @Test
    void theNetworkServersThatMayJoinDevicesAreSetPerProductAndPerDevice() {
        ApiClient.Reply p = engineer.post("/api/products", "{\"name\":\"sensor\",\"joinEui\":\"70b3d57ed0000001\",\"macVersion\":"
                + "\"1.0.3\",\"region\":\"EU868\",\"profileId\":\"12340001\",\"netIds\":[\"000042\",\"000013\"]}");
        assertThat(p.status()).isEqualTo(201);
        assertThat(p.json().get("netIds")).extracting(JsonNode::asText).containsExactly("000013", "000042");
        assertThat(operator.get("/api/products").json().get(0).get("netIds")).extracting(JsonNode::asText).containsExactly("000013", "000042");

        ApiClient.Reply own = engineer.post("/api/devices", "{\"devEui\":\"0004a30b001c0530\",\"joinEui\":\"70b3d57ed0000001\","
                + "\"appKey\":\"2b7e151628aed2a6abf7158809cf4f3c\",\"product\":\"sensor\",\"netIds\":[\"600013\"]}");
        assertThat(own.status()).isEqualTo(201);
        assertThat(own.json().get("netIds")).extracting(JsonNode::asText).containsExactly("600013");

        ApiClient.Reply set = engineer.send("PUT", "/api/products/sensor/net-ids", "{\"netIds\":[]}");
        assertThat(set.status()).isEqualTo(200);
        assertThat(set.json().get("netIds")).isEmpty();
        assertThat(lorafab.registry().allowedNetIds(io.lorafab.lorawan.types.Eui64.parse("0004a30b001c0530")).toString()).isEqualTo("600013");

        assertThat(engineer.send("PUT", "/api/products/sensor/net-ids", "{\"netIds\":\"000013\"}").code()).isEqualTo("invalid_input");
        ApiClient.Reply bad = engineer.send("PUT", "/api/products/sensor/net-ids", "{\"netIds\":[\"13\"]}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.raw()).asString().contains("'13' is not a NetID").doesNotContain("Exception");
        assertThat(operator.send("PUT", "/api/products/sensor/net-ids", "{\"netIds\":[]}").status()).isEqualTo(403);
        assertThat(engineer.send("PUT", "/api/products/none/net-ids", "{\"netIds\":[]}").code()).isEqualTo("not_found");
    }
}
