package io.lorafab.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.app.wiring.JoinServerRuntime;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.app.wiring.WebConsole;
import io.lorafab.console.Console;
import io.lorafab.gateway.client.PacketForwarderClient;
import io.lorafab.gateway.semtech.TxAckError;
import io.lorafab.joinserver.JoinServerConfig;
import io.lorafab.lorawan.crypto.JoinMic;
import io.lorafab.lorawan.frame.JoinRequest;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.DevNonce;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.Mic;
import io.lorafab.lorawan.types.NetId;
import io.lorafab.provisioning.model.DeviceIdentity;
import io.lorafab.store.model.Role;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's gateways page on a server wired as {@code lorafab server} wires it: the console is installed before
 * the join server is made, and its page shows what {@code GET /api/gateways} shows, a refused downlink by its
 * TX_ACK error word included.
 */
class ConsoleGatewaysOnServerTest {
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
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeEach
    void start() throws Exception {
        lf = Lorafab.open(null, dir, Map.of(), Clock.systemUTC());
        lf.provisioning().addDevice(new DeviceIdentity(DEV, JOIN_EUI, APP_KEY, null, MacVersion.V1_0_3, Region.byName("EU868"), null, null),
                null, "t");
        api = new ApiServer(lf, "127.0.0.1", 0, 8);
        java.util.concurrent.atomic.AtomicReference<JoinServerRuntime> runtime = new java.util.concurrent.atomic.AtomicReference<>();
        WebConsole.install(api, lf, () -> runtime.get() == null ? null : runtime.get().gatewaysView());
        js = new JoinServerRuntime(lf, JoinServerConfig.defaults().withNetId(NetId.parse("000013")).withRateLimits(0, 0),
                new InetSocketAddress("127.0.0.1", 0), null, api);
        runtime.set(js);
        js.start();
        api.start();
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

    String base() {
        return "http://127.0.0.1:" + api.port();
    }

    String signIn() throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base() + "/console/sign-in")).build(),
                HttpResponse.BodyHandlers.ofString());
        String pre = page.headers().firstValue("Set-Cookie").orElseThrow();
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page.body());
        assertThat(m.find()).isTrue();
        String token = lf.tokens().create("eng", Role.ENGINEER, "t").secret();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/console/sign-in"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", pre.substring(0, pre.indexOf(';')))
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + m.group(1) + "&token=" + token)).build(),
                HttpResponse.BodyHandlers.ofString());
        String session = r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(Console.SESSION_COOKIE + "="))
                .findFirst().orElseThrow();
        return session.substring(0, session.indexOf(';'));
    }

    String page(String path, String cookie) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + path)).header("Cookie", cookie).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    @Test
    void theGatewaysPageShowsTheGatewayHeardAndADownlinkItRefusedByItsErrorWord() throws Exception {
        JoinRequest jr = new JoinRequest(JOIN_EUI, DEV, DevNonce.of(7), new Mic(0));
        byte[] frame = jr.withMic(JoinMic.joinRequestMic(APP_KEY, jr.micPayload())).encode();
        gw.push(PacketForwarderClient.rxpk(frame, 1_000_000L, 868_100_000L, 7, -61, 9.0));
        gw.txAck(gw.awaitPullResp(WAIT).orElseThrow(), TxAckError.TOO_LATE);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (js.gatewaysView().counters().getOrDefault("tx_ack_error_too_late", 0L) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        String cookie = signIn();
        String gateways = page("/console/gateways", cookie);
        assertThat(gateways).contains("0000000000000a01", "127.0.0.1", "<td class=\"mono\">TOO_LATE</td><td class=\"num\">1</td>");
        String line = page("/console/line", cookie);
        assertThat(line).contains("id=\"gateway-health\"", "0000000000000a01");
    }
}
