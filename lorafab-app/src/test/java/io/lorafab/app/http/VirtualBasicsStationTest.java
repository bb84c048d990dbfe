package io.lorafab.app.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.lorafab.app.wiring.JoinServerRuntime;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.app.wiring.TestPki;
import io.lorafab.app.wiring.TlsContexts;
import io.lorafab.gateway.BasicsStationConnector;
import io.lorafab.gateway.GatewayAllowList;
import io.lorafab.gateway.SemtechUdpConfig;
import io.lorafab.gateway.StationCredentials;
import io.lorafab.gateway.semtech.TxAckError;
import io.lorafab.joinserver.JoinServerConfig;
import io.lorafab.joinserver.bi.BackendInterfaces;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.NetId;
import io.lorafab.provisioning.model.DeviceIdentity;
import io.lorafab.sim.DeviceNvm;
import io.lorafab.sim.JoinOutcome;
import io.lorafab.sim.SimGateway;
import io.lorafab.sim.VirtualBasicsStation;
import io.lorafab.sim.VirtualDevice;
import io.lorafab.store.model.Role;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator's virtual Basics Station against the real server's LNS ({@link LnsServer} over
 * {@link BasicsStationConnector}, the join server behind it): discovery, version and router_config, a join whose
 * dnmsg reaches the device in RX1 on air, in RX2 when RX1 is refused, nothing when both are, a data uplink verified
 * as updf, a server that goes away and comes back, and wss with a client certificate or a token.
 */
class VirtualBasicsStationTest {

    static final Eui64 GW = LnsServerTest.GW;
    static final Eui64 GW2 = LnsServerTest.GW2;
    static final TestPki PKI = TestPki.shared();

    @TempDir
    Path dir;

    Lorafab lf;
    ApiServer api;
    JoinServerRuntime js;
    LnsServer lns;
    ApiClient operator;
    VirtualBasicsStation station;

