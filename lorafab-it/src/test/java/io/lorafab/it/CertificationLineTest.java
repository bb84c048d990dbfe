package io.lorafab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.gateway.semtech.TxAckError;
import io.lorafab.lorawan.cert.Ts009;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.ProfileId;
import io.lorafab.sim.VirtualGateway;
import io.lorafab.sim.at.VirtualAtModule;
import io.lorafab.sim.at.VirtualAtModule.Behaviour;
import io.lorafab.sim.at.VirtualModules;
import io.lorafab.station.at.Dialects;
import io.lorafab.station.at.JoinAttempts;
import io.lorafab.station.at.PtyPair;
import io.lorafab.station.at.SerialPort;
import io.lorafab.station.at.StreamTransport;
import io.lorafab.station.client.StationApiClient;
import io.lorafab.station.line.AtFixture;
import io.lorafab.station.line.UnitOutcome;
import io.lorafab.station.line.UnitRunner;
import io.lorafab.store.join.RadioEvent;
import io.lorafab.store.model.TestResult;
import io.lorafab.store.model.TestRun;
import io.lorafab.store.model.UnitState;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The TS009 end-of-line profile over the real path: a station drives a virtual module (RAK3172 or LoRa-E5) over a socat
 * PTY, its radio reaches the server through a virtual gateway over UDP, and its firmware implements the certification
 * protocol on FPort 224. The server asks for the versions, an echo and the downlink count, one command per uplink the
 * station makes the module send, and ends the test mode; a unit whose firmware reports another LoRaWAN version or
 * echoes wrong fails with the server's step and code.
 */
class CertificationLineTest {

    private static final Ts009.Version FIRMWARE = new Ts009.Version(1, 4, 2, 0);
    private static final Ts009.Version RP = new Ts009.Version(2, 1, 0, 0);

    @TempDir
    Path dir;

    LineServer server;
    PtyPair pty;
    VirtualGateway gw;
    SerialPort moduleSide;
    SerialPort stationSide;
    StreamTransport transport;

    /** A line for a product of {@code version} that runs the profile, with a virtual {@code model} of firmware {@code firmware}. */
    UnitRunner line(MacVersion version, String model, VirtualAtModule.Certification firmware, boolean[] profile) throws Exception {
        return line(version, model, firmware, profile, List.of(), null, VirtualGateway.Timing.COMPRESSED);
    }

    /** As above, for a product that echoes on each of {@code dataRates} and expects firmware {@code firmwareVersion}. */
    UnitRunner line(MacVersion version, String model, VirtualAtModule.Certification firmware, boolean[] profile, List<Integer> dataRates,
            String firmwareVersion, VirtualGateway.Timing timing) throws Exception {
        server = LineServer.start(dir.resolve("data"));
        server.workOrder("WO-C", "meter", Eui64.parse("70b3d57ed0000001"), version, new ProfileId(1, 5), Eui64.parse("70b3d57ed0090000"),
                profile[0], dataRates, firmwareVersion);
        StationApiClient station = new StationApiClient(server.url(), server.operatorToken("st-cert"), "st-cert");
        pty = PtyPair.open(dir.resolve("station"), dir.resolve("module"));
        gw = new VirtualGateway(Eui64.parse("0000000000000e01"), new InetSocketAddress("127.0.0.1", server.js.udpPort()), Clock.systemUTC(),
                Duration.ofSeconds(8), timing);
        gw.connect(Duration.ofSeconds(5));
        moduleSide = SerialPort.open(pty.moduleSide(), 115200);
        stationSide = SerialPort.open(pty.stationSide(), 115200);
        VirtualAtModule module = VirtualModules.byName(model).create(moduleSide.input(), moduleSide.output(), gw,
                Files.createDirectories(dir.resolve("nvm")), Behaviour.GOOD);
        module.implementCertification(firmware);
        this.module = module;
        Thread t = new Thread(module, "virtual-module");
        t.setDaemon(true);
        t.start();
        Dialects.Entry entry = Dialects.byName(model);
        transport = entry.transport(stationSide.input(), stationSide.output());
        fixture = new AtFixture(entry.driver().apply(transport), JoinAttempts.ONCE);
        return new UnitRunner(station, new UnitRunner.Settings("WO-C", Duration.ofSeconds(15), Duration.ofSeconds(10), null, null,
                new byte[] {0x01}), System::nanoTime);
    }

