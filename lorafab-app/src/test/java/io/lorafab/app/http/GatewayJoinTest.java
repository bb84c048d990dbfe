package io.lorafab.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.lorafab.app.wiring.JoinServerRuntime;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.gateway.client.PacketForwarderClient;
import io.lorafab.gateway.semtech.SemtechPacket;
import io.lorafab.gateway.semtech.Txpk;
import io.lorafab.gateway.semtech.TxAckError;
import io.lorafab.joinserver.JoinServerConfig;
import io.lorafab.lorawan.crypto.DataMic;
import io.lorafab.lorawan.crypto.JoinAcceptCipher;
import io.lorafab.lorawan.crypto.JoinMic;
import io.lorafab.lorawan.crypto.PayloadCipher;
import io.lorafab.lorawan.crypto.SessionKeys;
import io.lorafab.lorawan.frame.DataFrame;
import io.lorafab.lorawan.frame.EncryptedJoinAccept;
import io.lorafab.lorawan.frame.FCtrl;
import io.lorafab.lorawan.frame.FHdr;
import io.lorafab.lorawan.frame.JoinAccept;
import io.lorafab.lorawan.frame.JoinRequest;
import io.lorafab.lorawan.frame.MHdr;
import io.lorafab.lorawan.frame.MType;
import io.lorafab.lorawan.frame.PhyPayloadCodec;
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
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over real UDP sockets: a lock-step test gateway brings a join-request, gets the join-accept in a PULL_RESP,
 * the device side decrypts it, and the first uplink on the new session is verified; replays, RX2 fallback and
 * garbage datagrams as the gateway sees them.
 */
class GatewayJoinTest {

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
    ApiClient operator;

