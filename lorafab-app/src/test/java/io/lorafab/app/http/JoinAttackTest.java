package io.lorafab.app.http;

import io.lorafab.joinserver.bi.BackendInterfaces;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lorafab.app.wiring.JoinServerRuntime;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.gateway.GatewayAllowList;
import io.lorafab.gateway.SemtechUdpConfig;
import io.lorafab.gateway.SemtechUdpConnector;
import io.lorafab.gateway.client.PacketForwarderClient;
import io.lorafab.gateway.semtech.Rxpk;
import io.lorafab.gateway.semtech.SemtechCodec;
import io.lorafab.gateway.semtech.SemtechPacket;
import io.lorafab.gateway.semtech.Token;
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
import io.lorafab.store.join.RadioEvent;
import io.lorafab.store.model.Role;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The security review's attacks on the join server through its real UDP listener (issue 11, findings 3 to 5): a
 * replayed join-request, forged receptions flooding a gateway's join budget, replays crowding another device out of
 * the record, and a second address claiming the gateway. The gateway sends from 127.0.0.1, the attacker from
 * 127.0.0.2 unless it spoofs the gateway's own address and port.
 */
@Timeout(60)
class JoinAttackTest {

    static final AesKey APP_KEY = AesKey.parse("2b7e151628aed2a6abf7158809cf4f3c");
    static final AesKey APP_KEY_B = AesKey.parse("000102030405060708090a0b0c0d0e0f");
    static final Eui64 JOIN_EUI = Eui64.parse("70b3d57ed0000001");
    static final Eui64 DEV = Eui64.parse("0004a30b001c0530");
    static final Eui64 DEV_B = Eui64.parse("0004a30b001c0531");
    static final Eui64 GATEWAY = Eui64.parse("0000000000000a01");
    static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    Lorafab lf;
    ApiServer api;
    JoinServerRuntime js;
    PacketForwarderClient gw;
    final List<PacketForwarderClient> others = new ArrayList<>();
    long tmst = 1_000_000L;

    @BeforeEach
    void open() throws Exception {
        lf = Lorafab.open(null, dir, Map.of(), Clock.systemUTC());
        lf.provisioning().addDevice(new DeviceIdentity(DEV, JOIN_EUI, APP_KEY, null, MacVersion.V1_0_3, Region.byName("EU868"), null, null), null, "t");
        lf.provisioning().addDevice(new DeviceIdentity(DEV_B, JOIN_EUI, APP_KEY_B, null, MacVersion.V1_0_3, Region.byName("EU868"), null, null), null, "t");
    }

    /** The server with the production defaults but {@code config}, and the gateway (allow-listed) pulling from it. */
    private void start(JoinServerConfig config) throws Exception {
        api = new ApiServer(lf, "127.0.0.1", 0, 8);
        SemtechUdpConfig udp = SemtechUdpConfig.listeningOn(new InetSocketAddress("127.0.0.1", 0))
                .withAllowList(GatewayAllowList.parse(List.of(GATEWAY.toString())));
        js = new JoinServerRuntime(lf, config.withNetId(NetId.parse("000013")), udp, null, api,
                BackendInterfaces.Settings.defaults(), JoinServerRuntime.DEFAULT_LEAD_TIME);
        js.start();
        api.start();
        gw = new PacketForwarderClient(GATEWAY, new InetSocketAddress("127.0.0.1", js.udpPort()));
        gw.pull(WAIT);
    }

    @AfterEach
    void close() {
        others.forEach(PacketForwarderClient::close);
        if (gw != null) {
            gw.close();
        }
        if (js != null) {
            js.close();
        }
        if (api != null) {
            api.close();
        }
        lf.close();
    }

    static byte[] joinRequest(Eui64 dev, AesKey key, int devNonce) {
        JoinRequest jr = new JoinRequest(JOIN_EUI, dev, DevNonce.of(devNonce), new Mic(0));
        return jr.withMic(JoinMic.joinRequestMic(key, jr.micPayload())).encode();
    }

    private Rxpk heard(byte[] phy) {
        tmst += 1_000_000L;
        return PacketForwarderClient.rxpk(phy, tmst, 868_100_000L, 7, -61, 9.0);
    }