    AtFixture fixture;
    VirtualAtModule module;

    @AfterEach
    void stop() throws Exception {
        transport.close();
        stationSide.close();
        moduleSide.close();
        gw.close();
        pty.close();
        server.close();
    }

    private List<RadioEvent> events(Eui64 devEui, String kind) {
        return server.lf.joinStore().events(devEui, 0, 500).stream().filter(e -> e.kind().equals(kind)).toList();
    }

    private List<TestRun> runs(Eui64 devEui) {
        return server.lf.registry().testRuns(server.lf.registry().unit(devEui).orElseThrow().id());
    }

    @ParameterizedTest
    @ValueSource(strings = {"rak3172", "lora-e5"})
    void aFirmwareThatAnswersEveryCommandPassesAndLeavesTestMode(String model) throws Exception {
        UnitRunner runner = line(MacVersion.V1_0_2, model, new VirtualAtModule.Certification(FIRMWARE, RP, false), new boolean[] {true});

        UnitOutcome o = runner.run(fixture, null);

        assertThat(o.passed()).as(o.line() + " " + o.measurements()).isTrue();
        assertThat(o.measurements()).containsEntry("certification", "passed");
        // the test downlink's uplink, then one uplink per command and answer: versions, echo, count, disable
        assertThat((Integer) o.measurements().get("certificationUplinks")).isEqualTo(4);
        List<RadioEvent> steps = events(o.devEui(), "certification_step");
        assertThat(steps).extracting(RadioEvent::code).containsOnlyNulls().hasSize(3);
        assertThat(steps.get(0).details()).contains("\"command\":\"DutVersionsReq\"").contains("\"firmware\":\"1.4.2\"")
                .contains("\"lorawan\":\"1.0.2\"");
        assertThat(steps.get(1).details()).contains("\"command\":\"EchoPayloadReq\"");
        // the test downlink, DutVersionsReq, EchoPayloadReq and the RxAppCntReq being answered
        assertThat(steps.get(2).details()).contains("\"command\":\"RxAppCntReq\"").contains("\"counted\":4").contains("\"sent\":4");
        assertThat(events(o.devEui(), "certification_downlink_sent")).hasSize(4);
        assertThat(events(o.devEui(), "certification_passed")).hasSize(1);
        assertThat(server.lf.registry().unit(o.devEui()).orElseThrow().state()).isEqualTo(UnitState.PASSED);
    }

    @Test
    void aFirmwareWhoseEchoLacksTheIncrementFailsTheUnitWithTheEchoStep() throws Exception {
        UnitRunner runner = line(MacVersion.V1_0_2, "rak3172", new VirtualAtModule.Certification(FIRMWARE, RP, true), new boolean[] {true});

        UnitOutcome o = runner.run(fixture, null);

        assertThat(o.verdict()).as(o.line() + " " + o.measurements()).isEqualTo(UnitOutcome.Verdict.FAILED);
        assertThat(o.reasonCode()).isEqualTo("certification_failed");
        assertThat(o.measurements()).containsEntry("certification", "echo_mismatch").containsEntry("certificationStep", "EchoPayloadReq");
        RadioEvent failed = events(o.devEui(), "certification_failed").get(0);
        assertThat(failed.code()).isEqualTo("echo_mismatch");
        // what was sent, what TS009 expects back (each byte plus one) and what came: the sent bytes themselves
        String sent = failed.details().replaceAll(".*\"sent\":\"([0-9a-f]+)\".*", "$1");
        assertThat(failed.details()).contains("\"got\":\"" + sent + "\"").doesNotContain("\"expected\":\"" + sent + "\"");
        assertThat(events(o.devEui(), "certification_passed")).isEmpty();
        assertThat(runs(o.devEui())).extracting(TestRun::result).containsExactly(TestResult.FAILED);
        assertThat(server.lf.registry().unit(o.devEui()).orElseThrow().state()).isEqualTo(UnitState.FAILED);
    }

