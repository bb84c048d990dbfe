package io.lorafab.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.gateway.semtech.DataRate;
import io.lorafab.gateway.semtech.SemtechCodec;
import io.lorafab.gateway.semtech.SemtechPacket;
import io.lorafab.gateway.semtech.Token;
import io.lorafab.gateway.semtech.Txpk;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scripted network server answers two devices' join-requests on one gateway in reverse order, plus a downlink
 * nobody waits for: each device gets the downlink for its own tmst.
 */
class VirtualGatewayMatchingTest {

    static final AesKey KEY = AesKey.parse("2b7e151628aed2a6abf7158809cf4f3c");

    @TempDir
    Path dir;

    static Txpk txpk(long tmst, byte[] data) {
        return new Txpk(false, Optional.of(tmst), Optional.empty(), 868_100_000L, 0, Optional.of(14), DataRate.Lora.of(7, 125),
                Optional.of(io.lorafab.gateway.semtech.CodingRate.CR_4_5), Optional.empty(), true, Optional.empty(), data, true);
    }

    @Test
    void downlinksAreMatchedByTmst() throws Exception {
        try (DatagramSocket ns = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
                VirtualGateway gw = new VirtualGateway(Eui64.parse("0000000000000b01"),
                        new InetSocketAddress("127.0.0.1", ns.getLocalPort()), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC),
                        Duration.ofSeconds(5), VirtualGateway.Timing.COMPRESSED)) {
            ns.setSoTimeout(5000);
            byte[] buf = new byte[65535];
            CompletableFuture<Void> script = CompletableFuture.runAsync(() -> {
                try {
                    DatagramPacket d = new DatagramPacket(buf, buf.length);
                    ns.receive(d);
                    SemtechPacket pull = SemtechCodec.decode(buf, 0, d.getLength());
                    SocketAddress gwAddr = d.getSocketAddress();
                    send(ns, gwAddr, new SemtechPacket.PullAck(((SemtechPacket.PullData) pull).token()));
                    List<Long> tmsts = new ArrayList<>();
                    while (tmsts.size() < 2) {
                        ns.receive(d);
                        if (SemtechCodec.decode(buf, 0, d.getLength()) instanceof SemtechPacket.PushData p) {
                            tmsts.add(p.rxpk().get(0).tmst());
                        }
                    }
                    long rx1 = Region.byName("EU868").joinAcceptDelay1().toNanos() / 1000;
                    send(ns, gwAddr, new SemtechPacket.PullResp(Token.fromLe(1), txpk(3_000_000, new byte[] {9})));
                    for (int i = 1; i >= 0; i--) {
                        send(ns, gwAddr, new SemtechPacket.PullResp(Token.fromLe(2 + i),
                                txpk(tmsts.get(i) + rx1, new byte[] {(byte) (tmsts.get(i) & 0x7f)})));
                    }
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            gw.connect(Duration.ofSeconds(5));
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<Optional<byte[]>>> answers = new ArrayList<>();
                List<Long> expected = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    VirtualDevice d = new VirtualDevice(new DeviceIdentity(Eui64.of(0x10 + i), Eui64.of(1), KEY, null,
                            MacVersion.V1_0_4, Region.byName("EU868")), DeviceNvm.open(dir.resolve(i + ".json")),
                            new SplittableRandom(i));
                    answers.add(pool.submit(() -> gw.deliver(d, d.joinRequest(), 868_100_000L, 7, -50, 7.0)));
                }
                script.get();
                List<Byte> got = new ArrayList<>();
                for (Future<Optional<byte[]>> a : answers) {
                    got.add(a.get().orElseThrow()[0]);
                }
                // the fixed clock makes the gateway's tmsts 0 and 1; each device got its own answer
                assertThat(got).containsExactlyInAnyOrder((byte) 0, (byte) 1);
                assertThat(got.get(0)).isNotEqualTo(got.get(1));
            } finally {
                pool.shutdownNow();
            }
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (gw.unmatchedDownlinks() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(gw.unmatchedDownlinks()).isEqualTo(1);
        }
    }

    static void send(DatagramSocket s, SocketAddress to, SemtechPacket p) throws Exception {
        byte[] b = SemtechCodec.encode(p);
        s.send(new DatagramPacket(b, b.length, to));
    }
}
