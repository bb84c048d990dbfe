package io.lorafab.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lorafab.app.wiring.JoinServerRuntime;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.app.wiring.TestPki;
import io.lorafab.app.wiring.TlsContexts;
import io.lorafab.gateway.BasicsStationConnector;
import io.lorafab.gateway.GatewayAllowList;
import io.lorafab.gateway.SemtechUdpConfig;
import io.lorafab.gateway.StationCredentials;
import io.lorafab.gateway.basicstation.LnsCodec;
import io.lorafab.gateway.basicstation.LnsFrames;
import io.lorafab.gateway.basicstation.LnsMessage.DownlinkMessage;
import io.lorafab.gateway.basicstation.LnsMessage.DownlinkTransmitted;
import io.lorafab.gateway.basicstation.LnsMessage.UpInfo;
import io.lorafab.gateway.client.PacketForwarderClient;
import io.lorafab.joinserver.JoinServerConfig;
import io.lorafab.joinserver.bi.BackendInterfaces;
import io.lorafab.lorawan.crypto.JoinAcceptCipher;
import io.lorafab.lorawan.crypto.JoinMic;
import io.lorafab.lorawan.frame.EncryptedJoinAccept;
import io.lorafab.lorawan.frame.JoinAccept;
import io.lorafab.lorawan.frame.PhyPayloadCodec;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.NetId;
import io.lorafab.provisioning.model.DeviceIdentity;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.store.model.Role;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Basics Station gateways against a real {@code lorafab server} set-up over real websockets ({@link java.net.http}
 * plays the station): discovery, router_config, join-accepts in RX1 and RX2, one frame heard over UDP and Basics
 * Station answered once, refused gateways, a dropped connection, garbage, and wss with a client certificate or a
 * token.
 */
class LnsServerTest {

    static final Eui64 GW = Eui64.parse("B827EBFFFE61F47D");
    static final Eui64 GW2 = Eui64.parse("B827EBFFFE000002");
    static final Eui64 STRANGER = Eui64.parse("B827EBFFFE000099");
    static final Duration WAIT = Duration.ofSeconds(5);
    static final ObjectMapper JSON = new ObjectMapper();
    static final TestPki PKI = TestPki.shared();

    @TempDir
    Path dir;

    Lorafab lf;
    ApiServer api;
    JoinServerRuntime js;
    LnsServer lns;
    ApiClient operator;

    void start(StationCredentials credentials, TlsContexts.ServerTls tls) throws Exception {
        lf = Lorafab.open(null, dir, Map.of(), Clock.systemUTC());
        lf.provisioning().addDevice(new DeviceIdentity(GatewayJoinTest.DEV, GatewayJoinTest.JOIN_EUI, GatewayJoinTest.APP_KEY, null,
                MacVersion.V1_0_3, Region.byName("EU868"), null, null), null, "t");
        api = new ApiServer(lf, "127.0.0.1", 0, 8);
        GatewayAllowList allowed = GatewayAllowList.of(Set.of(GW, GW2, Eui64.parse("0000000000000a01")));
        js = new JoinServerRuntime(lf, JoinServerConfig.defaults().withNetId(NetId.parse("000013")).withRateLimits(0, 0),
                SemtechUdpConfig.listeningOn(new InetSocketAddress("127.0.0.1", 0)).withAllowList(allowed),
                BasicsStationConnector.Config.of(Region.byName("EU868")).withAllowList(allowed).withCredentials(credentials),
                null, api, BackendInterfaces.Settings.defaults(), JoinServerRuntime.DEFAULT_LEAD_TIME);
        js.start();
        api.start();
        lns = new LnsServer(js.stations(), new InetSocketAddress("127.0.0.1", 0),
                tls == null ? null : tls.configuratorWantingClientCertificates()).start();
        operator = new ApiClient("http://127.0.0.1:" + api.port(), lf.tokens().create("line", Role.OPERATOR, "t").secret());
    }

    @AfterEach
    void stop() {
        if (lns != null) {
            lns.close();
        }
        if (js != null) {
            js.close();
        }
        if (api != null) {
            api.close();
        }
        if (lf != null) {
            lf.close();
        }
    }

    /** A station's websocket: every text message it receives, in order. */
    static final class Station implements WebSocket.Listener {
        final LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        final StringBuilder part = new StringBuilder();
        WebSocket ws;

