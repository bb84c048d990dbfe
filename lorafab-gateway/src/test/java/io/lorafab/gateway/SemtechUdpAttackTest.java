package io.lorafab.gateway;

import io.lorafab.testkit.MutableClock;
import static io.lorafab.gateway.Fixtures.GW1;
import static io.lorafab.gateway.Fixtures.GW2;
import static io.lorafab.gateway.Fixtures.JOIN_REQUEST;
import static io.lorafab.gateway.Fixtures.T0;
import static io.lorafab.gateway.Fixtures.rxpk;
import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.gateway.semtech.CodingRate;
import io.lorafab.gateway.semtech.DataRate;
import io.lorafab.gateway.semtech.Rxpk;
import io.lorafab.gateway.semtech.SemtechCodec;
import io.lorafab.gateway.semtech.SemtechPacket.PullData;
import io.lorafab.gateway.semtech.SemtechPacket.PushAck;
import io.lorafab.gateway.semtech.SemtechPacket.PushData;
import io.lorafab.gateway.semtech.SemtechPacket.TxAck;
import io.lorafab.gateway.semtech.Token;
import io.lorafab.gateway.semtech.TxAckError;
import io.lorafab.gateway.semtech.Txpk;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The attacks of the security review (issue 11, findings 4 and 5) performed over real UDP sockets: the gateway on
 * 127.0.0.1, the attacker on 127.0.0.2 (a second host, as far as the listener can tell).
 */
@Timeout(30)
class SemtechUdpAttackTest {
    private static final InetAddress GATEWAY_HOST = InetAddress.getLoopbackAddress();
    private static final InetAddress ATTACKER_HOST = address("127.0.0.2");
    private static final Txpk ACCEPT = Txpk.loraImmediate(869_525_000L, 17, DataRate.Lora.of(12, 125), CodingRate.CR_4_5,
            Fixtures.bytes(0x20, 17));

    private final MutableClock clock = new MutableClock(T0);
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

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SemtechUdpConfig config() {
        return SemtechUdpConfig.listeningOn(new InetSocketAddress(GATEWAY_HOST, 0)).withDedupWindow(Duration.ofMillis(20));
    }

    private void start(SemtechUdpConfig config) {
        connector = new SemtechUdpConnector(config, clock);
        connector.start(uplinks::add);
    }

