package io.lorafab.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.app.wiring.JoinServerRuntime;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.gateway.client.PacketForwarderClient;
import io.lorafab.gateway.semtech.SemtechPacket;
import io.lorafab.gateway.semtech.TxAckError;
import io.lorafab.joinserver.JoinServerConfig;
import io.lorafab.lorawan.frame.JoinRequest;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.DevNonce;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.Mic;
import io.lorafab.lorawan.types.NetId;
import io.lorafab.lorawan.crypto.JoinMic;
import io.lorafab.provisioning.model.DeviceIdentity;
import io.lorafab.store.model.Role;
import io.lorafab.store.model.UnitState;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} of a real server: joins through the real Semtech UDP path (one accepted after the gateway
 * refused RX1, one refused as a replay), reservations through the API, then the Prometheus text scraped over HTTP
 * with a token and read back: each counter moved by exactly what happened, under its tags, and nothing in the
 * scrape names a device or a key.
 */
class MetricsTest {
    static final AesKey APP_KEY = AesKey.parse("2b7e151628aed2a6abf7158809cf4f3c");
    static final Eui64 JOIN_EUI = Eui64.parse("70b3d57ed0000001");
    static final Eui64 DEV = Eui64.parse("0004a30b001c0530");
    static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    Lorafab lf;
    ApiServer api;
    JoinServerRuntime js;
    PacketForwarderClient gw;
    ApiClient engineer;
    ApiClient operator;
    String operatorToken;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        lf = Lorafab.open(null, dir, Map.of(), Clock.systemUTC());
        lf.provisioning().addDevice(new DeviceIdentity(DEV, JOIN_EUI, APP_KEY, null, MacVersion.V1_0_3, Region.byName("EU868"), null,
                null), null, "t");
        api = new ApiServer(lf, "127.0.0.1", 0, 8);
        js = new JoinServerRuntime(lf, JoinServerConfig.defaults().withNetId(NetId.parse("000013")).withRateLimits(0, 0),
                new InetSocketAddress("127.0.0.1", 0), null, api);
        js.start();
        api.start();
        String base = "http://127.0.0.1:" + api.port();
        operatorToken = lf.tokens().create("prometheus", Role.OPERATOR, "t").secret();
        operator = new ApiClient(base, operatorToken);
        engineer = new ApiClient(base, lf.tokens().create("eng", Role.ENGINEER, "t").secret());
        gw = new PacketForwarderClient(Eui64.parse("0000000000000a01"), new InetSocketAddress("127.0.0.1", js.udpPort()));
        gw.pull(WAIT);
    }

    @AfterEach
    void stop() {
        gw.close();
        js.close();
        api.close();
        lf.close();
    }

    static byte[] joinRequest(int devNonce) {
        JoinRequest jr = new JoinRequest(JOIN_EUI, DEV, DevNonce.of(devNonce), new Mic(0));
        return jr.withMic(JoinMic.joinRequestMic(APP_KEY, jr.micPayload())).encode();
    }

    @Test
    void aScrapeCountsJoinsReservationsDownlinksAndRequestsByTheirWordsAndNamesNoDeviceOrKey() throws Exception {
        // a reservation through the API, and one refused (no such order)
        assertThat(engineer.post("/api/products", "{\"name\":\"sensor\",\"joinEui\":\"70b3d57ed0000001\",\"macVersion\":\"1.0.3\","
                + "\"region\":\"EU868\",\"profileId\":\"12340001\"}").status()).isEqualTo(201);
        assertThat(engineer.post("/api/eui-blocks", "{\"name\":\"b1\",\"product\":\"sensor\",\"assignment\":\"MA-S\","
                + "\"prefix\":\"70b3d57ed\",\"first\":\"70b3d57ed0010000\",\"size\":1000}").status()).isEqualTo(201);
        assertThat(engineer.post("/api/orders", "{\"reference\":\"WO-1\",\"product\":\"sensor\",\"quantity\":100}").status())
                .isEqualTo(201);
        ApiClient.Reply reserved = operator.post("/api/orders/WO-1/reserve", "{\"stationId\":\"st-1\"}");
        assertThat(reserved.status()).isEqualTo(201);
        assertThat(operator.post("/api/orders/WO-9/reserve", "{\"stationId\":\"st-1\"}").status()).isEqualTo(404);
        assertThat(operator.get("/api/no-such/" + DEV).status()).isEqualTo(404);

        // a join: the gateway refuses RX1 (COLLISION_PACKET), takes RX2
        gw.push(PacketForwarderClient.rxpk(joinRequest(771), 1_000_000L, 868_100_000L, 7, -61, 9.0));
        SemtechPacket.PullResp rx1 = gw.awaitPullResp(WAIT).orElseThrow(() -> new AssertionError("no join-accept"));
        gw.txAck(rx1, TxAckError.COLLISION_PACKET);
        SemtechPacket.PullResp rx2 = gw.awaitPullResp(WAIT).orElseThrow(() -> new AssertionError("no RX2 join-accept"));
        gw.txAck(rx2, TxAckError.NONE);
        // the same join-request again: refused
        gw.push(PacketForwarderClient.rxpk(joinRequest(771), 30_000_000L, 868_100_000L, 7, -61, 9.0));

        Map<String, String> rejected = Map.of("result", "rejected", "code", "dev_nonce_reused", "path", "udp");
        String scrape = awaitScrape(s -> value(s, "lorafab_joins_total", rejected) == 1
                && value(s, "lorafab_gateway_datagrams_total", Map.of("type", "TX_ACK")) == 2);

        assertThat(value(scrape, "lorafab_joins_total", Map.of("result", "accepted", "code", "none", "path", "udp"))).isEqualTo(1);
        assertThat(value(scrape, "lorafab_joins_total", Map.of("result", "accepted", "code", "none", "path", "bi"))).isZero();
        assertThat(value(scrape, "lorafab_join_duration_seconds_count", Map.of("result", "accepted", "path", "udp"))).isEqualTo(1);
        assertThat(value(scrape, "lorafab_join_duration_seconds_count", Map.of("result", "rejected", "path", "udp"))).isEqualTo(1);
        assertThat(value(scrape, "lorafab_reservations_total", Map.of("result", "reserved", "code", "none"))).isEqualTo(1);
        assertThat(value(scrape, "lorafab_reservations_total", Map.of("result", "refused", "code", "not_found"))).isEqualTo(1);
        assertThat(value(scrape, "lorafab_reservations_total", Map.of("result", "resumed", "code", "none"))).isZero();
        Map<UnitState, Long> counts = lf.registry().unitCounts(null);
        for (UnitState state : UnitState.values()) {
            assertThat(value(scrape, "lorafab_units", Map.of("state", state.name()))).as(state.name())
                    .isEqualTo((double) counts.getOrDefault(state, 0L));
        }
        assertThat(value(scrape, "lorafab_units", Map.of("state", "RESERVED"))).isEqualTo(1);
        assertThat(value(scrape, "lorafab_gateway_downlinks_total", Map.of())).isEqualTo(2);
        assertThat(value(scrape, "lorafab_gateway_downlink_errors_total", Map.of("error", "COLLISION_PACKET"))).isEqualTo(1);
        assertThat(value(scrape, "lorafab_gateway_downlink_errors_total", Map.of("error", "TOO_LATE"))).isZero();
        assertThat(value(scrape, "lorafab_gateway_datagrams_total", Map.of("type", "PUSH_DATA"))).isEqualTo(2);
        assertThat(value(scrape, "lorafab_gateway_datagrams_total", Map.of("type", "PULL_DATA"))).isEqualTo(1);
        assertThat(value(scrape, "http_server_requests_seconds_count",
                Map.of("method", "POST", "route", "/api/orders/{ref}/reserve", "status", "201"))).isEqualTo(1);
        assertThat(value(scrape, "http_server_requests_seconds_count",
                Map.of("method", "POST", "route", "/api/orders/{ref}/reserve", "status", "404"))).isEqualTo(1);
        assertThat(value(scrape, "http_server_requests_seconds_count",
                Map.of("method", "GET", "route", "NOT_FOUND", "status", "404"))).isEqualTo(1);
        assertThat(scrape).contains("jvm_memory_used_bytes").contains("process_uptime_seconds");

        // no device, key or raw path in the scrape
        String unit = reserved.json().get("devEui").asText();
        String lower = scrape.toLowerCase(Locale.ROOT);
        assertThat(lower).doesNotContain(DEV.toString().toLowerCase(Locale.ROOT)).doesNotContain(unit.toLowerCase(Locale.ROOT))
                .doesNotContain(APP_KEY.toString().toLowerCase(Locale.ROOT)).doesNotContain("wo-1").doesNotContain("/api/no-such");
        reserved.json().findValues("appKey").forEach(k -> assertThat(lower).doesNotContain(k.asText().toLowerCase(Locale.ROOT)));
    }

    @Test
    void theScrapeNeedsAToken() throws Exception {
        HttpResponse<String> none = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.body()).doesNotContain("lorafab_");
        HttpResponse<String> ok = scrape();
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
    }

    private HttpResponse<String> scrape() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/metrics"))
                .header("Authorization", "Bearer " + operatorToken).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Scrapes until {@code done} holds (joins are handled off the receive thread), failing after 5 s. */
    private String awaitScrape(java.util.function.Predicate<String> done) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            HttpResponse<String> r = scrape();
            assertThat(r.statusCode()).isEqualTo(200);
            if (done.test(r.body())) {
                return r.body();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ":\n" + r.body());
            }
            Thread.sleep(20);
        }
    }

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$", Pattern.MULTILINE);
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

    /** The sample of {@code name} with exactly these labels; 0 when there is none (a counter that never moved). */
    static double value(String scrape, String name, Map<String, String> labels) {
        Matcher m = SAMPLE.matcher(scrape);
        double found = 0;
        int hits = 0;
        while (m.find()) {
            if (!m.group(1).equals(name)) {
                continue;
            }
            Map<String, String> got = new HashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    got.put(l.group(1), l.group(2));
                }
            }
            if (got.equals(labels)) {
                found = Double.parseDouble(m.group(3));
                hits++;
            }
        }
        assertThat(hits).as("samples of %s%s", name, labels).isLessThanOrEqualTo(1);
        return found;
    }
}
