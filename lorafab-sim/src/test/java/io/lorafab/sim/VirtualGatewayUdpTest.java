package io.lorafab.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.gateway.SemtechUdpConnector;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.NetId;
import io.lorafab.store.join.RadioEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Virtual devices and gateways over real UDP to a join server wired from its parts. */
class VirtualGatewayUdpTest {

    static final AesKey APP_KEY = AesKey.parse("2b7e151628aed2a6abf7158809cf4f3c");
    static final AesKey NWK_KEY = AesKey.parse("000102030405060708090a0b0c0d0e0f");
    static final Eui64 JOIN_EUI = Eui64.parse("70b3d57ed0000001");
    static final Region EU = Region.byName("EU868");
    static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    UdpJoinServer server;
    /** The gateways' concentrator clock: fixed, so tmst only moves by the gateway's own uniqueness step. */
    Clock gwClock = Clock.fixed(Instant.parse("2026-11-22T00:00:00Z"), ZoneOffset.UTC);

    @BeforeEach
    void start() {
        server = new UdpJoinServer(dir);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    DeviceIdentity register(Eui64 eui, MacVersion v) {
        server.register(eui, JOIN_EUI, v, APP_KEY, v.is11() ? NWK_KEY : null);
        return new DeviceIdentity(eui, JOIN_EUI, APP_KEY, v.is11() ? NWK_KEY : null, v, EU);
    }

    RadioEvent awaitEvent(Eui64 dev, String kind) throws InterruptedException {
        return server.awaitEvent(dev, kind, WAIT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0.2", "1.0.4", "1.1"})
    void aDeviceJoinsOverUdpAndItsUplinkIsVerified(String version) throws Exception {
        Eui64 eui = Eui64.parse("0004a30b001c0700");
        VirtualDevice d = new VirtualDevice(register(eui, MacVersion.parse(version)), DeviceNvm.open(dir.resolve("d.json")),
                new Random(3));
        try (VirtualGateway gw = new VirtualGateway(Eui64.parse("0000000000000a01"), server.address, gwClock, WAIT, VirtualGateway.Timing.COMPRESSED)) {
            gw.connect(WAIT);
            byte[] accept = gw.deliver(d, d.joinRequest(), 868_100_000L, 7, -61, 9.0)
                    .orElseThrow(() -> new AssertionError("no join-accept"));
            JoinOutcome out = d.acceptJoin(accept);
            assertThat(out.joined()).isTrue();
            assertThat(out.netId()).isEqualTo(NetId.parse("000013"));
            assertThat(awaitEvent(eui, "join_accepted").rssi()).isEqualTo(-61);

            gw.keepAlive();
            // 868.1 MHz SF7BW125: channel 0, DR5 in the 1.1 MIC
            // the first uplink is answered with the join server's test downlink, which the listening device takes
            java.util.Optional<byte[]> down = gw.deliver(d, d.uplink(2, new byte[] {9, 8, 7}, false, 5, 0), 868_100_000L, 7, -62, 8.0);
            RadioEvent up = awaitEvent(eui, "uplink_verified");
            assertThat(up.details()).contains("\"frmPayload\":\"090807\"").contains("\"devAddr\":\"" + out.devAddr() + "\"");
            assertThat(d.receive(down.orElseThrow())).isPresent();
            assertThat(gw.unmatchedDownlinks()).isZero();
            assertThat(server.connector.counters().get(SemtechUdpConnector.PULL_DATA)).isEqualTo(2L);
        }
    }

    @Test
    void tmstIsStrictlyIncreasingOnAFixedClock() throws Exception {
        try (VirtualGateway gw = new VirtualGateway(Eui64.parse("0000000000000a02"), server.address, gwClock, WAIT, VirtualGateway.Timing.COMPRESSED)) {
            long a = gw.nextTmst();
            long b = gw.nextTmst();
            assertThat(b).isEqualTo(a + 1);
        }
    }

    @Test
    void manyDevicesJoinConcurrentlyThroughSeveralGateways() throws Exception {
        // load through gateways that model no air time, on a fixed clock (every join at the same moment): unplanned
        server.close();
        server = new UdpJoinServer(dir.resolve("unplanned"), false);
        List<DeviceIdentity> ids = new ArrayList<>();
        MacVersion[] versions = {MacVersion.V1_0_2, MacVersion.V1_0_4, MacVersion.V1_1};
        for (int i = 0; i < 30; i++) {
            ids.add(register(Eui64.of(0x0004a30b001d0000L + i), versions[i % 3]));
        }
        JoinLoadGenerator gen = new JoinLoadGenerator(server.address, 3, 8, dir.resolve("nvm"), gwClock, System::nanoTime, WAIT,
                JoinLoadGenerator.Radio.EU868_SF7, VirtualGateway.Timing.COMPRESSED);
        JoinLoadReport first = gen.run(ids);
        assertThat(first.joined()).as(first.summary()).isEqualTo(30);
        assertThat(first.noAnswer()).isZero();
        assertThat(first.refused()).isEmpty();
        assertThat(first.latency().count()).isEqualTo(30);
        assertThat(first.latency().p50()).isLessThanOrEqualTo(first.latency().p99());
        assertThat(first.joinsPerSecond()).isPositive();
        // A second run reuses the NVM files: counters continue, random nonces are not repeated; all join again.
        JoinLoadReport second = gen.run(ids);
        assertThat(second.joined()).as(second.summary()).isEqualTo(30);
        assertThat(server.bridge.counters()).containsEntry("join_accepted", 60L);
    }

    @Test
    void threeJoinsAtTheSameMomentOnOneGatewayAreAnsweredInRx1AndRx2AndTheThirdIsToldNotScheduled() throws Exception {
        List<VirtualDevice> devices = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Eui64 eui = Eui64.of(0x0004a30b001e0000L + i);
            devices.add(new VirtualDevice(register(eui, MacVersion.V1_0_2), DeviceNvm.open(dir.resolve(i + ".json")), new Random(i)));
        }
        // the fixed clock puts the three join-requests 1 µs apart on the concentrator counter
        try (VirtualGateway gw = new VirtualGateway(Eui64.parse("0000000000000a03"), server.address, gwClock, WAIT, VirtualGateway.Timing.COMPRESSED)) {
            gw.connect(WAIT);
            List<Boolean> answered = new ArrayList<>();
            for (VirtualDevice d : devices) {
                answered.add(gw.deliver(d, d.joinRequest(), 868_100_000L, 7, -61, 9.0).isPresent());
            }
            assertThat(answered).containsExactly(true, true, false);
            assertThat(awaitEvent(devices.get(0).identity().devEui(), "join_accept_sent").details()).contains("\"window\":\"RX1\"");
            RadioEvent second = awaitEvent(devices.get(1).identity().devEui(), "join_accept_sent");
            assertThat(second.details()).contains("\"window\":\"RX2\"").doesNotContain("COLLISION");
            RadioEvent third = awaitEvent(devices.get(2).identity().devEui(), "join_accept_not_sent");
            assertThat(third.code()).isEqualTo("not_scheduled");
            assertThat(third.details()).contains("TRANSMITTER_BUSY");
            assertThat(server.bridge.counters()).containsEntry("accept_sent_rx1", 1L).containsEntry("accept_sent_rx2", 1L)
                    .containsEntry("accept_not_scheduled", 1L);
        }
    }
}
