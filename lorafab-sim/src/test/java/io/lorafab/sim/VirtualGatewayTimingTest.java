package io.lorafab.sim;

import io.lorafab.testkit.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.gateway.semtech.CodingRate;
import io.lorafab.gateway.semtech.DataRate;
import io.lorafab.gateway.semtech.SemtechCodec;
import io.lorafab.gateway.semtech.SemtechPacket;
import io.lorafab.gateway.semtech.Token;
import io.lorafab.gateway.semtech.TxAckError;
import io.lorafab.gateway.semtech.Txpk;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The virtual gateway's downlink timing over real UDP, against a scripted network server, on a clock the test
 * moves: a downlink reaches the device at its tmst, not when it arrives; the forwarder's TX_ACK rules; the
 * device stops listening after RX2; keep-alive PULL_DATA and stat reports.
 */
class VirtualGatewayTimingTest {

    static final AesKey KEY = AesKey.parse("2b7e151628aed2a6abf7158809cf4f3c");
    static final Region EU = Region.byName("EU868");
    static final long RX1_US = 5_000_000;
    static final long RX2_US = 6_000_000;
    /** Long enough never to be what ends a test's wait; the gateway's own rules must end it. */
    static final Duration REPLY_TIMEOUT = Duration.ofMinutes(5);

    @TempDir
    Path dir;

    MutableClock clock = new MutableClock(Instant.parse("2026-12-03T08:00:00Z"));
    ScriptedServer ns;
    VirtualGateway gw;
    AtomicInteger devices = new AtomicInteger();

    @BeforeEach
    void start() throws Exception {
        ns = new ScriptedServer();
    }

    @AfterEach
    void stop() {
        if (gw != null) {
            gw.close();
        }
        ns.close();
    }