    @Test
    void aFirmwareOfAnotherLorawanVersionThanTheProductsFailsOnTheVersionsStep() throws Exception {
        // the virtual modules run LoRaWAN 1.0.2; the product is 1.0.3
        UnitRunner runner = line(MacVersion.V1_0_3, "rak3172", new VirtualAtModule.Certification(FIRMWARE, RP, false), new boolean[] {true});

        UnitOutcome o = runner.run(fixture, null);

        assertThat(o.reasonCode()).as(o.line() + " " + o.measurements()).isEqualTo("certification_failed");
        assertThat(o.measurements()).containsEntry("certification", "version_mismatch").containsEntry("certificationStep", "DutVersionsReq");
        assertThat(events(o.devEui(), "certification_failed").get(0).details()).contains("\"lorawan\":\"1.0.2\"")
                .contains("\"expectedLorawan\":\"1.0.3\"");
        assertThat(events(o.devEui(), "certification_downlink_sent")).as("nothing after the failed step").hasSize(1);
    }

    /** Has the gateway refuse {@code windows} downlink windows once the test downlink is out (the profile's commands follow). */
    private void refuseCommandsAfterTheTestDownlink(int windows) {
        java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();
        server.lf.events().subscribe(e -> {
            if (e.kind().equals("downlink_sent") && armed.compareAndSet(false, true)) {
                gw.refuseNextDownlinks(windows, TxAckError.COLLISION_PACKET);
            }
        });
    }

    @Test
    void aCommandTheGatewayRefusedIsSentAgainOnTheNextUplink() throws Exception {
        UnitRunner runner = line(MacVersion.V1_0_2, "rak3172", new VirtualAtModule.Certification(FIRMWARE, RP, false), new boolean[] {true});
        refuseCommandsAfterTheTestDownlink(2); // RX1 and RX2 of DutVersionsReq

        UnitOutcome o = runner.run(fixture, null);

        assertThat(o.passed()).as(o.line() + " " + o.measurements()).isTrue();
        assertThat(o.stationFaults()).isEmpty();
        assertThat((Integer) o.measurements().get("certificationUplinks")).isEqualTo(5);
        assertThat(events(o.devEui(), "certification_downlink_not_sent")).hasSize(1);
        // the refused command was never received, so it is not counted: test downlink + 3 commands sent
        assertThat(events(o.devEui(), "certification_step").get(2).details()).contains("\"counted\":4");
    }

    @Test
    void aGatewayThatRefusesACommandThreeTimesIsTheTestStationsFaultAndTheUnitIsRetested() throws Exception {
        UnitRunner runner = line(MacVersion.V1_0_2, "rak3172", new VirtualAtModule.Certification(FIRMWARE, RP, false), new boolean[] {true});
        refuseCommandsAfterTheTestDownlink(6); // DutVersionsReq and its two resends, both windows each

        UnitOutcome o = runner.run(fixture, null);

        assertThat(o.passed()).as(o.line() + " " + o.measurements()).isTrue();
        assertThat(o.stationFaults()).containsExactly("test_gateway_fault");
        List<TestRun> runs = runs(o.devEui());
        assertThat(runs).extracting(TestRun::result).containsExactly(TestResult.STATION_FAULT, TestResult.PASSED);
        assertThat(runs.get(0).measurementsJson()).contains("\"certification\":\"not_completed\"")
                .contains("\"certificationStep\":\"DutVersionsReq\"");
        assertThat(events(o.devEui(), "certification_not_completed")).hasSize(1);
        assertThat(events(o.devEui(), "certification_passed")).hasSize(1);
    }

