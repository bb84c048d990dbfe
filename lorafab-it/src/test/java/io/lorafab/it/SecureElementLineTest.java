package io.lorafab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.app.wiring.Lorafab;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.ProfileId;
import io.lorafab.provisioning.secureelement.ManifestSigners;
import io.lorafab.provisioning.service.SecureElementImport;
import io.lorafab.sim.DeviceIdentity;
import io.lorafab.sim.VirtualGateway;
import io.lorafab.sim.at.VirtualAtModule.Behaviour;
import io.lorafab.sim.at.VirtualRak3172;
import io.lorafab.station.at.Dialects;
import io.lorafab.station.at.PtyPair;
import io.lorafab.station.at.SerialPort;
import io.lorafab.station.at.StreamTransport;
import io.lorafab.station.client.StationApiClient;
import io.lorafab.station.line.AtFixture;
import io.lorafab.station.line.UnitOutcome;
import io.lorafab.station.line.UnitRunner;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.UnitState;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A part whose secure element holds its identity and keys (Microchip ATECC608 TNGLoRa, imported from Microchip's
 * public sample manifest) through the station against a real server: a virtual RAK3172 in secure-element mode (its
 * DevEUI and JoinEUI the manifest's, its AppKey its own) driven by the real RUI3 driver over a socat PTY pair, its radio
 * heard by a virtual gateway over UDP. Nothing is programmed, the DevEUI the module reports is checked against the
 * scanned label (the manifest's), and the join-request the gateway forwards is heard and recorded — identity and radio
 * proven, the MIC not checked (lorafab has no key), which the verdict says.
 */
class SecureElementLineTest {

    static final Eui64 DEV_EUI = Eui64.parse("0004A310001FF9DA");
    static final Eui64 TTI_JOIN_EUI = Eui64.parse("70B3D57ED0000000");

    @TempDir
    Path dir;

    LineServer server;
    Lorafab lf;
    StationApiClient station;

    @BeforeEach
    void start() throws Exception {
        server = LineServer.start(dir);
        lf = server.lf;
        server.workOrder("WO-SE", "tracker", Eui64.parse("70b3d57ed0000001"), MacVersion.V1_0_2, new ProfileId(1, 3),
                Eui64.parse("70b3d57ed0060000"));
        lf.secureElementImport().importTngLora(new SecureElementImport.Request(resource("microchip-sample.json"),
                ManifestSigners.fromPem(List.of(resource("log-signer-002.pem"))), null, "js.example.com", null, null, null), "test");
        station = new StationApiClient(server.url(), server.operatorToken("st-se"), "st-se");
        line();
    }

    @AfterEach
    void stop() throws Exception {
        if (pty != null) {
            closeLine();
        }
        server.close();
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = SecureElementLineTest.class.getResourceAsStream("/tnglora/" + name)) {
            return in.readAllBytes();
        }
    }

    /** A virtual RAK3172 whose secure element holds {@code devEui}/{@code joinEui}, heard at {@code rssi}. */
    VirtualRak3172 module(Eui64 devEui, int rssi) {
        VirtualRak3172 m = VirtualRak3172.withSecureElement(moduleSide.input(), moduleSide.output(), gateway, nvm,
                new Behaviour(rssi, 6.0, false, false), devEui, TTI_JOIN_EUI);
        Thread t = new Thread(m, "virtual-se-module");
        t.setDaemon(true);
        t.start();
        return m;
    }

    PtyPair pty;
    SerialPort moduleSide;
    SerialPort stationSide;
    VirtualGateway gateway;
    Path nvm;

    /** The fixture's serial line (a socat PTY pair) and the test gateway; after the server is up. */
    void line() throws Exception {
        nvm = Files.createDirectories(dir.resolve("nvm"));
        pty = PtyPair.open(dir.resolve("se-station"), dir.resolve("se-module"));
        // on air: no join-accept comes, so the module's attempt ends when its second receive window has passed
        gateway = new VirtualGateway(Eui64.parse("0000000000000c02"), new InetSocketAddress("127.0.0.1", server.js.udpPort()),
                Clock.systemUTC(), Duration.ofSeconds(8), VirtualGateway.Timing.ON_AIR);
        gateway.connect(Duration.ofSeconds(5));
        moduleSide = SerialPort.open(pty.moduleSide(), 115200);
        stationSide = SerialPort.open(pty.stationSide(), 115200);
    }

    void closeLine() throws Exception {
        stationSide.close();
        pty.close();
        moduleSide.close();
        gateway.close();
    }

    /** The station's side: the real {@code rak3172} driver on the PTY, in-process UnitRunner and AtFixture. */
    UnitOutcome runStation(String scannedLabel) throws IOException {
        Dialects.Entry entry = Dialects.byName("rak3172");
        try (StreamTransport t = new StreamTransport(stationSide.input(), stationSide.output(),
                StreamTransport.finalLineOf(entry.transportName()), "\r\n")) {
            UnitRunner runner = new UnitRunner(station, new UnitRunner.Settings("WO-SE", Duration.ofSeconds(10), Duration.ofSeconds(10),
                    null, null, new byte[] {0x42}), System::nanoTime);
            return runner.run(new AtFixture(entry.driver().apply(t)), scannedLabel);
        }
    }

    @Test
    void aSecureElementUnitPassesOnItsHeardJoinRequestWithoutKeysProgrammedAndTheVerdictSaysTheMicWasNotChecked() throws Exception {
        VirtualRak3172 module = module(DEV_EUI, -70);
        DeviceIdentity own = module.programmedIdentity();

        UnitOutcome o = runStation(DEV_EUI.toString());

        assertThat(o.passed()).as(o.line() + " " + o.measurements()).isTrue();
        assertThat(module.joinRequestsSent()).isPositive();
        assertThat(o.measurements()).containsEntry("joinRequestHeard", true).containsEntry("micChecked", false)
                .containsEntry("rssi", -70).containsEntry("reportedDevEui", DEV_EUI.toString())
                .containsEntry("keysInSecureElement", "01238ebe20080bd527");
        assertThat(String.valueOf(o.measurements().get("module"))).startsWith("rak3172");
        // lorafab answers no join-request made with the part's own key: the module reports its receive windows empty
        assertThat(o.measurements()).containsEntry("joinEvent", "+EVT:JOIN_FAILED_RX_TIMEOUT");
        // nothing was written to the module: no write was tried, and it holds its own identity and its own key
        assertThat(module.refusedWrites()).isZero();
        assertThat(module.programmedIdentity()).isEqualTo(own);
        assertThat(own.devEui()).isEqualTo(DEV_EUI);
        assertThat(own.joinEui()).isEqualTo(TTI_JOIN_EUI);
        Unit u = lf.registry().unit(DEV_EUI).orElseThrow();
        assertThat(u.state()).isEqualTo(UnitState.PASSED);
        assertThat(u.keys()).isNull();
        assertThat(lf.registry().workOrderByReference("WO-SE").orElseThrow().id()).isEqualTo(u.workOrderId());
        assertThat(lf.registry().testRuns(u.id()).get(0).measurementsJson()).contains("\"micChecked\":false")
                .contains("\"joinRequestHeard\":true").doesNotContainIgnoringCase(own.appKey().toHex());
    }

    @Test
    void aModuleReportingAnotherDevEuiThanItsLabelFailsWithoutAJoin() throws Exception {
        VirtualRak3172 module = module(Eui64.parse("0004A310001AA90A"), -70);
        DeviceIdentity own = module.programmedIdentity();

        UnitOutcome o = runStation(DEV_EUI.toString());

        assertThat(o.passed()).isFalse();
        assertThat(o.reasonCode()).isEqualTo("readback_mismatch");
        assertThat(o.measurements().get("readbackMismatch")).isEqualTo(List.of("DevEUI"));
        assertThat(module.joinRequestsSent()).isZero();
        assertThat(module.refusedWrites()).isZero();
        assertThat(module.programmedIdentity()).isEqualTo(own);
        assertThat(lf.registry().unit(DEV_EUI).orElseThrow().state()).isEqualTo(UnitState.FAILED);
    }

    @Test
    void aWeakSecureElementUnitFailsOnTheRssiThresholdOfItsHeardJoinRequest() throws Exception {
        VirtualRak3172 module = module(DEV_EUI, -120);
        DeviceIdentity own = module.programmedIdentity();

        UnitOutcome o = runStation(DEV_EUI.toString());

        assertThat(o.passed()).isFalse();
        assertThat(o.reasonCode()).isEqualTo("rssi_below_threshold");
        assertThat(o.measurements()).containsEntry("joinRequestHeard", true).containsEntry("rssi", -120);
        assertThat(module.refusedWrites()).isZero();
        assertThat(module.programmedIdentity()).isEqualTo(own);
    }
}
