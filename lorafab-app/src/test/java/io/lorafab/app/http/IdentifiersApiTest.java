package io.lorafab.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.app.wiring.Lorafab;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.store.model.NewUnit;
import io.lorafab.store.model.Role;
import io.lorafab.store.model.UnitOrigin;
import io.lorafab.store.model.UnitState;
import io.lorafab.testkit.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Security review issue 11, finding 11, over the real HTTP socket on PostgreSQL: work order references and serial
 * numbers are checked when they are created, and a download's file name can neither break its header nor become a
 * path, whatever an older record holds.
 */
class IdentifiersApiTest {

    @TempDir
    Path dataDir;

    private String url;
    private Lorafab lorafab;
    private ApiServer server;
    private ApiClient engineer;
    private ApiClient operator;
    private String operatorToken;

    @BeforeEach
    void start() throws Exception {
        url = TestPostgres.freshSchema();
        lorafab = Lorafab.open(url, dataDir, Map.of(), Clock.systemUTC());
        server = new ApiServer(lorafab, "127.0.0.1", 0, 4);
        server.start();
        String base = "http://127.0.0.1:" + server.port();
        engineer = new ApiClient(base, lorafab.tokens().create("eng", Role.ENGINEER, "test").secret());
        operatorToken = lorafab.tokens().create("line-1", Role.OPERATOR, "test").secret();
        operator = new ApiClient(base, operatorToken);
        assertThat(engineer.post("/api/products", "{\"name\":\"sensor\",\"joinEui\":\"70b3d57ed0000001\",\"macVersion\":\"1.0.3\","
                + "\"region\":\"EU868\",\"profileId\":\"12340001\"}").status()).isEqualTo(201);
        assertThat(engineer.post("/api/eui-blocks", "{\"name\":\"b1\",\"product\":\"sensor\",\"assignment\":\"MA-S\","
                + "\"prefix\":\"70b3d57ed\",\"first\":\"70b3d57ed0010000\",\"size\":1000}").status()).isEqualTo(201);
    }

    @AfterEach
    void stop() {
        server.close();
        lorafab.close();
        TestPostgres.drop(url);
    }