    VirtualGateway gateway(VirtualGateway.Timing timing) throws Exception {
        gw = new VirtualGateway(Eui64.parse("0000000000000f01"), ns.address(), clock, REPLY_TIMEOUT, timing);
        CompletableFuture<Void> c = CompletableFuture.runAsync(() -> {
            try {
                gw.connect(Duration.ofSeconds(5));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        ns.next(SemtechPacket.PullData.class);
        c.get(5, TimeUnit.SECONDS);
        return gw;
    }

    VirtualDevice device() {
        int n = devices.getAndIncrement();
        return new VirtualDevice(new DeviceIdentity(Eui64.of(0x20 + n), Eui64.of(1), KEY, null, MacVersion.V1_0_4, EU),
                DeviceNvm.open(dir.resolve(n + ".json")), new SplittableRandom(n));
    }

    /** A device sends its join-request through the gateway; returns its wait and the tmst the server saw. */
    record Joining(CompletableFuture<Optional<byte[]>> answer, long tmst) {
    }

    Joining join() throws Exception {
        VirtualDevice d = device();
        CompletableFuture<Optional<byte[]>> answer = CompletableFuture.supplyAsync(() -> {
            try {
                return gw.deliver(d, d.joinRequest(), 868_100_000L, 7, -40, 9.0);
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        SemtechPacket.PushData up = ns.next(SemtechPacket.PushData.class);
        return new Joining(answer, up.rxpk().get(0).tmst());
    }

    static Txpk at(long tmst, byte... data) {
        return new Txpk(false, Optional.of(tmst), Optional.empty(), 868_100_000L, 0, Optional.of(14), DataRate.Lora.of(7, 125),
                Optional.of(CodingRate.CR_4_5), Optional.empty(), true, Optional.empty(), data, true);
    }

    static long plus(long tmst, long us) {
        return (tmst + us) & 0xFFFF_FFFFL;
    }

    /** Moves the clock and gives the gateway's transmitter (which looks every few ms) time to notice. */
    void advance(Duration d) throws InterruptedException {
        clock.advance(d);
        Thread.sleep(50);
    }

    @Test
    void onAirADownlinkReachesTheDeviceAtItsTmstNotWhenItArrives() throws Exception {
        gateway(VirtualGateway.Timing.ON_AIR);
        Joining j = join();
        assertThat(ns.pullResp(at(plus(j.tmst(), RX1_US), (byte) 0x20))).isEqualTo(TxAckError.NONE);

        advance(Duration.ofMillis(4_900));
        assertThat(j.answer()).isNotDone(); // accepted, queued, not yet on air
        advance(Duration.ofMillis(100));
        assertThat(j.answer().get(5, TimeUnit.SECONDS)).hasValueSatisfying(b -> assertThat(b).containsExactly(0x20));
        assertThat(gw.unmatchedDownlinks()).isZero();
    }

    @Test
    void onAirTheDeviceStopsListeningAfterRx2() throws Exception {
        gateway(VirtualGateway.Timing.ON_AIR);
        Joining j = join();
        advance(Duration.ofMillis(5_500));
        assertThat(j.answer()).isNotDone(); // RX2 is still to come
        advance(Duration.ofMillis(600));
        assertThat(j.answer().get(5, TimeUnit.SECONDS)).isEmpty(); // not the 5-minute reply timeout

        // a downlink for the closed window is still transmitted, and heard by nobody
        assertThat(ns.pullResp(at(plus(j.tmst(), RX2_US + 1_000_000)))).isEqualTo(TxAckError.NONE);
        advance(Duration.ofSeconds(2));
        awaitUnmatched(1);
    }

    @Test
    void onAirADownlinkRefusedForRx1CanStillBeHeardInRx2() throws Exception {
        gateway(VirtualGateway.Timing.ON_AIR);
        Joining j = join();
        advance(Duration.ofMillis(4_990)); // the server answers 10 ms before RX1: too late for the forwarder
        assertThat(ns.pullResp(at(plus(j.tmst(), RX1_US), (byte) 1))).isEqualTo(TxAckError.TOO_LATE);
        assertThat(ns.pullResp(at(plus(j.tmst(), RX2_US), (byte) 2))).isEqualTo(TxAckError.NONE);
        advance(Duration.ofMillis(1_010));
        assertThat(j.answer().get(5, TimeUnit.SECONDS)).hasValueSatisfying(b -> assertThat(b).containsExactly(2));
        assertThat(gw.refusedDownlinks(TxAckError.TOO_LATE)).isEqualTo(1);
    }

    @Test
    void theForwardersTxAckRules() throws Exception {
        gateway(VirtualGateway.Timing.ON_AIR);
        advance(Duration.ofSeconds(10));
        long now = gw.counter();
        assertThat(ns.pullResp(at(plus(now, 20_000)))).as("20 ms ahead").isEqualTo(TxAckError.TOO_LATE);
        assertThat(ns.pullResp(at(plus(now, -500_000)))).as("0.5 s ago").isEqualTo(TxAckError.TOO_LATE);
        assertThat(ns.pullResp(at(plus(now, 600_000_000)))).as("10 min ahead").isEqualTo(TxAckError.TOO_EARLY);
        assertThat(ns.pullResp(at(plus(now, 3_000_000)))).as("3 s ahead").isEqualTo(TxAckError.NONE);
        assertThat(ns.pullResp(at(plus(now, 3_010_000)))).as("10 ms after it").isEqualTo(TxAckError.COLLISION_PACKET);
        assertThat(gw.refusedDownlinks(TxAckError.COLLISION_PACKET)).isEqualTo(1);
        Txpk byGpsTime = new Txpk(false, Optional.empty(), Optional.of(1_400_000_000_000L), 868_100_000L, 0, Optional.of(14),
                DataRate.Lora.of(7, 125), Optional.of(CodingRate.CR_4_5), Optional.empty(), true, Optional.empty(), new byte[1], true);
        assertThat(ns.pullResp(byGpsTime)).as("tmms without GPS").isEqualTo(TxAckError.GPS_UNLOCKED);
    }

    @Test
    void anImmediateDownlinkIsSentASecondLaterAndNoClassADeviceHearsIt() throws Exception {
        gateway(VirtualGateway.Timing.ON_AIR);
        Txpk imme = Txpk.loraImmediate(869_525_000L, 27, DataRate.Lora.of(9, 125), CodingRate.CR_4_5, new byte[] {7});
        assertThat(ns.pullResp(imme)).isEqualTo(TxAckError.NONE);
        advance(Duration.ofMillis(900));
        assertThat(gw.unmatchedDownlinks()).isZero();
        advance(Duration.ofMillis(200));
        awaitUnmatched(1);
    }

    @Test
    void compressedADownlinkIsHandedOverWhenAcceptedWithTheSameTimingRules() throws Exception {
        gateway(VirtualGateway.Timing.COMPRESSED);
        Joining j = join();
        // the clock stands still: nothing would ever go out on air
        assertThat(ns.pullResp(at(plus(j.tmst(), RX1_US), (byte) 5))).isEqualTo(TxAckError.NONE);
        assertThat(j.answer().get(5, TimeUnit.SECONDS)).hasValueSatisfying(b -> assertThat(b).containsExactly(5));

        Joining late = join();
        advance(Duration.ofMillis(4_990));
        assertThat(ns.pullResp(at(plus(late.tmst(), RX1_US), (byte) 6))).isEqualTo(TxAckError.TOO_LATE);
        assertThat(ns.pullResp(at(plus(late.tmst(), RX2_US), (byte) 7))).isEqualTo(TxAckError.NONE);
        assertThat(late.answer().get(5, TimeUnit.SECONDS)).hasValueSatisfying(b -> assertThat(b).containsExactly(7));
    }

    @Test
    void keepAliveSendsPullDataAndStatReportsOnATimer() throws Exception {
        gateway(VirtualGateway.Timing.ON_AIR);
        gw.push(new byte[] {0x40, 1, 2, 3, 4, 0, 0, 0, 1, 2, 3, 4}, 868_300_000L, 7, -50, 7.5);
        ns.next(SemtechPacket.PushData.class);
        gw.startKeepAlive(Duration.ofMillis(20), 2);
        ns.next(SemtechPacket.PullData.class);
        SemtechPacket.PushData stat;
        do {
            stat = ns.next(SemtechPacket.PushData.class);
        } while (stat.stat().isEmpty());
        assertThat(stat.rxpk()).isEmpty();
        assertThat(stat.stat().get().rxnb()).contains(1L);
        assertThat(stat.stat().get().time()).contains(clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        ns.next(SemtechPacket.PullData.class);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (gw.pullAcks() < 3 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(gw.pullAcks()).isGreaterThanOrEqualTo(3); // connect's and two keep-alives'
    }

    void awaitUnmatched(long n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (gw.unmatchedDownlinks() < n && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(gw.unmatchedDownlinks()).isEqualTo(n);
    }

    /** The network server's end: answers PULL_DATA/PUSH_DATA, sends PULL_RESPs and reads their TX_ACKs. */
    static final class ScriptedServer implements AutoCloseable {
        final DatagramSocket socket;
        final byte[] buf = new byte[65_535];
        SocketAddress gateway;
        int tokens;

        ScriptedServer() throws Exception {
            socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
            socket.setSoTimeout(5_000);
        }

        InetSocketAddress address() {
            return new InetSocketAddress("127.0.0.1", socket.getLocalPort());
        }

        /** The next packet of {@code type}, acknowledging (and skipping) the others. */
        <P extends SemtechPacket> P next(Class<P> type) throws Exception {
            while (true) {
                DatagramPacket d = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(d);
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("no " + type.getSimpleName() + " from the gateway", e);
                }
                SemtechPacket p = SemtechCodec.decode(buf, 0, d.getLength());
                if (p instanceof SemtechPacket.PullData pull) {
                    gateway = d.getSocketAddress();
                    send(new SemtechPacket.PullAck(pull.token()));
                } else if (p instanceof SemtechPacket.PushData push) {
                    send(new SemtechPacket.PushAck(push.token()));
                }
                if (type.isInstance(p)) {
                    return type.cast(p);
                }
            }
        }

        TxAckError pullResp(Txpk txpk) throws Exception {
            Token t = Token.fromLe(++tokens);
            send(new SemtechPacket.PullResp(t, txpk));
            SemtechPacket.TxAck ack = next(SemtechPacket.TxAck.class);
            assertThat(ack.token()).isEqualTo(t);
            return ack.error();
        }

        void send(SemtechPacket p) throws Exception {
            byte[] b = SemtechCodec.encode(p);
            socket.send(new DatagramPacket(b, b.length, gateway));
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
