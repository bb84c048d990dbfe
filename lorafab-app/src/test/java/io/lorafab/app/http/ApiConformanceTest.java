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

    void dropDb() {
    }

    @BeforeEach
    void start() throws Exception {
        lorafab = Lorafab.open(dbUrl(), dataDir, Map.of(), Clock.systemUTC());
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
        assertThat(actions).contains("auth.unauthenticated", "auth.forbidden", "product.create", "order.create");

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
    void labelSheetsForAnOrder() {
        setUpLine("1.0.3");
        operator.post("/api/orders/WO-1/reserve", "{}");
        ApiClient.Reply pdf = operator.get("/api/orders/WO-1/labels?format=pdf");
        assertThat(pdf.status()).as(pdf.json().toString()).isEqualTo(200);
        assertThat(new String(pdf.raw(), 0, 4)).isEqualTo("%PDF");
        ApiClient.Reply zpl = operator.get("/api/orders/WO-1/labels?format=zpl");
        assertThat(new String(zpl.raw())).startsWith("^XA");
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
}