    private static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "\\r").replace("\n", "\\n") + "\"";
    }

    @ParameterizedTest(name = "reference {0} is refused")
    @ValueSource(strings = {"../../etc/passwd", "WO/1", "<script>alert(1)</script>", "a\"b;c", "WO 1", "-WO", ".hidden", "",
            "WO-1\r\nX: y", "0123456789012345678901234567890123456789012345678901234567890123456789"})
    void aWorkOrderReferenceWithPathsMarkupOrQuotesIsRefused(String reference) {
        ApiClient.Reply r = engineer.post("/api/orders", "{\"reference\":" + json(reference) + ",\"product\":\"sensor\",\"quantity\":1}");

        assertThat(r.status()).isEqualTo(400);
        assertThat(r.code()).isEqualTo("invalid_input");
        assertThat(r.json().path("error").path("message").asText()).startsWith("work order reference: ");
        if (!reference.isEmpty()) {
            assertThat(new String(r.raw())).as("the refusal does not repeat the text").doesNotContain(reference);
        }
        assertThat(lorafab.registry().workOrders()).isEmpty();
    }

    @ParameterizedTest(name = "reference {0} is taken")
    @ValueSource(strings = {"WO-0001", "wo_2026.12", "7", "A123456789012345678901234567890123456789012345678901234567890123"})
    void aPlainWorkOrderReferenceIsTaken(String reference) {
        assertThat(engineer.post("/api/orders", "{\"reference\":" + json(reference) + ",\"product\":\"sensor\",\"quantity\":1}")
                .status()).isEqualTo(201);
    }

    @Test
    void aSerialWithMarkupOrQuotesIsRefusedAtReservationAndAtAdd() {
        engineer.post("/api/orders", "{\"reference\":\"WO-1\",\"product\":\"sensor\",\"quantity\":5}");

        ApiClient.Reply reserve = operator.post("/api/orders/WO-1/reserve", "{\"stationId\":\"line-1\",\"serial\":\"a\\\"b;c\"}");
        ApiClient.Reply add = engineer.post("/api/devices", "{\"devEui\":\"0004a30b001c0530\",\"joinEui\":\"70b3d57ed0000001\","
                + "\"appKey\":\"00112233445566778899aabbccddeeff\",\"serial\":\"../../x\"}");
        ApiClient.Reply ok = operator.post("/api/orders/WO-1/reserve", "{\"stationId\":\"line-1\",\"serial\":\"SN-0001.a_b\"}");

        assertThat(reserve.code()).isEqualTo("invalid_input");
        assertThat(reserve.json().path("error").path("message").asText()).startsWith("serial number: ");
        assertThat(add.code()).isEqualTo("invalid_input");
        assertThat(ok.status()).isEqualTo(201);
        assertThat(lorafab.registry().unitBySerial("a\"b;c")).isEmpty();
        assertThat(lorafab.registry().unit(Eui64.parse("0004a30b001c0530"))).isEmpty();
    }

    @Test
    void anImportedSerialWithMarkupIsRefusedByLine() {
        String csv = "dev_eui,join_eui,app_key,serial\n0004a30b001c0530,70b3d57ed0000001,00112233445566778899aabbccddeeff,SN-1\n"
                + "0004a30b001c0531,70b3d57ed0000001,00112233445566778899aabbccddeeff,<b>x</b>\n";
        ApiClient.Reply r = engineer.send("POST", "/api/devices/import", csv);

        assertThat(r.status()).isEqualTo(409);
        assertThat(r.json().path("error").path("rows").get(0).get("line").asInt()).isEqualTo(3);
        assertThat(r.json().path("error").path("rows").get(0).get("column").asText()).isEqualTo("serial");
        assertThat(lorafab.registry().unit(Eui64.parse("0004a30b001c0530"))).as("nothing of the file").isEmpty();
    }

    /** A unit recorded before serials were checked, as an older database may hold it. */
    private void olderUnit(String devEui, String serial, Long orderId) {
        long product = lorafab.registry().productByName("sensor").orElseThrow().id();
        lorafab.registry().insertUnit(new NewUnit(Eui64.parse(devEui), Eui64.parse("70b3d57ed0000001"), product, orderId, serial, null,
                MacVersion.V1_0_3, Region.byName("EU868"), lorafab.vault().wrap(AesKey.parse("00112233445566778899aabbccddeeff"), null),
                UnitState.PROGRAMMED, UnitOrigin.ADDED, null));
    }

    private String disposition(String path) throws Exception {
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + path)).header("Authorization", "Bearer " + operatorToken).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).as(new String(r.body(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(r.headers().allValues("Content-Disposition")).hasSize(1);
        return r.headers().firstValue("Content-Disposition").orElseThrow();
    }

    @Test
    void aDownloadNameCannotEndItsHeaderParameterOrBecomeAPath() throws Exception {
        olderUnit("0004a30b001c0540", "a\"b;c", null);
        olderUnit("0004a30b001c0541", "../../etc/cron.d/x", null);

        assertThat(disposition("/api/units/0004a30b001c0540/label?format=zpl"))
                .isEqualTo("attachment; filename=\"a_b_c-label.zpl\"; filename*=UTF-8''a_b_c-label.zpl");
        assertThat(disposition("/api/units/0004a30b001c0541/label?format=zpl"))
                .isEqualTo("attachment; filename=\"_.._etc_cron.d_x-label.zpl\"; filename*=UTF-8''_.._etc_cron.d_x-label.zpl");
    }

    @Test
    void aNonAsciiDownloadNameHasAnAsciiFallbackAndAnRfc8187Name() throws Exception {
        long product = lorafab.registry().productByName("sensor").orElseThrow().id();
        long order = lorafab.registry().createWorkOrder("Zähler", product, 1).id(); // recorded before references were checked
        olderUnit("0004a30b001c0542", "SN-1", order);

        assertThat(disposition("/api/orders/Z%C3%A4hler/labels?format=zpl&allStates=true"))
                .isEqualTo("attachment; filename=\"Z_hler-labels.zpl\"; filename*=UTF-8''Z%C3%A4hler-labels.zpl");
    }
}