    void start(StationCredentials credentials, TlsContexts.ServerTls tls) throws Exception {
        lf = Lorafab.open(null, dir.resolve("data"), Map.of(), Clock.systemUTC());
        lf.provisioning().addDevice(new DeviceIdentity(GatewayJoinTest.DEV, GatewayJoinTest.JOIN_EUI, GatewayJoinTest.APP_KEY, null,
                MacVersion.V1_0_4, Region.byName("EU868"), null, null), null, "t");
        api = new ApiServer(lf, "127.0.0.1", 0, 8);
        GatewayAllowList allowed = GatewayAllowList.of(Set.of(GW, GW2));
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
        if (station != null) {
            station.close();
        }
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

    VirtualBasicsStation station(Eui64 eui, SimGateway.Timing timing, VirtualBasicsStation.Auth auth, Duration replyTimeout)
            throws IOException {
        station = new VirtualBasicsStation(eui, URI.create(lns.scheme() + "://127.0.0.1:" + lns.port()), Clock.systemUTC(),
                replyTimeout, timing, auth);
        station.connect(Duration.ofSeconds(5));
        return station;
    }

    VirtualDevice device() {
        io.lorafab.sim.DeviceIdentity id = new io.lorafab.sim.DeviceIdentity(GatewayJoinTest.DEV, GatewayJoinTest.JOIN_EUI,
                GatewayJoinTest.APP_KEY, null, MacVersion.V1_0_4, Region.byName("EU868"));
        return new VirtualDevice(id, DeviceNvm.open(dir.resolve("nvm").resolve(id.devEui() + ".json")), new SplittableRandom(1));
    }

    static JoinOutcome join(SimGateway gw, VirtualDevice d) throws IOException {
        Optional<byte[]> accept = gw.deliver(d, d.joinRequest(), 868_100_000L, 7, -61, 9.0);
        assertThat(accept).as("a join-accept heard by the device").isPresent();
        return d.acceptJoin(accept.get());
    }

    @Test
    void theStationDiscoversTheLnsSaysItsVersionAndItsDeviceJoinsInRx1OnAir() throws Exception {
        start(StationCredentials.NONE, null);
        VirtualBasicsStation s = station(GW, SimGateway.Timing.ON_AIR, VirtualBasicsStation.Auth.NONE, Duration.ofSeconds(8));
        assertThat(s.connected()).isTrue();
        JsonNode g = operator.get("/api/gateways").json().get("gateways").get(0);
        assertThat(g.get("transport").asText()).isEqualTo("basics-station");
        assertThat(g.at("/station/version").asText()).isEqualTo("2.0.6(lorafab-sim/std)");
        assertThat(g.at("/station/model").asText()).isEqualTo("lorafab-sim");
        assertThat(g.at("/station/features").asText()).isEqualTo("prod");

        long t0 = System.nanoTime();
        assertThat(join(s, device()).joined()).isTrue();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(ms).as("on air: RX1 is JOIN_ACCEPT_DELAY1 (5 s) after the join-request").isBetween(4_900L, 5_900L);
        assertThat(waitForEvent("join_accept_sent").at("/details/window").asText()).isEqualTo("RX1");
        assertThat(s.dntxedSent()).isEqualTo(1);
        assertThat(s.unmatchedDownlinks()).isZero();
        assertThat(s.droppedBeforeConfig()).as("the server sends router_config before any dnmsg").isZero();
        assertThat(js.stations().counter(BasicsStationConnector.DNTXED)).isEqualTo(1);
    }

    @Test
    void withRx1RefusedTheStationSendsTheJoinAcceptInRx2AndTheServerRecordsRx2() throws Exception {
        start(StationCredentials.NONE, null);
        VirtualBasicsStation s = station(GW, SimGateway.Timing.COMPRESSED, VirtualBasicsStation.Auth.NONE, Duration.ofSeconds(5));
        s.refuseNextDownlinks(1);
        assertThat(join(s, device()).joined()).isTrue();
        assertThat(s.refusedDownlinks(TxAckError.COLLISION_PACKET)).isEqualTo(1);
        assertThat(waitForEvent("join_accept_sent").at("/details/window").asText()).isEqualTo("RX2");
    }

    @Test
    void threeJoinsAtTheSameMomentThroughOneStationArePlannedRx1Rx2AndNotScheduled() throws Exception {
        start(StationCredentials.NONE, null);
        List<VirtualDevice> devices = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Eui64 eui = Eui64.of(0x0004a30b001f0000L + i);
            lf.provisioning().addDevice(new DeviceIdentity(eui, GatewayJoinTest.JOIN_EUI, GatewayJoinTest.APP_KEY, null,
                    MacVersion.V1_0_4, Region.byName("EU868"), null, null), null, "t");
            devices.add(new VirtualDevice(new io.lorafab.sim.DeviceIdentity(eui, GatewayJoinTest.JOIN_EUI, GatewayJoinTest.APP_KEY, null,
                    MacVersion.V1_0_4, Region.byName("EU868")), DeviceNvm.open(dir.resolve("nvm").resolve(eui + ".json")),
                    new SplittableRandom(i)));
        }
        // a fixed clock: the three join-requests are 1 µs apart on the station's xtime
        station = new VirtualBasicsStation(GW, URI.create("ws://127.0.0.1:" + lns.port()),
                Clock.fixed(java.time.Instant.parse("2026-12-07T10:00:00Z"), java.time.ZoneOffset.UTC), Duration.ofSeconds(3),
                SimGateway.Timing.COMPRESSED, VirtualBasicsStation.Auth.NONE);
        station.connect(Duration.ofSeconds(5));
        List<Boolean> answered = new java.util.ArrayList<>();
        for (VirtualDevice d : devices) {
            answered.add(station.deliver(d, d.joinRequest(), 868_100_000L, 7, -61, 9.0).isPresent());
        }
        assertThat(answered).containsExactly(true, true, false);
        List<String> outcomes = new java.util.ArrayList<>();
        for (VirtualDevice d : devices) {
            outcomes.add(outcome(d.identity().devEui()));
        }
        assertThat(outcomes).containsExactly("join_accept_sent RX1", "join_accept_sent RX2", "join_accept_not_sent not_scheduled");
        assertThat(station.refusedDownlinks(TxAckError.COLLISION_PACKET)).as("the station was never asked to collide").isZero();
    }