    private TestGateway gateway(io.lorafab.lorawan.types.Eui64 eui, InetAddress host) {
        TestGateway gw = new TestGateway(eui, connector.localPort(), host);
        closeables.add(gw);
        return gw;
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TestGateway.WAIT_MS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + TestGateway.WAIT_MS + " ms: " + what);
            }
            Thread.sleep(2);
        }
    }

    private static List<Rxpk> distinctFrames(int n, int seed) {
        List<Rxpk> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] f = Fixtures.bytes(0x00, 23);
            f[1] = (byte) seed;
            f[2] = (byte) i;
            f[3] = (byte) (i >> 8);
            out.add(rxpk(-80, 5.0, f));
        }
        return out;
    }

    // ---------------------------------------------------------------- finding 5: downlink hijack

    @Test
    void aPullDataFromASecondAddressDoesNotTakeOverTheGatewaysDownlinks() throws Exception {
        List<java.util.logging.LogRecord> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger(SemtechUdpConnector.class.getName());
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getLevel() == java.util.logging.Level.WARNING && r.getMessage().contains(GW1.toString())) {
                    warnings.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        jul.addHandler(capture);
        closeables.add(() -> jul.removeHandler(capture));
        start(config());
        TestGateway gw = gateway(GW1, GATEWAY_HOST);
        TestGateway attacker = gateway(GW1, ATTACKER_HOST);
        gw.pull();

        attacker.sendDown(SemtechCodec.encode(new PullData(Token.of(9, 9), GW1)));
        TestGateway.expectSilence(attacker.down, 300);   // no PULL_ACK: the claim is refused
        assertThat(connector.counter(SemtechUdpConnector.GATEWAY_ADDRESS_REFUSED)).isEqualTo(1);

        CompletableFuture<TxResult> f = connector.send(GW1, ACCEPT);
        Token token = gw.expectPullResp().token();             // the join-accept still goes to the gateway
        TestGateway.expectSilence(attacker.down, 100);
        attacker.sendDown(SemtechCodec.encode(new TxAck(token, GW1, TxAckError.NONE))); // even knowing the token
        await("the forged TX_ACK refused", () -> connector.counter(SemtechUdpConnector.GATEWAY_ADDRESS_REFUSED) == 2);
        assertThat(f).isNotDone();
        gw.txAck(token, TxAckError.TOO_LATE);
        assertThat(f.get(5, TimeUnit.SECONDS).error()).isEqualTo(TxAckError.TOO_LATE);

        GatewayState.AddressPin pin = connector.gateways().get(GW1).orElseThrow().pin();
        assertThat(pin.address()).isEqualTo(GATEWAY_HOST);
        assertThat(pin.refused()).isEqualTo(2);
        assertThat(pin.lastRefusedFrom().orElseThrow().getAddress()).isEqualTo(ATTACKER_HOST);
        assertThat(connector.gateways().get(GW1).orElseThrow().pullAddress()).contains(gw.downAddress());
        // issue 10: one warning for the claim (not one per datagram), naming the EUI and both addresses
        assertThat(warnings).singleElement().extracting(java.util.logging.LogRecord::getMessage).asString()
                .contains(GW1.toString(), "127.0.0.2", "127.0.0.1");
    }

    @Test
    void aGatewaySilentForTheBlockTimeMayComeBackFromANewAddress() throws Exception {
        start(config().withAddrChangeBlock(Duration.ofMinutes(1)));
        TestGateway before = gateway(GW1, GATEWAY_HOST);
        TestGateway after = gateway(GW1, ATTACKER_HOST);   // the same gateway on a new DHCP lease
        before.pull();

        clock.set(T0.plusSeconds(59));
        after.sendDown(SemtechCodec.encode(new PullData(Token.of(1, 1), GW1)));
        TestGateway.expectSilence(after.down, 200);

        clock.set(T0.plusSeconds(60));
        after.pull();
        assertThat(connector.counter(SemtechUdpConnector.GATEWAY_ADDRESS_CHANGED)).isEqualTo(1);
        assertThat(connector.gateways().get(GW1).orElseThrow().pin().address()).isEqualTo(ATTACKER_HOST);
        connector.send(GW1, ACCEPT);
        after.expectPullResp();
    }

    @Test
    void anAllowListEntryWithAnAddressRefusesItsEuiFromAnywhereElse() throws Exception {
        start(config().withAllowList(GatewayAllowList.parse(List.of(GW1 + "@127.0.0.0/31", GW2.toString()))));
        TestGateway attacker = gateway(GW1, ATTACKER_HOST);   // first to speak: pinning alone would let it in
        attacker.sendDown(SemtechCodec.encode(new PullData(Token.of(1, 1), GW1)));
        attacker.sendUp(SemtechCodec.encode(new PushData(Token.of(1, 2), GW1, List.of(rxpk(-80, 5.0, JOIN_REQUEST)),
                Optional.empty())));
        await("both refused", () -> connector.counter(SemtechUdpConnector.GATEWAY_ADDRESS_NOT_ALLOWED) == 2);
        TestGateway.expectSilence(attacker.down, 100);
        assertThat(connector.gateways().get(GW1)).isEmpty();

        gateway(GW1, GATEWAY_HOST).pull();                     // 127.0.0.1 is inside 127.0.0.0/31
        gateway(GW2, ATTACKER_HOST).pull();                    // GW2 is listed without an address
        assertThat(connector.gateways().all()).extracting(GatewayState::eui).containsExactly(GW1, GW2);
    }

    @Test
    void spoofedEuisCannotKeepANewGatewayOut() throws Exception {
        start(config().withMaxGateways(100));
        TestGateway spoofer = gateway(GW2, ATTACKER_HOST);
        for (int i = 0; i < 150; i++) {
            spoofer.sendDown(SemtechCodec.encode(new PullData(Token.of(1, 1), io.lorafab.lorawan.types.Eui64.of(0x7000 + i))));
            spoofer.receiveDown();
        }
        TestGateway gw = gateway(GW1, GATEWAY_HOST);
        gw.pull();
        connector.send(GW1, ACCEPT);
        gw.expectPullResp();
        assertThat(connector.counter(SemtechUdpConnector.GATEWAY_EVICTED)).isEqualTo(51);
    }

    // ---------------------------------------------------------------- finding 4: a few datagrams block a gateway

    @Test
    void aPushDataOfHundredsOfForgedReceptionsIsDroppedBeforeItIsDecoded() throws Exception {
        start(config());
        TestGateway gw = gateway(GW1, GATEWAY_HOST);
        byte[] big = SemtechCodec.encode(new PushData(Token.of(1, 1), GW1, distinctFrames(250, 1), Optional.empty()));
        assertThat(big.length).isGreaterThan(40_000);          // the review's 43 KB datagrams

        for (int i = 0; i < 3; i++) {
            gw.sendUp(big);
        }
        await("three counted", () -> connector.counter(SemtechUdpConnector.DATAGRAM_TOO_LARGE) == 3);
        gw.push(rxpk(-80, 5.0, JOIN_REQUEST));
        Uplink u = uplinks.poll(5, TimeUnit.SECONDS);
        assertThat(u).isNotNull();
        assertThat(u.phyPayload()).isEqualTo(JOIN_REQUEST);
        assertThat(uplinks).isEmpty();
        assertThat(connector.counter(SemtechUdpConnector.RXPK_ACCEPTED)).isEqualTo(1);
    }

    @Test
    void aPushDataWithMoreReceptionsThanAConcentratorCanHearAtOnceIsDroppedWhole() throws Exception {
        start(config());
        TestGateway gw = gateway(GW1, GATEWAY_HOST);
        List<Rxpk> many = distinctFrames(33, 2);
        byte[] d = SemtechCodec.encode(new PushData(Token.of(3, 3), GW1, many, Optional.empty()));
        assertThat(d.length).isLessThanOrEqualTo(SemtechUdpConfig.DEFAULT_MAX_DATAGRAM_BYTES);

        gw.sendUp(d);
        assertThat(gw.receiveUp()).isEqualTo(new PushAck(Token.of(3, 3))); // it did arrive
        assertThat(connector.counter(SemtechUdpConnector.TOO_MANY_RXPK)).isEqualTo(1);
        gw.push(distinctFrames(32, 3).toArray(Rxpk[]::new));              // 32 are fine
        await("32 uplinks", () -> uplinks.size() == 32);
        assertThat(uplinks).noneMatch(u -> u.phyPayload()[1] == 2);
    }

    @Test
    void oneSourceAddressCannotCrowdOtherGatewaysOutOfTheDeduplicationWindow() throws Exception {
        // 50 frames may wait at once; the flooder's 60 would fill the window and the gateway's frame be dropped.
        start(config().withDedupWindow(Duration.ofMillis(1500)).withMaxPendingFrames(50).withRxpkPerSecondPerAddress(30));
        TestGateway flooder = gateway(GW2, ATTACKER_HOST);
        List<Rxpk> flood = distinctFrames(60, 4);
        for (int i = 0; i < 60; i += 15) {
            flooder.push(flood.subList(i, i + 15).toArray(Rxpk[]::new)); // acknowledged, even when over the rate
        }
        assertThat(connector.counter(SemtechUdpConnector.RXPK_RATE_LIMITED)).isEqualTo(30);

        TestGateway gw = gateway(GW1, GATEWAY_HOST);
        gw.push(rxpk(-80, 5.0, JOIN_REQUEST));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        boolean delivered = false;
        while (!delivered && System.nanoTime() < deadline) {
            Uplink u = uplinks.poll(100, TimeUnit.MILLISECONDS);
            delivered = u != null && Arrays.equals(u.phyPayload(), JOIN_REQUEST);
        }
        assertThat(delivered).as("the gateway's frame delivered").isTrue();
        assertThat(connector.counter(SemtechUdpConnector.DEDUP_OVERFLOW)).isZero();

        clock.set(T0.plusSeconds(1));                           // the bucket refills with time
        flooder.push(distinctFrames(30, 5).toArray(Rxpk[]::new));
        assertThat(connector.counter(SemtechUdpConnector.RXPK_RATE_LIMITED)).isEqualTo(30);
    }
}