    /** Sends the join-request; true if a join-accept comes back (and is acknowledged). */
    private boolean joins(byte[] phy) throws Exception {
        gw.push(heard(phy));
        Optional<SemtechPacket.PullResp> r = gw.awaitPullResp(WAIT);
        r.ifPresent(resp -> {
            try {
                gw.txAck(resp, TxAckError.NONE);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        return r.isPresent();
    }

    private long joinCounter(String name) {
        return js.bridge().counters().getOrDefault(name, 0L);
    }

    private void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT.toSeconds() + " s: " + what + " (listener " + js.connector().counters()
                        + ", joins " + js.bridge().counters() + ")");
            }
            Thread.sleep(5);
        }
    }

    // ---------------------------------------------------------------- finding 3

    @Test
    void replayingACapturedJoinRequestCannotLockTheDeviceOut() throws Exception {
        start(JoinServerConfig.defaults()); // 10 join attempts per device and minute
        byte[] captured = joinRequest(DEV, APP_KEY, 771);
        assertThat(joins(captured)).isTrue();

        for (int i = 1; i <= 12; i++) {
            gw.push(heard(captured));
            int n = i;
            // one at a time, so that the deduplication window does not merge them into one uplink
            await("replay " + n + " refused", () -> joinCounter("join_rejected") == n);
        }
        assertThat(js.bridge().counters()).containsEntry("join_rejected_dev_nonce_reused", 12L)
                .doesNotContainKey("join_rejected_join_rate_limited");

        assertThat(joins(joinRequest(DEV, APP_KEY, 772))).as("the device's next fresh join-request").isTrue();
    }

    // ---------------------------------------------------------------- finding 4

    @Test
    void threeDatagramsOfForgedReceptionsNoLongerUseUpTheGatewaysJoinBudget() throws Exception {
        start(JoinServerConfig.defaults()); // 600 join attempts per gateway and minute, counted before the MIC
        for (int d = 0; d < 3; d++) {
            List<Rxpk> forged = new ArrayList<>();
            for (int i = 0; i < 250; i++) {
                JoinRequest jr = new JoinRequest(JOIN_EUI, Eui64.of(0x0004a30b00200000L + d * 1000 + i), DevNonce.of(i), new Mic(i));
                forged.add(heard(jr.encode()));
            }
            byte[] datagram = SemtechCodec.encode(new SemtechPacket.PushData(Token.of(7, d), GATEWAY, forged, Optional.empty()));
            assertThat(datagram.length).isGreaterThan(40_000);
            gw.sendRaw(datagram); // from the gateway's own address and port: the worst case, a spoofed source
        }
        // Either dropped, or (as before the fix) the 750 forged join-requests have used up the budget of 600.
        await("the three datagrams dealt with", () -> js.connector().counter(SemtechUdpConnector.DATAGRAM_TOO_LARGE) == 3
                || joinCounter("join_rejected_join_rate_limited") >= 150);

        assertThat(joins(joinRequest(DEV, APP_KEY, 1))).as("a genuine join through the same gateway").isTrue();
        assertThat(joinCounter("join_rejected")).isZero();
        assertThat(js.connector().counter(SemtechUdpConnector.DATAGRAM_TOO_LARGE)).isEqualTo(3);
    }

    @Test
    void replaysOfOneDeviceDoNotCrowdAnotherDevicesRejectionOutOfTheRecord() throws Exception {
        start(JoinServerConfig.defaults().withRateLimits(0, 0).withRejectionsRecorded(3));
        byte[] a = joinRequest(DEV, APP_KEY, 10);
        byte[] b = joinRequest(DEV_B, APP_KEY_B, 20);
        assertThat(joins(a)).isTrue();
        assertThat(joins(b)).isTrue();
        for (int i = 1; i <= 5; i++) {
            gw.push(heard(a)); // a captured frame replayed through the test gateway
            int n = i;
            await("replay " + n, () -> joinCounter("join_rejected") == n);
        }
        // Device B really sends its DevNonce again (it lost its memory): the station must see that on record.
        gw.push(heard(b));
        await("B refused", () -> joinCounter("join_rejected") == 6);

        List<RadioEvent> rejected = lf.joinStore().events(null, 0, 100).stream().filter(e -> e.kind().equals("join_rejected")).toList();
        assertThat(rejected).filteredOn(e -> e.devEui().equals(DEV)).hasSize(3);
        assertThat(rejected).filteredOn(e -> e.devEui().equals(DEV_B)).extracting(RadioEvent::code).containsExactly("dev_nonce_reused");
        assertThat(js.joinServer().rejectionsNotRecorded()).containsEntry("dev_nonce_reused", 2L);
    }

    // ---------------------------------------------------------------- finding 5 and issue 10

    @Test
    void aSecondAddressClaimingTheGatewayGetsNoJoinAcceptAndIsShownOnTheGatewaysPage() throws Exception {
        start(JoinServerConfig.defaults());
        PacketForwarderClient attacker = new PacketForwarderClient(GATEWAY, new InetSocketAddress("127.0.0.1", js.udpPort()),
                new InetSocketAddress("127.0.0.2", 0));
        others.add(attacker);
        attacker.sendRaw(SemtechCodec.encode(new SemtechPacket.PullData(Token.of(1, 1), GATEWAY)));
        assertThat(attacker.receive(Duration.ofMillis(300))).as("no PULL_ACK for the attacker").isEmpty();

        assertThat(joins(joinRequest(DEV, APP_KEY, 1))).as("the join-accept goes to the real gateway").isTrue();
        assertThat(attacker.receive(Duration.ofMillis(100))).isEmpty();

        ApiClient operator = new ApiClient("http://127.0.0.1:" + api.port(), lf.tokens().create("line", Role.OPERATOR, "t").secret());
        JsonNode page = operator.get("/api/gateways").json();
        JsonNode g = page.get("gateways").get(0);
        assertThat(g.get("address").asText()).isEqualTo("127.0.0.1");
        assertThat(g.get("addressClaimsRefused").asLong()).isEqualTo(1);
        assertThat(g.get("lastRefusedFrom").asText()).startsWith("127.0.0.2:");
        assertThat(page.at("/counters/gateway_address_refused").asLong()).isEqualTo(1);
        assertThat(page.at("/joins/accept_sent_rx1").asLong()).isEqualTo(1);
    }
}