    /** What became of {@code dev}'s join-accept: the kind, and its window or code. */
    private String outcome(Eui64 dev) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            for (JsonNode e : operator.get("/api/events?devEui=" + dev + "&wait=1").json().get("events")) {
                String kind = e.get("kind").asText();
                if (kind.equals("join_accept_sent")) {
                    return kind + " " + e.at("/details/window").asText();
                }
                if (kind.equals("join_accept_not_sent")) {
                    return kind + " " + e.get("code").asText();
                }
            }
            Thread.sleep(50);
        }
        return "nothing recorded";
    }

    @Test
    void withBothWindowsRefusedTheDeviceHearsNothingAndTheStationSaysNothing() throws Exception {
        start(StationCredentials.NONE, null);
        VirtualBasicsStation s = station(GW, SimGateway.Timing.COMPRESSED, VirtualBasicsStation.Auth.NONE, Duration.ofMillis(1500));
        s.refuseNextDownlinks(2);
        VirtualDevice d = device();
        assertThat(s.deliver(d, d.joinRequest(), 868_100_000L, 7, -61, 9.0)).isEmpty();
        assertThat(s.refusedDownlinks(TxAckError.COLLISION_PACKET)).isEqualTo(2);
        assertThat(s.dntxedSent()).isZero();
        assertThat(js.stations().counter(BasicsStationConnector.DNTXED)).isZero();
    }

    @Test
    void aDataUplinkGoesAsUpdfAndTheServerVerifiesIt() throws Exception {
        start(StationCredentials.NONE, null);
        VirtualBasicsStation s = station(GW, SimGateway.Timing.COMPRESSED, VirtualBasicsStation.Auth.NONE, Duration.ofSeconds(5));
        VirtualDevice d = device();
        assertThat(join(s, d).joined()).isTrue();
        Region eu = Region.byName("EU868");
        s.push(d.uplink(1, new byte[] {1, 2, 3}, false, eu.uplinkDataRate(7, 125_000), 1), eu.defaultUplinkChannelsHz()[1], 7, -70, 6.5);
        JsonNode verified = waitForEvent("uplink_verified");
        assertThat(verified.get("gatewayEui").asText()).isEqualTo(GW.toString());
        assertThat(verified.get("rssi").asInt()).isEqualTo(-70);
        assertThat(s.timesyncAnswers()).as("timesync answered after router_config").isGreaterThanOrEqualTo(1);
    }

    @Test
    void theFirstUplinkIsAnsweredWithTheTestDownlinkWhichTheDeviceDecryptsInRx1OnAir() throws Exception {
        start(StationCredentials.NONE, null);
        VirtualBasicsStation s = station(GW, SimGateway.Timing.ON_AIR, VirtualBasicsStation.Auth.NONE, Duration.ofSeconds(8));
        VirtualDevice d = device();
        assertThat(join(s, d).joined()).isTrue();
        Region eu = Region.byName("EU868");
        long t0 = System.nanoTime();
        Optional<byte[]> down = s.deliver(d, d.uplink(1, new byte[] {1, 2, 3}, false, eu.uplinkDataRate(7, 125_000), 1),
                eu.defaultUplinkChannelsHz()[1], 7, -70, 6.5);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(down).as("a downlink in the uplink's windows").isPresent();
        assertThat(ms).as("on air: RX1 is RECEIVE_DELAY1 (1 s) after the uplink").isBetween(900L, 1_900L);
        VirtualDevice.Downlink got = d.receive(down.get()).orElseThrow();
        JsonNode sent = waitForEvent("downlink_sent");
        assertThat(sent.at("/details/window").asText()).isEqualTo("RX1");
        assertThat(sent.at("/details/fPort").asInt()).isEqualTo(got.fPort().getAsInt()).isEqualTo(2);
        assertThat(sent.at("/details/frmPayload").asText()).isEqualTo(io.lorafab.lorawan.types.Hex.format(got.payload())).hasSize(16);
        assertThat(sent.at("/details/fCntDown").asLong()).isEqualTo(got.fCnt()).isZero();
        assertThat(js.stations().counter(BasicsStationConnector.DNTXED)).as("join-accept and test downlink confirmed").isEqualTo(2);
        assertThat(d.receive(down.get())).as("the same downlink again is a replay").isEmpty();
    }

    @Test
    void whenTheLnsGoesAwayAndComesBackTheStationReconnectsThroughDiscoveryAndJoinsGoOn() throws Exception {
        start(StationCredentials.NONE, null);
        VirtualBasicsStation s = station(GW, SimGateway.Timing.COMPRESSED, VirtualBasicsStation.Auth.NONE, Duration.ofSeconds(5));
        int port = lns.port();
        lns.close();
        waitUntil(() -> !s.connected(), "the station sees its socket closed");
        lns = new LnsServer(js.stations(), new InetSocketAddress("127.0.0.1", port), null).start();
        waitUntil(() -> s.connected() && s.reconnects() == 1, "the station reconnected");
        assertThat(join(s, device()).joined()).isTrue();

        s.dropConnection(); // and a fault on the station's side of the line
        waitUntil(() -> s.connected() && s.reconnects() == 2, "the station reconnected again");
        assertThat(join(s, device()).joined()).isTrue();
    }

    @Test
    void overWssTheStationShowsItsClientCertificateOrItsToken() throws Exception {
        TlsContexts.ServerTls tls = TlsContexts.server(
                TlsContexts.readPem("--lns-tls-cert", PKI.file("server-ec-chain.pem"), "--lns-tls-key", PKI.file("server-ec.key")),
                TlsContexts.readCertificates("--lns-tls-client-ca", PKI.file("ca.pem")));
        start(StationCredentials.parse(List.of(GW2 + " " + StationCredentials.digestHex("gw2-secret")), true), tls);
        var trust = TlsContexts.readCertificates("tc.trust", PKI.file("ca.pem"));
        VirtualBasicsStation withCert = station(GW, SimGateway.Timing.COMPRESSED, new VirtualBasicsStation.Auth(Map.of(),
                TlsContexts.client(trust, TlsContexts.readPem("tc.crt", PKI.file("gateway.pem"), "tc.key", PKI.file("gateway.key")))),
                Duration.ofSeconds(5));
        assertThat(join(withCert, device()).joined()).isTrue();
        withCert.close();

        station(GW2, SimGateway.Timing.COMPRESSED, VirtualBasicsStation.Auth.bearer("gw2-secret", TlsContexts.client(trust, null)),
                Duration.ofSeconds(5));
        assertThat(station.connected()).isTrue();
        station.close();
        assertThatThrownBy(() -> station(GW2, SimGateway.Timing.COMPRESSED,
                VirtualBasicsStation.Auth.bearer("wrong", TlsContexts.client(trust, null)), Duration.ofSeconds(5)))
                .isInstanceOf(IOException.class).hasMessageContaining("router-info refused gateway " + GW2);
    }

    private JsonNode waitForEvent(String kind) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        JsonNode events = null;
        while (System.nanoTime() < deadline) {
            events = operator.get("/api/events?devEui=" + GatewayJoinTest.DEV + "&wait=1").json().get("events");
            for (JsonNode e : events) {
                if (e.get("kind").asText().equals(kind)) {
                    return e;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no " + kind + " event in " + events);
    }

    private static void waitUntil(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + ": not within 10 s");
            }
            Thread.sleep(20);
        }
    }
}