    @BeforeEach
    void start() throws Exception {
        lf = Lorafab.open(null, dir, Map.of(), Clock.systemUTC());
        lf.provisioning().addDevice(new DeviceIdentity(DEV, JOIN_EUI, APP_KEY, null, MacVersion.V1_0_3, Region.byName("EU868"), null, null), null, "t");
        api = new ApiServer(lf, "127.0.0.1", 0, 8);
        js = new JoinServerRuntime(lf, JoinServerConfig.defaults().withNetId(NetId.parse("000013")).withRateLimits(0, 0),
                new InetSocketAddress("127.0.0.1", 0), null, api);
        js.start();
        api.start();
        operator = new ApiClient("http://127.0.0.1:" + api.port(), lf.tokens().create("line", Role.OPERATOR, "t").secret());
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
    void aJoinOverTheAirAndItsFirstUplink() throws Exception {
        long tmst = 0xFFFF_FFFFL - 1_000_000; // the RX1 slot wraps the gateway's µs counter
        gw.push(PacketForwarderClient.rxpk(joinRequest(771), tmst, 868_100_000L, 7, -61, 9.0));
        SemtechPacket.PullResp resp = gw.awaitPullResp(WAIT).orElseThrow(() -> new AssertionError("no join-accept"));
        Txpk tx = resp.txpk();
        assertThat(tx.tmst()).contains((tmst + 5_000_000L) & 0xFFFF_FFFFL);
        assertThat(tx.frequencyHz()).isEqualTo(868_100_000L);
        assertThat(tx.invertPolarity()).isTrue();
        gw.txAck(resp, TxAckError.NONE);

        JoinAccept ja = JoinAcceptCipher.decryptJoinAccept(APP_KEY, (EncryptedJoinAccept) PhyPayloadCodec.decode(tx.data()));
        assertThat(JoinMic.joinAcceptMic10(APP_KEY, ja.micPayload())).isEqualTo(ja.mic());
        assertThat(NetId.parse("000013").owns(ja.devAddr())).isTrue();
        SessionKeys keys = SessionKeys.derive10(APP_KEY, ja.joinNonce(), ja.netId(), DevNonce.of(771));

        byte[] plain = {0x01, 0x02, 0x03};
        DataFrame up = new DataFrame(MHdr.of(MType.UNCONFIRMED_DATA_UP), new FHdr(ja.devAddr(), FCtrl.NONE, 0, new byte[0]),
                OptionalInt.of(1), PayloadCipher.encryptFrmPayload(keys.appSKey(), true, ja.devAddr(), 0, plain), new Mic(0));
        up = up.withMic(DataMic.dataMic10(keys.nwkSKey(), true, ja.devAddr(), 0, up.micPayload()));
        gw.push(PacketForwarderClient.rxpk(up.encode(), 20_000_000L, 868_300_000L, 7, -60, 8.5));

        // the first uplink is answered with the test downlink: RX1 (RECEIVE_DELAY1, 1 s) on the uplink's channel, 8 random
        // bytes on FPort 2 with FCntDown 0, which the device opens with its session keys
        SemtechPacket.PullResp test = gw.awaitPullResp(WAIT).orElseThrow(() -> new AssertionError("no test downlink"));
        assertThat(test.txpk().tmst()).contains(21_000_000L);
        assertThat(test.txpk().frequencyHz()).isEqualTo(868_300_000L);
        DataFrame down = (DataFrame) PhyPayloadCodec.decode(test.txpk().data());
        assertThat(down.mhdr().mType()).isEqualTo(MType.UNCONFIRMED_DATA_DOWN);
        assertThat(down.fhdr().fCnt()).isZero();
        byte[] payload = io.lorafab.lorawan.crypto.DataDown.open(keys, ja.devAddr(), 0, down, 0).orElseThrow().frmPayload();
        assertThat(payload).hasSize(8);
        assertThat(down.fPort()).hasValue(2);
        gw.txAck(test, TxAckError.NONE);

        JsonNode events = waitForEvents(4);
        assertThat(events.get(0).get("kind").asText()).isEqualTo("join_accepted");
        assertThat(events.get(0).get("rssi").asInt()).isEqualTo(-61);
        assertThat(events.get(0).get("frequencyHz").asLong()).isEqualTo(868_100_000L);
        // the join-accept's outcome and the uplink are recorded by different threads, in either order
        JsonNode sent = kind(events, "join_accept_sent");
        assertThat(sent.at("/details/window").asText()).isEqualTo("RX1");
        JsonNode uplink = kind(events, "uplink_verified");
        assertThat(uplink.get("kind").asText()).isEqualTo("uplink_verified");
        assertThat(uplink.at("/details/frmPayload").asText()).isEqualTo("010203");
        assertThat(uplink.get("snr").asDouble()).isEqualTo(8.5);
        assertThat(uplink.get("gatewayEui").asText()).isEqualTo("0000000000000a01");
        JsonNode dl = kind(waitForEvents(4), "downlink_sent");
        assertThat(dl.at("/details/frmPayload").asText()).isEqualTo(io.lorafab.lorawan.types.Hex.format(payload));
        assertThat(dl.at("/details/window").asText()).isEqualTo("RX1");

        // The same join-request again: refused, and no downlink.
        gw.push(PacketForwarderClient.rxpk(joinRequest(771), 30_000_000L, 868_100_000L, 7, -61, 9.0));
        JsonNode more = waitForEvents(5);
        assertThat(kind(more, "join_rejected").get("code").asText()).isEqualTo("dev_nonce_reused");
        assertThat(gw.awaitPullResp(Duration.ofMillis(300))).isEmpty();
    }

    @Test
    void rx1RefusedByTheGatewayGoesToRx2() throws Exception {
        gw.push(PacketForwarderClient.rxpk(joinRequest(5), 1_000_000L, 868_500_000L, 9, -100, -3.0));
        SemtechPacket.PullResp rx1 = gw.awaitPullResp(WAIT).orElseThrow();
        assertThat(rx1.txpk().tmst()).contains(6_000_000L);
        gw.txAck(rx1, TxAckError.TOO_LATE);
        SemtechPacket.PullResp rx2 = gw.awaitPullResp(WAIT).orElseThrow(() -> new AssertionError("no RX2 attempt"));
        assertThat(rx2.txpk().tmst()).contains(7_000_000L);
        assertThat(rx2.txpk().frequencyHz()).isEqualTo(869_525_000L);
        assertThat(rx2.txpk().dataRate().toString()).contains("12");
        gw.txAck(rx2, TxAckError.NONE);
        assertThat(rx2.txpk().data()).isEqualTo(rx1.txpk().data());
    }

    @Test
    void aJoinAcceptSentInRx2AfterRx1WasRefusedIsRecordedWithTheGatewaysAnswers() throws Exception {
        gw.push(PacketForwarderClient.rxpk(joinRequest(11), 1_000_000L, 868_100_000L, 7, -61, 9.0));
        gw.txAck(gw.awaitPullResp(WAIT).orElseThrow(), TxAckError.TOO_LATE);
        gw.txAck(gw.awaitPullResp(WAIT).orElseThrow(), TxAckError.NONE);
        JsonNode sent = waitForEvents(2).get(1);
        assertThat(sent.get("kind").asText()).isEqualTo("join_accept_sent");
        assertThat(sent.get("gatewayEui").asText()).isEqualTo("0000000000000a01");
        assertThat(sent.at("/details/window").asText()).isEqualTo("RX2");
        assertThat(sent.at("/details/attempts").toString())
                .isEqualTo("[{\"window\":\"RX1\",\"txAck\":\"TOO_LATE\"},{\"window\":\"RX2\",\"txAck\":\"NONE\"}]");
    }

    @Test
    void aJoinAcceptTheGatewayRefusedInBothWindowsIsRecordedWithItsTxAckErrors() throws Exception {
        gw.push(PacketForwarderClient.rxpk(joinRequest(12), 1_000_000L, 868_100_000L, 7, -61, 9.0));
        gw.txAck(gw.awaitPullResp(WAIT).orElseThrow(), TxAckError.COLLISION_PACKET);
        gw.txAck(gw.awaitPullResp(WAIT).orElseThrow(), TxAckError.COLLISION_PACKET);
        JsonNode notSent = waitForEvents(2).get(1);
        assertThat(notSent.get("kind").asText()).isEqualTo("join_accept_not_sent");
        assertThat(notSent.get("code").asText()).isEqualTo("downlink_failed");
        assertThat(notSent.at("/details/gatewayError").asText()).isEqualTo("COLLISION_PACKET");
        assertThat(notSent.at("/details/attempts").toString()).isEqualTo(
                "[{\"window\":\"RX1\",\"txAck\":\"COLLISION_PACKET\"},{\"window\":\"RX2\",\"txAck\":\"COLLISION_PACKET\"}]");
    }

    @Test
    void aGatewayThatNeverAcknowledgesIsRecordedAsNoTxAck() throws Exception {
        gw.push(PacketForwarderClient.rxpk(joinRequest(13), 1_000_000L, 868_100_000L, 7, -61, 9.0));
        assertThat(gw.awaitPullResp(WAIT)).isPresent(); // RX1, never acknowledged
        assertThat(gw.awaitPullResp(WAIT)).isPresent(); // RX2, never acknowledged
        long deadline = System.nanoTime() + WAIT.toNanos();
        JsonNode events = waitForEvents(1);
        while (events.size() < 2 && System.nanoTime() < deadline) {
            events = waitForEvents(1);
        }
        JsonNode notSent = events.get(1);
        assertThat(notSent.get("kind").asText()).isEqualTo("join_accept_not_sent");
        assertThat(notSent.at("/details/gatewayError").asText()).isEqualTo("NO_TX_ACK");
    }

    @Test
    void garbageDoesNotStopTheListener() throws Exception {
        gw.sendRaw(new byte[] {0x02});
        gw.sendRaw(new byte[] {0x02, 0x01, 0x02, 0x00, 1, 2, 3, 4, 5, 6, 7, 8, '{', 'x'});
        gw.sendRaw(new byte[4000]);
        gw.sendRaw("not a datagram".getBytes());
        gw.push(PacketForwarderClient.rxpk(new byte[] {0x40, 1, 2}, 1L, 868_100_000L, 7, -50, 5.0)); // malformed LoRaWAN
        gw.push(PacketForwarderClient.rxpk(joinRequest(6), 2_000_000L, 868_100_000L, 7, -50, 5.0));
        assertThat(gw.awaitPullResp(WAIT)).isPresent();
        assertThat(js.connector().counters().get("malformed")).isPositive();
        assertThat(js.bridge().counters()).containsEntry("malformed", 1L);
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
            events = operator.get("/api/events?devEui=" + DEV + "&wait=1").json().get("events");
            if (events.size() >= n) {
                return events;
            }
        }
        throw new AssertionError("expected " + n + " events, got " + events);
    }