    @Test
    void theProfileFollowsATestDownlinkThatWentOutOnlyOnItsSecondTry() throws Exception {
        UnitRunner runner = line(MacVersion.V1_0_2, "rak3172", new VirtualAtModule.Certification(FIRMWARE, RP, false), new boolean[] {true});
        java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean();
        server.lf.events().subscribe(e -> {
            if (e.kind().equals("join_accept_sent") && armed.compareAndSet(false, true)) {
                gw.refuseNextDownlinks(2, TxAckError.COLLISION_PACKET); // RX1 and RX2 of the first uplink's test downlink
            }
        });

        UnitOutcome o = runner.run(fixture, null);

        assertThat(o.passed()).as(o.line() + " " + o.measurements()).isTrue();
        assertThat(o.stationFaults()).isEmpty();
        assertThat(events(o.devEui(), "downlink_not_sent")).hasSize(1);
        assertThat(o.measurements()).containsEntry("certification", "passed");
        // counted: the test downlink once (its second try), DutVersionsReq, EchoPayloadReq, RxAppCntReq
        assertThat(events(o.devEui(), "certification_step").get(2).details()).contains("\"counted\":4").contains("\"sent\":4");
    }

    @ParameterizedTest
    @ValueSource(strings = {"rak3172", "lora-e5"})
    void aUnitEchoesOnEachOfThreeDataRatesOnAirAndEachEchoStepNamesItsDataRates(String model) throws Exception {
        List<Integer> dataRates = List.of(5, 3, 1);
        // on air: each uplink comes after the last one's receive windows, as a module's does, so that a long downlink at
        // SF11 is over before the next uplink's RX1 (compressed, the next uplink came at once and found the transmitter
        // still planned for it: the command went out an uplink later, correct but not what this test is about)
        UnitRunner runner = line(MacVersion.V1_0_2, model, new VirtualAtModule.Certification(FIRMWARE, RP, false), new boolean[] {true},
                dataRates, "1.4.2", VirtualGateway.Timing.ON_AIR);

        UnitOutcome o = runner.run(fixture, null);

        assertThat(o.passed()).as(o.line() + " " + o.measurements()).isTrue();
        // the station set DR5, DR3, DR1, DR5, ... before each uplink: versions on the first, an echo on each of the next
        // three (the answers coming one uplink later), the count, the disable
        assertThat((Integer) o.measurements().get("certificationUplinks")).as(() -> server.lf.joinStore().events(o.devEui(), 0, 500).stream()
                .map(e -> e.kind() + " " + e.code() + " " + e.datr() + " " + e.details()).collect(java.util.stream.Collectors.joining("\n")))
                .isEqualTo(6);
        List<RadioEvent> echoes = events(o.devEui(), "certification_step").stream()
                .filter(e -> e.details().contains("\"command\":\"EchoPayloadReq\"")).toList();
        assertThat(echoes).hasSize(3).extracting(RadioEvent::code).containsOnlyNulls();
        io.lorafab.lorawan.region.Region eu868 = io.lorafab.lorawan.region.Region.byName("EU868");
        int offset = io.lorafab.joinserver.JoinServerConfig.defaults().rx1DrOffset();
        List<Integer> uplinkDrs = new java.util.ArrayList<>();
        for (RadioEvent e : echoes) {
            int up = Integer.parseInt(e.details().replaceAll(".*\"uplinkDr\":(\\d+).*", "$1"));
            uplinkDrs.add(up);
            // the echo went out in RX1, at the DR the region derives from the uplink's and the session's RX1DROffset
            int down = eu868.rx1DataRate(up, offset);
            assertThat(e.details()).contains("\"downlinkDr\":" + down + ",").contains("\"downlinkWindow\":\"RX1\"")
                    .contains("\"downlinkDatr\":\"SF" + eu868.dataRate(down).spreadingFactor() + "BW125\"");
        }
        assertThat(uplinkDrs).containsExactlyInAnyOrderElementsOf(dataRates);
        // the module really sent at those data rates: the gateway heard the uplinks at SF7, SF9 and SF11
        assertThat(server.lf.joinStore().events(o.devEui(), 0, 500).stream().filter(e -> e.kind().equals("uplink_verified"))
                .map(RadioEvent::datr).distinct()).contains("SF7BW125", "SF9BW125", "SF11BW125");
        assertThat(events(o.devEui(), "certification_passed").get(0).details()).contains("\"echoDataRates\":[5, 3, 1]");
        assertThat(events(o.devEui(), "certification_step").get(0).details()).contains("\"expectedFirmware\":\"1.4.2\"");
    }