        static Station connect(String uri, SSLContext tls, String authorization) {
            Station s = new Station();
            HttpClient.Builder b = HttpClient.newBuilder();
            if (tls != null) {
                b.sslContext(tls);
            }
            WebSocket.Builder w = b.build().newWebSocketBuilder().connectTimeout(WAIT);
            if (authorization != null) {
                w.header("Authorization", authorization);
            }
            s.ws = w.buildAsync(URI.create(uri), s).join();
            return s;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            part.append(data);
            if (last) {
                received.add(part.toString());
                part.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        void send(String text) {
            ws.sendText(text, true).join();
        }

        JsonNode next() throws Exception {
            String s = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(s).as("a message from the LNS").isNotNull();
            return JSON.readTree(s);
        }
    }

    String base() {
        return lns.scheme() + "://127.0.0.1:" + lns.port();
    }

    /** Discovery, then the traffic socket, version and router_config: a station ready for traffic. */
    Station ready(Eui64 eui, SSLContext tls, String authorization) throws Exception {
        Station info = Station.connect(base() + "/router-info", tls, authorization);
        info.send("{\"router\":\"" + io.lorafab.gateway.basicstation.StationEui.formatId6(eui) + "\"}");
        JsonNode answer = info.next();
        assertThat(answer.has("error")).as(answer.toString()).isFalse();
        assertThat(info.closed.get(5, TimeUnit.SECONDS)).as("the LNS closes the discovery socket").isEqualTo(1000);
        Station s = Station.connect(answer.get("uri").textValue(), tls, authorization);
        s.send("{\"msgtype\":\"version\",\"station\":\"2.0.6(rpi/std)\",\"firmware\":null,\"package\":null,"
                + "\"model\":\"rpi\",\"protocol\":2,\"features\":\"rmtsh gps\"}");
        JsonNode rc = s.next();
        assertThat(rc.get("msgtype").textValue()).isEqualTo("router_config");
        return s;
    }

    static String jreq(int devNonce, long xtime, int rssi, double snr) {
        return LnsCodec.encode(LnsFrames.joinRequest(GatewayJoinTest.joinRequest(devNonce),
                new UpInfo(5, 868_100_000L, 0, xtime, 0, rssi, snr, 1.7e9, 0)));
    }

    @Test
    void discoveryConfigAndAJoinAcceptTheStationSendsInRx1() throws Exception {
        start(StationCredentials.NONE, null);
        Station s = ready(GW, null, null);
        long xtime = 0x0090_0000_1234_5678L;
        s.send(jreq(771, xtime, -61, 9.0));
        DownlinkMessage d = (DownlinkMessage) LnsCodec.decodeFromServer(s.received.poll(5, TimeUnit.SECONDS));
        assertThat(d.devEui()).isEqualTo(GatewayJoinTest.DEV);
        assertThat(d.deviceClass()).isZero();
        assertThat(d.rxDelay()).isEqualTo(5);
        assertThat(d.xtime()).isEqualTo(xtime);
        assertThat(d.rx1().orElseThrow().freqHz()).isEqualTo(868_100_000L);
        assertThat(d.rx1().orElseThrow().dr()).isEqualTo(5);
        assertThat(d.rx2().orElseThrow().freqHz()).isEqualTo(869_525_000L);
        assertThat(d.rx2().orElseThrow().dr()).isZero();
        JoinAccept ja = JoinAcceptCipher.decryptJoinAccept(GatewayJoinTest.APP_KEY,
                (EncryptedJoinAccept) PhyPayloadCodec.decode(d.pdu()));
        assertThat(JoinMic.joinAcceptMic10(GatewayJoinTest.APP_KEY, ja.micPayload())).isEqualTo(ja.mic());
        s.send(LnsCodec.encode(new DownlinkTransmitted(d.diid(), d.devEui(), 5, 868_100_000L, 0, xtime + 5_000_000, 1.7e9, 0)));

        JsonNode events = waitForEvents(2);
        JsonNode accepted = kind(events, "join_accepted");
        assertThat(accepted.get("gatewayEui").asText()).isEqualTo(GW.toString());
        assertThat(accepted.get("rssi").asInt()).isEqualTo(-61);
        assertThat(accepted.get("snr").asDouble()).isEqualTo(9.0);
        assertThat(accepted.get("frequencyHz").asLong()).isEqualTo(868_100_000L);
        assertThat(kind(events, "join_accept_sent").at("/details/window").asText()).isEqualTo("RX1");

        JsonNode gws = operator.get("/api/gateways").json();
        JsonNode g = gws.get("gateways").get(0);
        assertThat(g.get("eui").asText()).isEqualTo(GW.toString());
        assertThat(g.get("transport").asText()).isEqualTo("basics-station");
        assertThat(g.get("connected").asBoolean()).isTrue();
        assertThat(g.at("/station/version").asText()).isEqualTo("2.0.6(rpi/std)");
        assertThat(g.at("/station/model").asText()).isEqualTo("rpi");
        assertThat(g.at("/station/features").asText()).isEqualTo("rmtsh gps");
        assertThat(gws.at("/counters/basics_station_dntxed").asLong()).isEqualTo(1);
        String metrics = new String(operator.get("/metrics").raw(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(metrics).contains("lorafab_basics_station_events_total{event=\"dntxed\"} 1.0")
                .contains("lorafab_basics_station_connected 1.0");
    }

    @Test
    void aJoinAcceptTheStationSendsInRx2IsRecordedAsRx2() throws Exception {
        start(StationCredentials.NONE, null);
        Station s = ready(GW, null, null);
        long xtime = 0x0090_0000_0000_1000L;
        s.send(jreq(5, xtime, -100, -3.0));
        DownlinkMessage d = (DownlinkMessage) LnsCodec.decodeFromServer(s.received.poll(5, TimeUnit.SECONDS));
        s.send(LnsCodec.encode(new DownlinkTransmitted(d.diid(), d.devEui(), 0, 869_525_000L, 0, xtime + 6_000_000, 1.7e9, 0)));
        JsonNode sent = kind(waitForEvents(2), "join_accept_sent");
        assertThat(sent.at("/details/window").asText()).isEqualTo("RX2");
        assertThat(sent.get("gatewayEui").asText()).isEqualTo(GW.toString());
    }

    @Test
    void oneFrameHeardByAUdpGatewayAndABasicsStationIsAnsweredOnce() throws Exception {
        start(StationCredentials.NONE, null);
        Station s = ready(GW, null, null);
        try (PacketForwarderClient udp = new PacketForwarderClient(Eui64.parse("0000000000000a01"),
                new InetSocketAddress("127.0.0.1", js.udpPort()))) {
            udp.pull(WAIT);
            // the station hears it better: the downlink goes through the station
            udp.push(PacketForwarderClient.rxpk(GatewayJoinTest.joinRequest(900), 1_000_000L, 868_100_000L, 7, -90, -5.0));
            s.send(jreq(900, 0x0090_0000_0010_0000L, -40, 10.0));
            JsonNode dn = s.next();
            assertThat(dn.get("msgtype").asText()).isEqualTo("dnmsg");
            assertThat(udp.awaitPullResp(Duration.ofMillis(500))).as("no second join-accept over UDP").isEmpty();
        }
        JsonNode events = operator.get("/api/events?devEui=" + GatewayJoinTest.DEV + "&wait=1").json().get("events");
        assertThat(events).filteredOn(e -> e.get("kind").asText().startsWith("join_")).extracting(e -> e.get("kind").asText())
                .containsExactly("join_accepted");
        assertThat(s.received.poll(300, TimeUnit.MILLISECONDS)).as("one dnmsg").isNull();
    }

    @Test
    void aGatewayThatIsNotAllowedIsRefusedAtDiscoveryAndAtTheTrafficSocket() throws Exception {
        start(StationCredentials.NONE, null);
        Station info = Station.connect(base() + "/router-info", null, null);
        info.send("{\"router\":\"" + STRANGER + "\"}");
        JsonNode answer = info.next();
        assertThat(answer.get("error").asText()).isEqualTo("gateway " + STRANGER + " is not allowed");
        assertThat(answer.has("uri")).isFalse();
        assertThat(refusedWith(() -> Station.connect(base() + "/traffic/" + STRANGER, null, null))).isEqualTo(403);
    }

    @Test
    void aDroppedConnectionAndAReconnect() throws Exception {
        start(StationCredentials.NONE, null);
        Station s = ready(GW, null, null);
        s.ws.abort();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (js.stations().stations().get(0).connected() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(js.stations().stations().get(0).connected()).isFalse();
        Station again = ready(GW, null, null);
        again.send(jreq(42, 0x0090_0000_0020_0000L, -50, 7.0));
        assertThat(again.next().get("msgtype").asText()).isEqualTo("dnmsg");
    }

    @Test
    void garbageFromOneStationDoesNotStopTheServerServingAnother() throws Exception {
        start(StationCredentials.NONE, null);
        Station bad = ready(GW2, null, null);
        bad.send("{{{ not json");
        bad.send("{\"msgtype\":\"jreq\",\"MHdr\":\"zero\"}");
        bad.send("[1,2,3]");
        Station good = ready(GW, null, null);
        good.send(jreq(43, 0x0090_0000_0030_0000L, -50, 7.0));
        assertThat(good.next().get("msgtype").asText()).isEqualTo("dnmsg");
        bad.send("{\"msgtype\":\"timesync\",\"txtime\":12345}");
        assertThat(bad.next().get("txtime").asLong()).as("the garbage sender is still served").isEqualTo(12345);
        assertThat(js.stations().counter(BasicsStationConnector.MALFORMED)).isEqualTo(3);
    }

    @Test
    void wssWithAClientCertificateNamingTheGateway() throws Exception {
        TlsContexts.ServerTls tls = TlsContexts.server(
                TlsContexts.readPem("--lns-tls-cert", PKI.file("server-ec-chain.pem"), "--lns-tls-key", PKI.file("server-ec.key")),
                TlsContexts.readCertificates("--lns-tls-client-ca", PKI.file("ca.pem")));
        start(StationCredentials.parse(List.of(GW2 + " " + StationCredentials.digestHex("gw2-secret")), true), tls);
        SSLContext gatewayCert = TlsContexts.client(TlsContexts.readCertificates("tc.trust", PKI.file("ca.pem")),
                TlsContexts.readPem("tc.crt", PKI.file("gateway.pem"), "tc.key", PKI.file("gateway.key")));
        SSLContext trustOnly = TlsContexts.client(TlsContexts.readCertificates("tc.trust", PKI.file("ca.pem")), null);
        Station s = ready(GW, gatewayCert, null);
        s.send(jreq(44, 0x0090_0000_0040_0000L, -50, 7.0));
        assertThat(s.next().get("msgtype").asText()).isEqualTo("dnmsg");
        // the certificate names GW, not GW2; GW2 comes in with its token (tc.key "Authorization: Bearer ...")
        assertThat(refusedWith(() -> Station.connect(base() + "/traffic/" + GW2, gatewayCert, null))).isEqualTo(403);
        ready(GW2, trustOnly, "Bearer gw2-secret");
        assertThat(refusedWith(() -> Station.connect(base() + "/traffic/" + GW2, trustOnly, "Bearer wrong"))).isEqualTo(403);
        assertThat(base()).startsWith("wss://");
    }

    @Test
    void theServerCommandServesBasicsStationsWithLnsPort() throws Exception {
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        try (ServerProcess p = ServerProcess.start(dir, null, List.of("--lns-port", Integer.toString(port), "--lns-host",
                "127.0.0.1", "--lns-region", "US915", "--allow-gateway", GW.toString()), Map.of())) {
            Station info = Station.connect("ws://127.0.0.1:" + port + "/router-info", null, null);
            info.send("{\"router\":\"" + GW + "\"}");
            JsonNode answer = info.next();
            assertThat(answer.get("uri").asText()).isEqualTo("ws://127.0.0.1:" + port + "/traffic/B8-27-EB-FF-FE-61-F4-7D");
            Station s = Station.connect(answer.get("uri").asText(), null, null);
            s.send("{\"msgtype\":\"version\",\"station\":\"2.0.6\",\"protocol\":2}");
            assertThat(s.next().get("region").asText()).isEqualTo("US915");
        }
    }

    /** The HTTP status with which the websocket upgrade was refused. */
    private static int refusedWith(Runnable connect) {
        try {
            connect.run();
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof WebSocketHandshakeException h) {
                    return h.getResponse().statusCode();
                }
            }
            throw e;
        }
        throw new AssertionError("the upgrade was accepted");
    }

    private static JsonNode kind(JsonNode events, String kind) {
        for (JsonNode e : events) {
            if (e.get("kind").asText().equals(kind)) {
                return e;
            }
        }
        throw new AssertionError("no " + kind + " event in " + events);
    }

    private JsonNode waitForEvents(int n) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode events = null;
        while (System.nanoTime() < deadline) {
            events = operator.get("/api/events?devEui=" + GatewayJoinTest.DEV + "&wait=1").json().get("events");
            if (events.size() >= n) {
                return events;
            }
        }
        throw new AssertionError("expected " + n + " events, got " + events);
    }
}