    @Test
    void eventsArePublishedOnMqttAndNoncesCanBeReset() throws Exception {
        String broker = "tcp://127.0.0.1:1883";
        java.util.concurrent.BlockingQueue<String> got = new java.util.concurrent.LinkedBlockingQueue<>();
        com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient sub = com.hivemq.client.mqtt.MqttClient.builder().useMqttVersion3()
                .identifier("lorafab-test-sub-" + System.nanoTime()).serverHost("127.0.0.1").serverPort(1883).buildAsync();
        try (io.lorafab.app.events.MqttEventPublisher pub = new io.lorafab.app.events.MqttEventPublisher(broker, "lorafab-test", lf.events())) {
            sub.connectWith().cleanSession(true).send().get(5, java.util.concurrent.TimeUnit.SECONDS);
            sub.subscribeWith().topicFilter("lorafab-test/events/" + DEV + "/#").qos(com.hivemq.client.mqtt.datatypes.MqttQos.AT_LEAST_ONCE)
                    .callback(p -> got.add(p.getTopic() + " " + new String(p.getPayloadAsBytes(), java.nio.charset.StandardCharsets.UTF_8)))
                    .send().get(5, java.util.concurrent.TimeUnit.SECONDS);
            gw.push(PacketForwarderClient.rxpk(joinRequest(900), 1_000_000L, 868_100_000L, 7, -61, 9.0));
            gw.txAck(gw.awaitPullResp(WAIT).orElseThrow(), TxAckError.NONE);
            String first = got.poll(5, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(first).startsWith("lorafab-test/events/" + DEV + "/join_accepted").contains("\"rssi\":-61");
            // exactly the stored event: same id, type and details
            JsonNode stored = waitForEvents(1).get(0);
            JsonNode published = new com.fasterxml.jackson.databind.ObjectMapper().readTree(first.substring(first.indexOf(' ') + 1));
            assertThat(published).isEqualTo(stored);
            assertThat(published.get("id").asLong()).isPositive();
            assertThat(published.at("/details/devAddr").asText()).hasSize(8);
        } finally {
            sub.disconnect();
        }
        // 1.0.3 devices may not reuse a DevNonce; after an audited reset (lost NVM) they may.
        gw.push(PacketForwarderClient.rxpk(joinRequest(900), 2_000_000L, 868_100_000L, 7, -61, 9.0));
        assertThat(gw.awaitPullResp(Duration.ofMillis(500))).isEmpty();
        ApiClient engineer = operator.as(lf.tokens().create("eng", Role.ENGINEER, "t").secret());
        assertThat(operator.post("/api/units/" + DEV + "/reset-nonces", "").status()).isEqualTo(403);
        assertThat(engineer.post("/api/units/" + DEV + "/reset-nonces", "").status()).isEqualTo(200);
        gw.push(PacketForwarderClient.rxpk(joinRequest(900), 3_000_000L, 868_100_000L, 7, -61, 9.0));
        assertThat(gw.awaitPullResp(WAIT)).isPresent();
        assertThat(lf.registry().auditLog(20)).anyMatch(e -> e.action().equals("unit.reset_nonces"));
    }

    /** Restarts the join server with {@code config}, the test gateway pulling from the new one. */
    private void restart(JoinServerConfig config) throws Exception {
        gw.close();
        js.close();
        api.close();
        api = new ApiServer(lf, "127.0.0.1", 0, 8);
        js = new JoinServerRuntime(lf, config, new InetSocketAddress("127.0.0.1", 0), null, api);
        js.start();
        api.start();
        operator = new ApiClient("http://127.0.0.1:" + api.port(), lf.tokens().create("line-2", Role.OPERATOR, "t").secret());
        gw = new PacketForwarderClient(Eui64.parse("0000000000000a01"), new InetSocketAddress("127.0.0.1", js.udpPort()));
        gw.pull(WAIT);
    }

    static byte[] forgedJoinRequest(Eui64 dev, int devNonce) {
        JoinRequest jr = new JoinRequest(JOIN_EUI, dev, DevNonce.of(devNonce), new Mic(0x01020304));
        return jr.encode();
    }

    @Test
    void forgedJoinRequestsDoNotLockOutTheRealDevice() throws Exception {
        restart(JoinServerConfig.defaults().withNetId(NetId.parse("000013")).withRateLimits(2, 0));
        for (int i = 0; i < 5; i++) {
            gw.push(PacketForwarderClient.rxpk(forgedJoinRequest(DEV, 100 + i), 1_000_000L + i, 868_100_000L, 7, -61, 9.0));
        }
        JsonNode rejected = waitForEvents(5);
        for (JsonNode e : rejected) {
            assertThat(e.get("code").asText()).isEqualTo("mic_mismatch");
        }
        gw.push(PacketForwarderClient.rxpk(joinRequest(1), 2_000_000L, 868_100_000L, 7, -61, 9.0));
        assertThat(gw.awaitPullResp(WAIT)).as("the real device still joins").isPresent();
    }

    @Test
    void unknownDevicesAreRecordedUpToACapAndCounted() throws Exception {
        restart(JoinServerConfig.defaults().withNetId(NetId.parse("000013")).withRateLimits(0, 0).withRejectionsRecorded(3));
        for (int i = 0; i < 10; i++) {
            JoinRequest jr = new JoinRequest(JOIN_EUI, Eui64.parse(String.format("00000000000200%02x", i)), DevNonce.of(1), new Mic(0));
            gw.push(PacketForwarderClient.rxpk(jr.encode(), 1_000_000L + i, 868_100_000L, 7, -61, 9.0));
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        // the two counters are counted one after the other: wait for the second as well
        while ((js.bridge().counters().getOrDefault("join_rejected", 0L) < 10
                || js.bridge().counters().getOrDefault("join_rejected_unknown_device", 0L) < 10) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(js.bridge().counters()).containsEntry("join_rejected", 10L).containsEntry("join_rejected_unknown_device", 10L);
        assertThat(lf.joinStore().events(null, 0, 100)).extracting(e -> e.code()).containsExactly("unknown_device", "unknown_device",
                "unknown_device");
        JsonNode gateways = operator.get("/api/gateways").json();
        assertThat(gateways.at("/rejectionsNotRecorded/unknown_device").asLong()).isEqualTo(7);
    }

    @Test
    void gatewaysAreListedReadOnlyWithTheirCounters() throws Exception {
        gw.push(PacketForwarderClient.rxpk(joinRequest(40), 1_000_000L, 868_100_000L, 7, -61, 9.0));
        gw.txAck(gw.awaitPullResp(WAIT).orElseThrow(), TxAckError.NONE);
        gw.sendRaw(new byte[] {0x02, 0x01, 0x02, 0x00, 0, 0, 0, 0, 0, 0, 0x0a, 0x01, '{', 'x'}); // PUSH_DATA, broken JSON
        JsonNode all = null;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            all = operator.get("/api/gateways").json();
            if (all.at("/gateways/0/txAck").asLong() == 1 && all.at("/counters/malformed").asLong() > 0) {
                break;
            }
        }
        JsonNode g = all.get("gateways").get(0);
        assertThat(g.get("eui").asText()).isEqualTo("0000000000000a01");
        assertThat(g.get("pullData").asLong()).isPositive();
        assertThat(g.get("rxOk").asLong()).isEqualTo(1);
        assertThat(g.get("txSent").asLong()).isEqualTo(1);
        assertThat(g.get("txAck").asLong()).isEqualTo(1);
        assertThat(g.get("downlinkRoute").asBoolean()).isTrue();
        assertThat(g.hasNonNull("lastSeen")).isTrue();
        assertThat(all.at("/counters/malformed").asLong()).isPositive();
        assertThat(all.at("/joins/join_accepted").asLong()).isEqualTo(1);
        assertThat(operator.post("/api/gateways", "").status()).isIn(404, 405);
        assertThat(operator.as(null).get("/api/gateways").status()).isEqualTo(401);
    }
}