    @Test
    void aModuleThatTakesTheDataRateButKeepsSendingAtItsOwnFailsNamingTheDataRatesNotCovered() throws Exception {
        UnitRunner runner = line(MacVersion.V1_0_2, "rak3172", new VirtualAtModule.Certification(FIRMWARE, RP, false), new boolean[] {true},
                List.of(5, 3), null, VirtualGateway.Timing.COMPRESSED);
        module.sendOnlyAtTheDefaultDataRate(); // answers OK to AT+DR=3, sends at DR5

        UnitOutcome o = runner.run(fixture, null);

        // the module said it set the data rate: its uplinks not coming at it is the board's fault, not the station's
        assertThat(o.reasonCode()).as(o.line() + " " + o.measurements()).isEqualTo("certification_failed");
        assertThat(o.stationFaults()).isEmpty();
        assertThat(o.measurements()).containsEntry("certification", "data_rates_not_covered")
                .containsEntry("certificationStep", "EchoPayloadReq");
        RadioEvent failed = events(o.devEui(), "certification_failed").get(0);
        assertThat(failed.details()).contains("\"dataRates\":[5, 3]").contains("\"missing\":[3]");
        // DR5 echoed once; the uplinks after it, all at DR5, were passed over without a command (no answer missing)
        assertThat(events(o.devEui(), "certification_step")).extracting(RadioEvent::code).containsOnlyNulls().hasSize(2);
    }

    @Test
    void aFirmwareOfAnotherVersionThanTheProductExpectsFailsOnTheVersionsStepNamingTheFirmware() throws Exception {
        UnitRunner runner = line(MacVersion.V1_0_2, "rak3172", new VirtualAtModule.Certification(FIRMWARE, RP, false), new boolean[] {true},
                List.of(), "1.4.3", VirtualGateway.Timing.COMPRESSED);

        UnitOutcome o = runner.run(fixture, null);

        assertThat(o.reasonCode()).as(o.line() + " " + o.measurements()).isEqualTo("certification_failed");
        assertThat(o.measurements()).containsEntry("certification", "version_mismatch").containsEntry("certificationStep", "DutVersionsReq");
        assertThat(events(o.devEui(), "certification_failed").get(0).details()).contains("\"firmware\":\"1.4.2\"")
                .contains("\"expectedFirmware\":\"1.4.3\"").contains("\"differs\":[\"firmware\"]");
    }

    @Test
    void aProductWithoutTheProfileIsTestedWithoutIt() throws Exception {
        UnitRunner runner = line(MacVersion.V1_0_2, "rak3172", new VirtualAtModule.Certification(FIRMWARE, RP, true), new boolean[] {false});

        UnitOutcome o = runner.run(fixture, null);

        assertThat(o.passed()).as(o.line() + " " + o.measurements()).isTrue();
        assertThat(o.measurements()).doesNotContainKey("certification");
        assertThat(events(o.devEui(), "certification_downlink_sent")).isEmpty();
    }
}
