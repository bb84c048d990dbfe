package io.lorafab.gateway;

import static io.lorafab.gateway.Fixtures.GW1;
import static io.lorafab.gateway.Fixtures.GW2;
import static io.lorafab.gateway.Fixtures.JOIN_REQUEST;
import static io.lorafab.gateway.Fixtures.OTHER_FRAME;
import static io.lorafab.gateway.Fixtures.T0;
import static io.lorafab.gateway.Fixtures.rxpk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lorafab.gateway.semtech.CodingRate;
import io.lorafab.gateway.semtech.CrcStatus;
import io.lorafab.gateway.semtech.DataRate;
import io.lorafab.gateway.semtech.Rxpk;
import io.lorafab.gateway.semtech.SemtechCodec;
import io.lorafab.gateway.semtech.SemtechPacket.PullData;
import io.lorafab.gateway.semtech.SemtechPacket.PullResp;
import io.lorafab.gateway.semtech.SemtechPacket.PushAck;
import io.lorafab.gateway.semtech.SemtechPacket.PushData;
import io.lorafab.gateway.semtech.SemtechPacket.TxAck;
import io.lorafab.gateway.semtech.Stat;
import io.lorafab.gateway.semtech.Token;
import io.lorafab.gateway.semtech.TxAckError;
import io.lorafab.gateway.semtech.Txpk;
import io.lorafab.lorawan.region.Eu868;
import io.lorafab.lorawan.types.Eui64;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Real UDP on 127.0.0.1 against lock-step test gateways; every wait is bounded, no sleeping for logic. */
@Timeout(30)
class SemtechUdpConnectorTest {
    private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);
    private static final Duration SHORT_WINDOW = Duration.ofMillis(20);
    private static final byte[] JOIN_ACCEPT = Fixtures.bytes(0x20, 17);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The counters that say what became of a datagram: exactly one of them counts each datagram. */
    private static final Set<String> DATAGRAM_OUTCOMES = Set.of(SemtechUdpConnector.PUSH_DATA,
            SemtechUdpConnector.PULL_DATA, SemtechUdpConnector.TX_ACK, SemtechUdpConnector.DATAGRAM_TOO_LARGE,
            SemtechUdpConnector.TRUNCATED, SemtechUdpConnector.UNSUPPORTED_VERSION, SemtechUdpConnector.UNKNOWN_TYPE,
            SemtechUdpConnector.MALFORMED, SemtechUdpConnector.UNEXPECTED_TYPE,
            SemtechUdpConnector.TX_ACK_UNKNOWN_TOKEN, SemtechUdpConnector.TX_ACK_UNEXPECTED_SOURCE,
            SemtechUdpConnector.GATEWAY_NOT_ALLOWED, SemtechUdpConnector.GATEWAY_ADDRESS_NOT_ALLOWED,
            SemtechUdpConnector.GATEWAY_ADDRESS_REFUSED);

    private final BlockingQueue<Uplink> uplinks = new LinkedBlockingQueue<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private SemtechUdpConnector connector;

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
        if (connector != null) {
            connector.close();
        }
    }

    private static SemtechUdpConfig config() {
        return SemtechUdpConfig.listeningOn(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .withDedupWindow(SHORT_WINDOW);
    }

    private void start(SemtechUdpConfig config) {
        start(config, uplinks::add);
    }

    private void start(SemtechUdpConfig config, UplinkListener listener) {
        connector = new SemtechUdpConnector(config, CLOCK);
        connector.start(listener);
    }

    private TestGateway gateway(Eui64 eui) {
        TestGateway gw = new TestGateway(eui, connector.localPort());
        closeables.add(gw);
        return gw;
    }

    private Uplink nextUplink() throws InterruptedException {
        Uplink u = uplinks.poll(TestGateway.WAIT_MS, TimeUnit.MILLISECONDS);
        assertThat(u).as("uplink within %d ms", TestGateway.WAIT_MS).isNotNull();
        return u;
    }

    /** Polls {@code condition} until it holds, failing after 5 s (for effects with no reply to wait for). */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TestGateway.WAIT_MS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + TestGateway.WAIT_MS + " ms: " + what);
            }
            Thread.sleep(2);
        }
    }

    private static <T> T get(CompletableFuture<T> f) throws Exception {
        return f.get(TestGateway.WAIT_MS, TimeUnit.MILLISECONDS);
    }

    private static JsonNode txpkJson(byte[] pullResp) throws IOException {
        assertThat(pullResp[0]).isEqualTo((byte) 2);
        assertThat(pullResp[3]).isEqualTo((byte) 0x03);
        return JSON.readTree(Arrays.copyOfRange(pullResp, 4, pullResp.length)).get("txpk");
    }

    private static Token tokenOf(byte[] datagram) {
        return new Token(datagram[1], datagram[2]);
    }

    // ---------------------------------------------------------------- the join flow, step by step

    @Test
    void pullDataIsAckedWithItsTokenAndOpensTheDownlinkRoute() {
        start(config());
        assertThat(connector.localPort()).isPositive();
        TestGateway gw = gateway(GW1);

        Token t = Token.of(0xAB, 0xCD);
        gw.sendDown(SemtechCodec.encode(new PullData(t, GW1)));
        byte[] ack = TestGateway.receiveRaw(gw.down);

        assertThat(ack).containsExactly(2, 0xAB, 0xCD, 0x04);
        GatewayState s = connector.gateways().get(GW1).orElseThrow();
        assertThat(s.pullAddress()).contains(gw.downAddress());
        assertThat(s.lastPull()).contains(T0);
        assertThat(s.lastSeen()).isEqualTo(T0);
        assertThat(s.pullData()).isEqualTo(1);
        assertThat(connector.gateways().hasDownlinkRoute(GW1)).isTrue();
    }

    @Test
    void joinRequestInJoinAcceptOutWithTmstWrapAround() throws Exception {
        start(config());
        TestGateway gw = gateway(GW1);
        gw.pull();
        long tmst = 0xFFFF_FFFFL - 1_000_000L;
        Stat stat = new Stat(Optional.of(Instant.parse("2024-05-01T11:59:58Z")), Optional.of(46.2),
                Optional.of(6.1), Optional.of(400), Optional.of(3L), Optional.of(2L), Optional.of(2L),
                Optional.of(100.0), Optional.of(0L), Optional.of(0L));

        // PUSH_DATA with the join-request: acked with the same token, delivered with exact reception details.
        gw.push(List.of(rxpk(tmst, 868_100_000L, 7, 125, -57, 9.25, JOIN_REQUEST)), Optional.of(stat));
        Uplink uplink = nextUplink();

        assertThat(uplink.phyPayload()).isEqualTo(JOIN_REQUEST);
        assertThat(uplink.receivedAt()).isEqualTo(T0);
        assertThat(uplink.receptions()).containsExactly(new RxInfo(GW1, 4_293_967_295L, 868_100_000L, 7, 125_000,
                "SF7BW125", "4/5", -57, 9.25, 2, 1, Optional.of(Instant.parse("2024-05-01T11:59:59.123456Z"))));
        GatewayState s = connector.gateways().get(GW1).orElseThrow();
        assertThat(s.lastStat()).contains(stat);
        assertThat(s.pushAddress()).contains(gw.upAddress());
        assertThat(s.pushData()).isEqualTo(1);
        assertThat(s.rxOk()).isEqualTo(1);

        // The join-accept in RX1: a PULL_RESP to the PULL_DATA address, 5 s later on the wrapped counter.
        Txpk rx1 = DownlinkPlanner.joinAcceptRx1(Eu868.INSTANCE, uplink.best(), JOIN_ACCEPT, 0);
        CompletableFuture<TxResult> sent = connector.send(GW1, rx1);
        byte[] pullResp = TestGateway.receiveRaw(gw.down);

        JsonNode txpk = txpkJson(pullResp);
        assertThat(txpk.get("tmst").asLong()).isEqualTo(3_999_999L);
        assertThat(txpk.get("freq").decimalValue()).isEqualByComparingTo("868.1");
        assertThat(txpk.get("rfch").asInt()).isZero();
        assertThat(txpk.get("powe").asInt()).isEqualTo(14);
        assertThat(txpk.get("modu").asText()).isEqualTo("LORA");
        assertThat(txpk.get("datr").asText()).isEqualTo("SF7BW125");
        assertThat(txpk.get("codr").asText()).isEqualTo("4/5");
        assertThat(txpk.get("ipol").asBoolean()).isTrue();
        assertThat(txpk.get("ncrc").asBoolean()).isTrue();
        assertThat(txpk.get("size").asInt()).isEqualTo(JOIN_ACCEPT.length);
        assertThat(Base64.getDecoder().decode(txpk.get("data").asText())).isEqualTo(JOIN_ACCEPT);
        assertThat(txpk.path("imme").asBoolean(false)).isFalse();
        assertThat(sent).isNotDone();

        // TX_ACK with the PULL_RESP's token completes the send.
        Token token = tokenOf(pullResp);
        gw.txAck(token, TxAckError.NONE);
        TxResult result = get(sent);

        assertThat(result).isEqualTo(TxResult.of(GW1, token, TxAckError.NONE));
        s = connector.gateways().get(GW1).orElseThrow();
        assertThat(s.txSent()).isEqualTo(1);
        assertThat(s.txAck()).isEqualTo(1);
        assertThat(s.txErrors()).isZero();
        assertThat(connector.counters()).containsEntry(SemtechUdpConnector.PUSH_DATA, 1L)
                .containsEntry(SemtechUdpConnector.PULL_DATA, 1L).containsEntry(SemtechUdpConnector.UPLINKS, 1L)
                .containsEntry(SemtechUdpConnector.PULL_RESP_SENT, 1L).containsEntry(SemtechUdpConnector.TX_ACK, 1L);
    }

    @Test
    void aRefusedDownlinkCompletesWithTheGatewaysError() throws Exception {
        start(config());
        TestGateway gw = gateway(GW1);
        gw.pull();

        CompletableFuture<TxResult> late = connector.send(GW1, Txpk.loraAt(1000, 868_100_000L, 14,
                DataRate.Lora.of(7, 125), CodingRate.CR_4_5, JOIN_ACCEPT));
        Token token = gw.expectPullResp().token();
        gw.txAck(token, TxAckError.TOO_LATE);

        TxResult result = get(late);
        assertThat(result.status()).isEqualTo(TxResult.Status.REJECTED);
        assertThat(result.error()).isEqualTo(TxAckError.TOO_LATE);
        assertThat(result.token()).isEqualTo(token);
        assertThat(connector.gateways().get(GW1).orElseThrow().txErrors()).isEqualTo(1);

        // A warning alone is an acceptance.
        CompletableFuture<TxResult> lowered = connector.send(GW1, Txpk.loraImmediate(868_100_000L, 20,
                DataRate.Lora.of(7, 125), CodingRate.CR_4_5, JOIN_ACCEPT));
        Token t2 = gw.expectPullResp().token();
        gw.sendDown(SemtechCodec.encode(new TxAck(t2, GW1, TxAckError.NONE, TxAckError.TX_POWER, Optional.of(14))));
        TxResult warned = get(lowered);
        assertThat(warned.accepted()).isTrue();
        assertThat(warned.warning()).isEqualTo(TxAckError.TX_POWER);
        assertThat(warned.warnValue()).contains(14);
    }

    @Test
    void meteredDownlinkErrorsAreTotalsByTxAckErrorWithoutAGatewayTag() throws Exception {
        start(config().withAckTimeout(Duration.ofMillis(200)));
        io.micrometer.core.instrument.simple.SimpleMeterRegistry meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        connector.bindTo(meters);
        TestGateway gw = gateway(GW1);
        gw.pull();

        List<TxAckError> answers = List.of(TxAckError.TOO_LATE, TxAckError.COLLISION_PACKET, TxAckError.TOO_LATE, TxAckError.NONE);
        for (TxAckError answer : answers) {
            CompletableFuture<TxResult> f = connector.send(GW1, Txpk.loraImmediate(868_100_000L, 14, DataRate.Lora.of(7, 125),
                    CodingRate.CR_4_5, JOIN_ACCEPT));
            gw.txAck(gw.expectPullResp().token(), answer);
            assertThat(get(f).error()).isEqualTo(answer);
        }
        CompletableFuture<TxResult> unanswered = connector.send(GW1, Txpk.loraImmediate(868_100_000L, 14, DataRate.Lora.of(7, 125),
                CodingRate.CR_4_5, JOIN_ACCEPT));
        gw.expectPullResp();
        assertThat(get(unanswered).status()).isEqualTo(TxResult.Status.TIMEOUT);

        assertThat(meters.get("lorafab.gateway.downlink.errors").tag("error", "TOO_LATE").functionCounter().count()).isEqualTo(2);
        assertThat(meters.get("lorafab.gateway.downlink.errors").tag("error", "COLLISION_PACKET").functionCounter().count()).isEqualTo(1);
        assertThat(meters.get("lorafab.gateway.downlink.errors").tag("error", "NO_TX_ACK").functionCounter().count()).isEqualTo(1);
        assertThat(meters.get("lorafab.gateway.downlink.errors").tag("error", "TX_FREQ").functionCounter().count()).isZero();
        assertThat(meters.find("lorafab.gateway.downlink.errors").tag("error", "NONE").meters()).isEmpty();
        assertThat(meters.get("lorafab.gateway.downlinks").functionCounter().count()).isEqualTo(5);
        assertThat(meters.get("lorafab.gateway.datagrams").tag("type", "TX_ACK").functionCounter().count()).isEqualTo(4);
        assertThat(meters.get("lorafab.gateway.datagrams").tag("type", "PULL_DATA").functionCounter().count()).isEqualTo(1);
        assertThat(meters.get("lorafab.gateway.datagrams").tag("type", "PUSH_DATA").functionCounter().count()).isZero();
        assertThat(meters.get("lorafab.gateways").gauge().value()).isEqualTo(1);
        assertThat(connector.counter(SemtechUdpConnector.txAckError(TxAckError.TOO_LATE))).isEqualTo(2);
        // totals only: how many gateways there are is not bounded here
        assertThat(meters.getMeters()).allSatisfy(m -> assertThat(m.getId().getTags()).extracting(io.micrometer.core.instrument.Tag::getKey)
                .doesNotContain("gateway", "gatewayEui", "eui"));
    }

    @Test
    void noTxAckInTimeIsATimeoutAndALateAckIsCounted() throws Exception {
        start(config().withAckTimeout(Duration.ofMillis(100)));
        TestGateway gw = gateway(GW1);
        gw.pull();

        CompletableFuture<TxResult> f = connector.send(GW1, Txpk.loraImmediate(869_525_000L, 27,
                DataRate.Lora.of(12, 125), CodingRate.CR_4_5, JOIN_ACCEPT));
        Token token = gw.expectPullResp().token();
        TxResult result = get(f);

        assertThat(result).isEqualTo(TxResult.timeout(GW1, token));
        assertThat(connector.counter(SemtechUdpConnector.TX_TIMEOUT)).isEqualTo(1);
        assertThat(connector.gateways().get(GW1).orElseThrow().txTimeouts()).isEqualTo(1);

        gw.txAck(token, TxAckError.NONE);
        await("late TX_ACK counted", () -> connector.counter(SemtechUdpConnector.TX_ACK_UNKNOWN_TOKEN) == 1);
        assertThat(connector.counter(SemtechUdpConnector.TX_ACK)).isZero();
    }

    @Test
    void joinAcceptFallsBackToRx2WhenRx1IsTooLate() throws Exception {
        start(config());
        TestGateway gw = gateway(GW1);
        gw.pull();
        long tmst = 0xFFFF_FFFFL - 500_000L;
        gw.push(rxpk(tmst, 868_300_000L, 9, 125, -101, -4.5, JOIN_REQUEST));
        Uplink uplink = nextUplink();

        CompletableFuture<DownlinkResult> f = new JoinAcceptScheduler(connector)
                .scheduleJoinAccept(Eu868.INSTANCE, uplink, JOIN_ACCEPT);

        byte[] first = TestGateway.receiveRaw(gw.down);
        JsonNode rx1 = txpkJson(first);
        assertThat(rx1.get("tmst").asLong()).isEqualTo(4_499_999L);   // tmst + 5 s - 2^32
        assertThat(rx1.get("freq").decimalValue()).isEqualByComparingTo("868.3");
        assertThat(rx1.get("datr").asText()).isEqualTo("SF9BW125");
        gw.txAck(tokenOf(first), TxAckError.TOO_LATE);

        byte[] second = TestGateway.receiveRaw(gw.down);
        JsonNode rx2 = txpkJson(second);
        assertThat(rx2.get("tmst").asLong()).isEqualTo(5_499_999L);   // tmst + 6 s - 2^32
        assertThat(rx2.get("freq").decimalValue()).isEqualByComparingTo("869.525");
        assertThat(rx2.get("datr").asText()).isEqualTo("SF12BW125");
        assertThat(rx2.get("powe").asInt()).isEqualTo(27);
        assertThat(tokenOf(second)).isNotEqualTo(tokenOf(first));
        gw.txAck(tokenOf(second), TxAckError.NONE);

        DownlinkResult result = get(f);
        assertThat(result.window()).contains(RxWindow.RX2);
        assertThat(result.gatewayEui()).isEqualTo(GW1);
        assertThat(result.attempts()).extracting(a -> a.result().error())
                .containsExactly(TxAckError.TOO_LATE, TxAckError.NONE);
    }

    @Test
    void withAnAllowListOtherGatewaysAreCountedAndIgnored() throws Exception {
        start(config().withAllowedGateways(Set.of(GW1)));
        TestGateway allowed = gateway(GW1);
        TestGateway stranger = gateway(GW2);
        stranger.sendDown(SemtechCodec.encode(new PullData(Token.of(1, 2), GW2)));
        stranger.sendUp(SemtechCodec.encode(new PushData(Token.of(3, 4), GW2, List.of(rxpk(-80, 5.0, JOIN_REQUEST)), Optional.empty())));
        stranger.sendDown(SemtechCodec.encode(new TxAck(Token.of(5, 6), GW2, TxAckError.NONE)));
        await("three datagrams refused", () -> connector.counter(SemtechUdpConnector.GATEWAY_NOT_ALLOWED) == 3);

        allowed.pull();
        allowed.push(rxpk(-80, 5.0, JOIN_REQUEST));
        assertThat(nextUplink().receptions()).extracting(r -> r.gatewayEui()).containsExactly(GW1);
        assertThat(connector.gateways().get(GW2)).isEmpty();
        assertThat(connector.gateways().hasDownlinkRoute(GW2)).isFalse();
        assertThat(connector.counter(SemtechUdpConnector.PUSH_DATA)).isEqualTo(1);
        assertThat(connector.counter(SemtechUdpConnector.PULL_DATA)).isEqualTo(1);
    }

    @Test
    void sendingNeedsAPullDataFirst() throws Exception {
        start(config());
        TestGateway gw = gateway(GW1);
        gw.push(rxpk(-80, 5.0, JOIN_REQUEST));   // known, but only the uplink route
        Txpk txpk = Txpk.loraImmediate(869_525_000L, 27, DataRate.Lora.of(12, 125), CodingRate.CR_4_5, JOIN_ACCEPT);

        for (Eui64 eui : List.of(GW1, GW2)) {
            CompletableFuture<TxResult> f = connector.send(eui, txpk);
            assertThatThrownBy(() -> get(f)).isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(GatewayUnavailableException.class).hasMessageContaining("PULL_DATA")
                    .hasMessageContaining(eui.toString());
        }
        assertThat(connector.counter(SemtechUdpConnector.SEND_NO_ROUTE)).isEqualTo(2);
    }

    @Test
    void aTxAckFromAnotherAddressIsIgnored() throws Exception {
        start(config());
        TestGateway gw = gateway(GW1);
        gw.pull();
        CompletableFuture<TxResult> f = connector.send(GW1, Txpk.loraImmediate(869_525_000L, 27,
                DataRate.Lora.of(12, 125), CodingRate.CR_4_5, JOIN_ACCEPT));
        Token token = gw.expectPullResp().token();

        gw.sendUp(SemtechCodec.encode(new TxAck(token, GW1, TxAckError.TOO_LATE)));
        await("spoofed TX_ACK counted",
                () -> connector.counter(SemtechUdpConnector.TX_ACK_UNEXPECTED_SOURCE) == 1);
        assertThat(f).isNotDone();

        gw.txAck(token, TxAckError.NONE);
        assertThat(get(f).accepted()).isTrue();
    }

    // ---------------------------------------------------------------- deduplication

    @Test
    void twoGatewaysHearingOneFrameMakeOneUplinkBestFirst() throws Exception {
        start(config().withDedupWindow(Duration.ofMillis(500)));
        TestGateway gw1 = gateway(GW1);
        TestGateway gw2 = gateway(GW2);

        gw1.push(rxpk(1_000L, 868_100_000L, 7, 125, -110, -2.0, JOIN_REQUEST));
        gw2.push(rxpk(9_000L, 868_100_000L, 7, 125, -70, 8.5, JOIN_REQUEST));
        Uplink u = nextUplink();

        assertThat(u.phyPayload()).isEqualTo(JOIN_REQUEST);
        assertThat(u.receptions()).extracting(RxInfo::gatewayEui).containsExactly(GW2, GW1);
        assertThat(u.receptions()).extracting(RxInfo::tmst).containsExactly(9_000L, 1_000L);
        assertThat(u.best().snr()).isEqualTo(8.5);

        // Different frames are different uplinks, in order of first reception; no duplicate of the first.
        gw1.push(rxpk(-90, 3.0, OTHER_FRAME));
        gw2.push(rxpk(-90, 3.0, Fixtures.bytes(0x80, 20)));
        assertThat(nextUplink().phyPayload()).isEqualTo(OTHER_FRAME);
        assertThat(nextUplink().phyPayload()).isEqualTo(Fixtures.bytes(0x80, 20));
        assertThat(uplinks).isEmpty();
        assertThat(connector.counter(SemtechUdpConnector.UPLINKS)).isEqualTo(3);
    }

    @Test
    void aMultiChannelEchoFromOneGatewayCountsOnce() throws Exception {
        start(config());
        TestGateway gw = gateway(GW1);

        gw.push(rxpk(1_000L, 868_100_000L, 7, 125, -100, 1.0, JOIN_REQUEST),
                rxpk(1_000L, 868_300_000L, 7, 125, -120, -12.0, JOIN_REQUEST));
        Uplink u = nextUplink();

        assertThat(u.receptions()).hasSize(1);
        assertThat(u.best().frequencyHz()).isEqualTo(868_100_000L);
        assertThat(connector.counter(SemtechUdpConnector.RXPK_SAME_GATEWAY)).isEqualTo(1);
    }

    @Test
    void onlyLoRaReceptionsWithAGoodCrcAreDelivered() throws Exception {
        start(config());
        TestGateway gw = gateway(GW1);
        Rxpk good = rxpk(-80, 5.0, JOIN_REQUEST);

        gw.push(withCrc(rxpk(-80, 5.0, OTHER_FRAME), CrcStatus.BAD), withCrc(rxpk(-80, 5.0, OTHER_FRAME),
                CrcStatus.NO_CRC), fsk(OTHER_FRAME), rxpk(-80, 5.0, new byte[0]), good);

        assertThat(nextUplink().phyPayload()).isEqualTo(JOIN_REQUEST);
        assertThat(connector.counters()).containsEntry(SemtechUdpConnector.RXPK_CRC_BAD, 1L)
                .containsEntry(SemtechUdpConnector.RXPK_NO_CRC, 1L)
                .containsEntry(SemtechUdpConnector.RXPK_NOT_LORA, 1L)
                .containsEntry(SemtechUdpConnector.RXPK_EMPTY, 1L)
                .containsEntry(SemtechUdpConnector.RXPK_ACCEPTED, 1L);
        GatewayState s = connector.gateways().get(GW1).orElseThrow();
        assertThat(s.rxOk()).isEqualTo(1);
        assertThat(s.rxDropped()).isEqualTo(4);
        assertThat(uplinks).isEmpty();
    }

    private static Rxpk withCrc(Rxpk r, CrcStatus crc) {
        return new Rxpk(r.time(), r.tmms(), r.tmst(), r.frequencyHz(), r.chan(), r.rfch(), crc, r.dataRate(),
                r.codingRate(), r.rssi(), r.lsnr(), r.data(), r.rsig());
    }

    private static Rxpk fsk(byte[] data) {
        return new Rxpk(Optional.empty(), Optional.empty(), 0, 868_800_000L, 8, 0, CrcStatus.OK,
                new DataRate.Fsk(50_000), Optional.empty(), -70, Optional.empty(), data, List.of());
    }

    // ---------------------------------------------------------------- robustness

    @Test
    void garbageIsCountedByReasonAndTheConnectorKeepsWorking() throws Exception {
        start(config());
        TestGateway gw = gateway(GW1);
        byte[] eui = GW1.toBytes();

        // Not even a header.
        gw.sendDown(new byte[0]);
        gw.sendDown(new byte[] {2, 1, 2});
        gw.sendDown(concat(new byte[] {2, 0, 1, 0}, new byte[] {1, 2, 3}));             // PUSH_DATA, EUI cut short
        // Header problems.
        gw.sendDown(concat(new byte[] {1, 0, 1, 0}, eui, ascii("{\"rxpk\":[]}")));     // version 1
        gw.sendDown(concat(new byte[] {2, 0, 1, 0x09}, eui));                          // unknown identifier
        // Bodies.
        gw.sendDown(concat(new byte[] {2, 0, 1, 0x02}, eui, new byte[] {0}));           // PULL_DATA + 1 byte
        gw.sendDown(SemtechCodec.encode(new PullResp(Token.of(0, 1), Txpk.loraImmediate(869_525_000L, 14,
                DataRate.Lora.of(12, 125), CodingRate.CR_4_5, JOIN_ACCEPT))));          // server-to-gateway type
        gw.sendDown(SemtechCodec.encode(new TxAck(Token.of(9, 9), GW1, TxAckError.NONE)));   // nothing sent
        gw.sendDown(concat(new byte[] {2, 0, 1, 0x05}, eui, ascii("{\"txpk_ack\":")));  // TX_ACK, bad JSON

        // A malformed PUSH_DATA is still acknowledged (its header is fine), but delivers nothing.
        Token bad = Token.of(0x11, 0x22);
        gw.sendUp(concat(new byte[] {2, 0x11, 0x22, 0}, eui, ascii("{\"rxpk\":[")));
        assertThat(gw.receiveUp()).isEqualTo(new PushAck(bad));
        byte[] big = new byte[4000];
        Arrays.fill(big, (byte) 'x');
        System.arraycopy(concat(new byte[] {2, 0x33, 0x44, 0}, eui), 0, big, 0, 12);
        gw.sendUp(big);
        assertThat(gw.receiveUp()).isEqualTo(new PushAck(Token.of(0x33, 0x44)));
        gw.sendUp(concat(new byte[] {2, 0x55, 0x66, 0}, eui, ascii("{\"rxpk\":[{\"tmst\":1}]}")));
        assertThat(gw.receiveUp()).isEqualTo(new PushAck(Token.of(0x55, 0x66)));

        // Random noise from elsewhere (replies, if any, go back there).
        int noise = 200;
        try (DatagramSocket other = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Random random = new Random(42);
            for (int i = 0; i < noise; i++) {
                byte[] d = new byte[random.nextInt(64)];
                random.nextBytes(d);
                if (d.length > 0 && random.nextBoolean()) {
                    d[0] = 2;   // mostly version 2, to get past the first check
                }
                other.send(new DatagramPacket(d, d.length, connector.localAddress()));
            }
            int total = 12 + noise;
            await("every datagram counted once", () -> outcomes() == total);
        }

        assertThat(connector.counter(SemtechUdpConnector.TRUNCATED)).isGreaterThanOrEqualTo(3);
        assertThat(connector.counters())
                .containsKey(SemtechUdpConnector.UNSUPPORTED_VERSION)
                .containsKey(SemtechUdpConnector.UNKNOWN_TYPE)
                .containsKey(SemtechUdpConnector.UNEXPECTED_TYPE)
                .containsKey(SemtechUdpConnector.TX_ACK_UNKNOWN_TOKEN);
        assertThat(connector.counter(SemtechUdpConnector.MALFORMED)).isGreaterThanOrEqualTo(5);
        assertThat(connector.counter(SemtechUdpConnector.INTERNAL_ERROR)).isZero();
        assertThat(uplinks).isEmpty();

        // Still working: PULL_DATA acked, a valid PUSH_DATA acked and delivered.
        gw.pull();
        gw.push(rxpk(-80, 5.0, JOIN_REQUEST));
        assertThat(nextUplink().phyPayload()).isEqualTo(JOIN_REQUEST);
    }

    private long outcomes() {
        return connector.counters().entrySet().stream().filter(e -> DATAGRAM_OUTCOMES.contains(e.getKey()))
                .mapToLong(e -> e.getValue()).sum();
    }

    @Test
    void anOversizedDatagramIsDropped() throws Exception {
        start(config().withMaxDatagramBytes(1024));
        TestGateway gw = gateway(GW1);
        byte[] big = SemtechCodec.encode(new PushData(Token.of(1, 1), GW1,
                List.of(rxpk(-80, 5.0, new byte[2900])), Optional.empty()));
        assertThat(big.length).isGreaterThan(3900);

        gw.sendUp(big);
        await("oversized counted", () -> connector.counter(SemtechUdpConnector.DATAGRAM_TOO_LARGE) == 1);

        gw.push(rxpk(-80, 5.0, JOIN_REQUEST));
        assertThat(nextUplink().phyPayload()).isEqualTo(JOIN_REQUEST);
    }

    @Test
    void aThrowingListenerDoesNotStopDelivery() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        start(config(), u -> {
            if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("buggy handler");
            }
            uplinks.add(u);
        });
        TestGateway gw = gateway(GW1);

        gw.push(rxpk(-80, 5.0, OTHER_FRAME));
        await("listener error counted", () -> connector.counter(SemtechUdpConnector.LISTENER_ERROR) == 1);
        gw.push(rxpk(-80, 5.0, JOIN_REQUEST));

        assertThat(nextUplink().phyPayload()).isEqualTo(JOIN_REQUEST);
        assertThat(calls).hasValue(2);
    }

    @Test
    void beyondTheCapTheGatewayHeardLeastRecentlyIsForgottenToMakeRoom() throws Exception {
        start(config().withMaxGateways(1));
        TestGateway gw1 = gateway(GW1);
        TestGateway gw2 = gateway(GW2);

        gw1.pull();
        gw2.pull();   // a newcomer is not shut out by a full registry
        gw2.push(rxpk(-80, 5.0, JOIN_REQUEST));

        assertThat(nextUplink().best().gatewayEui()).isEqualTo(GW2);
        assertThat(connector.gateways().all()).extracting(GatewayState::eui).containsExactly(GW2);
        assertThat(connector.counter(SemtechUdpConnector.GATEWAY_EVICTED)).isEqualTo(1);
        CompletableFuture<TxResult> f = connector.send(GW2, Txpk.loraImmediate(869_525_000L, 14,
                DataRate.Lora.of(12, 125), CodingRate.CR_4_5, JOIN_ACCEPT));
        gw2.txAck(gw2.expectPullResp().token(), TxAckError.NONE);
        assertThat(get(f).accepted()).isTrue();
        assertThatThrownBy(() -> get(connector.send(GW1, Txpk.loraImmediate(869_525_000L, 14,
                DataRate.Lora.of(12, 125), CodingRate.CR_4_5, JOIN_ACCEPT))))
                .hasCauseInstanceOf(GatewayUnavailableException.class);
    }

    // ---------------------------------------------------------------- lifecycle

    @Test
    void closeFailsWaitingSendsAndIsFinal() throws Exception {
        start(config());
        TestGateway gw = gateway(GW1);
        gw.pull();
        Txpk txpk = Txpk.loraImmediate(869_525_000L, 14, DataRate.Lora.of(12, 125), CodingRate.CR_4_5, JOIN_ACCEPT);
        CompletableFuture<TxResult> waiting = connector.send(GW1, txpk);
        gw.expectPullResp();

        connector.close();
        connector.close();

        assertThatThrownBy(() -> get(waiting)).hasCauseInstanceOf(GatewayUnavailableException.class);
        assertThatThrownBy(() -> get(connector.send(GW1, txpk))).hasCauseInstanceOf(GatewayUnavailableException.class);
        assertThatThrownBy(() -> connector.start(uplinks::add)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void startTwiceAndUnstartedUseAreRefused() throws Exception {
        SemtechUdpConnector idle = new SemtechUdpConnector(config(), CLOCK);
        closeables.add(idle);
        assertThatThrownBy(idle::localPort).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> get(idle.send(GW1, Txpk.loraImmediate(869_525_000L, 14, DataRate.Lora.of(12, 125),
                CodingRate.CR_4_5, JOIN_ACCEPT)))).hasCauseInstanceOf(GatewayUnavailableException.class);

        start(config());
        assertThatThrownBy(() -> connector.start(uplinks::add)).isInstanceOf(IllegalStateException.class);

        // The port is taken: binding fails with an UncheckedIOException.
        SemtechUdpConnector clash = new SemtechUdpConnector(SemtechUdpConfig.listeningOn(connector.localAddress()),
                CLOCK);
        closeables.add(clash);
        assertThatThrownBy(() -> clash.start(uplinks::add)).isInstanceOf(UncheckedIOException.class);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
