package io.lorafab.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.joinserver.TestDownlinks;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.Hex;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.store.join.RadioEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The join server's test downlink over real UDP: a device's first uplink on a session is answered in RX1 with a random
 * payload the device decrypts (1.0.x and 1.1), later uplinks are not, each new session starts its counter again, and a
 * server too late for both windows sends nothing and says so.
 */
class TestDownlinkTest {

    static final Eui64 JOIN_EUI = Eui64.parse("70b3d57ed0000001");
    static final AesKey APP_KEY = AesKey.parse("2b7e151628aed2a6abf7158809cf4f3c");
    static final AesKey NWK_KEY = AesKey.parse("000102030405060708090a0b0c0d0e0f");
    static final Duration WAIT = Duration.ofSeconds(10);
    /** SF7BW125 in EU868, sent on 868.3 MHz, the second default channel: what a 1.1 uplink's MIC covers. */
    static final int DR5 = 5;

    @TempDir
    Path dir;

    VirtualDevice device(UdpJoinServer server, Eui64 dev, MacVersion v) {
        AesKey nwk = v == MacVersion.V1_1 ? NWK_KEY : null;
        server.register(dev, JOIN_EUI, v, APP_KEY, nwk);
        DeviceIdentity id = new DeviceIdentity(dev, JOIN_EUI, APP_KEY, nwk, v, Region.byName("EU868"));
        return new VirtualDevice(id, DeviceNvm.open(dir.resolve(dev + ".json")), new SplittableRandom(3));
    }

    static String sentPayload(UdpJoinServer server, Eui64 dev, long after) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            for (RadioEvent e : server.js.store().events(dev, after, 50)) {
                if (e.kind().equals("downlink_sent")) {
                    return e.details();
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("no downlink_sent for " + dev);
    }

    @Test
    void theFirstUplinkOfEachSessionIsAnsweredWithARandomPayloadTheDeviceDecryptsLaterOnesAreNot() throws Exception {
        for (MacVersion v : new MacVersion[] {MacVersion.V1_0_4, MacVersion.V1_1}) {
            try (UdpJoinServer server = new UdpJoinServer(dir.resolve(v.text()));
                    VirtualGateway gw = new VirtualGateway(Eui64.parse("0000000000000e07"), server.address, Clock.systemUTC(),
                            Duration.ofSeconds(3), SimGateway.Timing.COMPRESSED)) {
                gw.connect(Duration.ofSeconds(5));
                Eui64 dev = Eui64.parse(v == MacVersion.V1_1 ? "70b3d57ed0012346" : "70b3d57ed0012345");
                VirtualDevice d = device(server, dev, v);
                for (int session = 0; session < 2; session++) {
                    long after = server.js.store().events(dev, 0, 1000).stream().mapToLong(RadioEvent::id).max().orElse(0);
                    byte[] accept = gw.deliver(d, d.joinRequest(), 868_100_000L, 7, -60, 8.0).orElseThrow();
                    assertThat(d.acceptJoin(accept).joined()).isTrue();
                    Optional<byte[]> down = gw.deliver(d, d.uplink(1, new byte[] {7}, false, DR5, 1), 868_300_000L, 7, -60, 8.0);
                    VirtualDevice.Downlink got = d.receive(down.orElseThrow()).orElseThrow();
                    String sent = sentPayload(server, dev, after);
                    assertThat(sent).as(v.text()).contains("\"frmPayload\":\"" + Hex.format(got.payload()) + "\"")
                            .contains("\"fPort\":2").contains("\"fCntDown\":0").contains("\"window\":\"RX1\"");
                    assertThat(got.payload()).hasSize(8);
                    assertThat(got.fCnt()).as("a new session counts its downlinks from 0").isZero();
                    // the second uplink of the session is not answered: the gateway's reply timeout passes without a downlink
                    assertThat(gw.deliver(d, d.uplink(1, new byte[] {8}, false, DR5, 1), 868_300_000L, 7, -60, 8.0)).isEmpty();
                }
            }
        }
    }

    @Test
    void aServerTooLateForBothWindowsSendsNothingAndRecordsTheMiss() throws Exception {
        // the bridge's clock runs 3 s ahead of the connector's: every uplink looks 3 s old, past RX2 (2 s)
        Clock late = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(3));
        try (UdpJoinServer server = new UdpJoinServer(dir, late, Duration.ofMillis(200));
                VirtualGateway gw = new VirtualGateway(Eui64.parse("0000000000000e08"), server.address, Clock.systemUTC(),
                        Duration.ofSeconds(8), SimGateway.Timing.COMPRESSED)) {
            gw.connect(Duration.ofSeconds(5));
            Eui64 dev = Eui64.parse("70b3d57ed0012347");
            VirtualDevice d = device(server, dev, MacVersion.V1_0_4);
            // 3 s late is still in time for the join-accept's RX1 (5 s)
            assertThat(d.acceptJoin(gw.deliver(d, d.joinRequest(), 868_100_000L, 7, -60, 8.0).orElseThrow()).joined()).isTrue();
            gw.push(d.uplink(1, new byte[] {7}, false), 868_300_000L, 7, -60, 8.0);
            RadioEvent missed = server.awaitEvent(dev, "downlink_not_sent", WAIT);
            assertThat(missed.code()).isEqualTo("rx_windows_missed");
            assertThat(missed.details()).contains("\"gatewayError\":\"RX_WINDOWS_MISSED\"").contains("\"frmPayload\":\"");
            assertThat(gw.downlinksRequested()).as("only the join-accept was asked of the gateway").isEqualTo(1);
        }
    }

    @Test
    void aTestDownlinkThatDidNotGoOutIsTriedAgainOnTheNextUplinksThreeTimesInAll() throws Exception {
        Clock late = Clock.offset(Clock.systemUTC(), Duration.ofSeconds(3)); // every try misses its windows, as above
        try (UdpJoinServer server = new UdpJoinServer(dir, late, Duration.ofMillis(200));
                VirtualGateway gw = new VirtualGateway(Eui64.parse("0000000000000e09"), server.address, Clock.systemUTC(),
                        Duration.ofSeconds(8), SimGateway.Timing.COMPRESSED)) {
            gw.connect(Duration.ofSeconds(5));
            Eui64 dev = Eui64.parse("70b3d57ed0012348");
            VirtualDevice d = device(server, dev, MacVersion.V1_0_4);
            assertThat(d.acceptJoin(gw.deliver(d, d.joinRequest(), 868_100_000L, 7, -60, 8.0).orElseThrow()).joined()).isTrue();
            for (int uplink = 1; uplink <= 4; uplink++) {
                gw.push(d.uplink(1, new byte[] {(byte) uplink}, false), 868_300_000L, 7, -60, 8.0);
                int seen = uplink;
                long deadline = System.nanoTime() + WAIT.toNanos();
                while (count(server, dev, "uplink_verified") < seen && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                Thread.sleep(300); // the try, if any, is recorded off the receive thread
            }
            assertThat(count(server, dev, "uplink_verified")).isEqualTo(4);
            assertThat(count(server, dev, "downlink_not_sent")).as("the first uplink's try and two more, none for the fourth uplink").isEqualTo(TestDownlinks.ATTEMPTS);
        }
    }

    static long count(UdpJoinServer server, Eui64 dev, String kind) {
        return server.js.store().events(dev, 0, 1000).stream().filter(e -> e.kind().equals(kind)).count();
    }
}
