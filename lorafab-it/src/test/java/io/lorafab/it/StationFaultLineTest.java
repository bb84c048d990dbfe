package io.lorafab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.gateway.semtech.TxAckError;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.ProfileId;
import io.lorafab.sim.VirtualGateway;
import io.lorafab.sim.at.VirtualAtModule.Behaviour;
import io.lorafab.sim.at.VirtualModules;
import io.lorafab.station.at.Dialects;
import io.lorafab.station.at.JoinAttempts;
import io.lorafab.station.at.PtyPair;
import io.lorafab.station.at.SerialPort;
import io.lorafab.station.at.StreamTransport;
import io.lorafab.station.client.StationApiClient;
import io.lorafab.station.line.AtFixture;
import io.lorafab.station.line.FailureReport;
import io.lorafab.station.line.UnitOutcome;
import io.lorafab.station.line.UnitRunner;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault attribution over the real path: a station drives a virtual RAK3172 over a socat PTY, its radio joins the
 * server through a virtual gateway over UDP, and the gateway refuses the join-accept with a TX_ACK error as a busy
 * test gateway does. The unit is not failed for it: the test run is recorded as a station fault with the gateway's
 * error, the unit stays PROGRAMMED and is tested again once; a second refusal is left to the operator.
 */
class StationFaultLineTest {

    @TempDir
    Path dir;

    LineServer server;
    StationApiClient station;
    PtyPair pty;
    VirtualGateway gw;
    SerialPort moduleSide;
    SerialPort stationSide;
    StreamTransport transport;
    AtFixture fixture;
    UnitRunner runner;

    @BeforeEach
    void start() throws Exception {
        server = LineServer.start(dir.resolve("data"));
        server.workOrder("WO-F", "tracker", Eui64.parse("70b3d57ed0000001"), MacVersion.V1_0_3, new ProfileId(1, 4),
                Eui64.parse("70b3d57ed0070000"));
        station = new StationApiClient(server.url(), server.operatorToken("st-fault"), "st-fault");
        Dialects.Entry entry = Dialects.byName("rak3172");
        pty = PtyPair.open(dir.resolve("station"), dir.resolve("module"));
        gw = new VirtualGateway(Eui64.parse("0000000000000f01"), new InetSocketAddress("127.0.0.1", server.js.udpPort()), Clock.systemUTC(),
                Duration.ofSeconds(8), VirtualGateway.Timing.COMPRESSED);
        gw.connect(Duration.ofSeconds(5));
        moduleSide = SerialPort.open(pty.moduleSide(), 115200);
        stationSide = SerialPort.open(pty.stationSide(), 115200);
        Thread module = new Thread(VirtualModules.byName("rak3172").create(moduleSide.input(), moduleSide.output(), gw,
                Files.createDirectories(dir.resolve("nvm")), Behaviour.GOOD), "virtual-module");
        module.setDaemon(true);
        module.start();
        transport = entry.transport(stationSide.input(), stationSide.output());
        fixture = new AtFixture(entry.driver().apply(transport), JoinAttempts.ONCE);
        runner = new UnitRunner(station, new UnitRunner.Settings("WO-F", Duration.ofSeconds(15), Duration.ofSeconds(10), null, null,
                new byte[] {0x01}), System::nanoTime);
    }

    @AfterEach
    void stop() throws Exception {
        transport.close();
        stationSide.close();
        moduleSide.close();
        gw.close();
        pty.close();
        server.close();
    }

    private List<TestRun> runs(Eui64 devEui) {
        return server.lf.registry().testRuns(server.lf.registry().unit(devEui).orElseThrow().id());
    }

    @Test
    void aJoinAcceptTheGatewayRefusedIsTheTestStationsFaultAndTheUnitPassesItsRetest() {
        gw.refuseNextDownlinks(2, TxAckError.COLLISION_PACKET); // RX1 and RX2 of the first join-request

        UnitOutcome o = runner.run(fixture, null);

        assertThat(o.passed()).as(o.line() + " " + o.measurements()).isTrue();
        assertThat(o.stationFaults()).containsExactly("test_gateway_fault");
        List<TestRun> runs = runs(o.devEui());
        assertThat(runs).extracting(TestRun::result).containsExactly(TestResult.STATION_FAULT, TestResult.PASSED);
        assertThat(runs.get(0).reasonCode()).isEqualTo("test_gateway_fault");
        assertThat(runs.get(0).measurementsJson()).contains("\"gatewayError\":\"COLLISION_PACKET\"")
                .contains("join-accept not sent: gateway 0000000000000f01 answered RX1 COLLISION_PACKET, RX2 COLLISION_PACKET");
        assertThat(runs.get(1).measurementsJson()).contains("\"retestAfter\":\"test_gateway_fault\"").contains("\"retestDelayMs\":");
        assertThat(server.lf.registry().unit(o.devEui()).orElseThrow().state()).isEqualTo(UnitState.PASSED);
        assertThat(new FailureReport(JoinAttempts.ONCE).line(o)).startsWith("PASS " + o.devEui()).contains("re-tested after test_gateway_fault");
        assertThat(server.lf.registry().auditLog(50)).anyMatch(e -> e.action().equals("unit.station_fault")
                && e.subject().equals(o.devEui().toString()) && e.details().contains("reason=test_gateway_fault"));
    }

    @Test
    void aGatewayThatRefusesTheRetestTooLeavesTheUnitProgrammedForTheOperator() {
        gw.refuseNextDownlinks(4, TxAckError.COLLISION_PACKET); // both windows of the test and of its retest

        UnitOutcome o = runner.run(fixture, null);

        assertThat(o.stationFault()).as(o.line() + " " + o.measurements()).isTrue();
        assertThat(o.reasonCode()).isEqualTo("test_gateway_fault");
        assertThat(server.lf.registry().unit(o.devEui()).orElseThrow().state()).isEqualTo(UnitState.PROGRAMMED);
        assertThat(runs(o.devEui())).extracting(TestRun::result).containsExactly(TestResult.STATION_FAULT, TestResult.STATION_FAULT);
        String line = new FailureReport(JoinAttempts.ONCE).line(o);
        assertThat(line).startsWith("STATION FAULT " + o.devEui() + " " + o.serial() + "  test_gateway_fault: ")
                .contains("server heard 1 join-request (accepted); join-accept not sent: gateway 0000000000000f01 answered RX1 "
                        + "COLLISION_PACKET, RX2 COLLISION_PACKET")
                .contains("re-tested after test_gateway_fault, the same again: check the test gateway");

        // resumable: the operator checks the gateway and scans the unit's label; same identity, same keys
        UnitOutcome again = runner.run(fixture, o.devEui().toString());
        assertThat(again.devEui()).isEqualTo(o.devEui());
        assertThat(again.passed()).as(again.line() + " " + again.measurements()).isTrue();
        assertThat(runs(o.devEui())).extracting(TestRun::result)
                .containsExactly(TestResult.STATION_FAULT, TestResult.STATION_FAULT, TestResult.PASSED);
    }

    @Test
    void aBoardTheServerNeverHearsIsTheBoardsFaultAndIsNotRetested() throws Exception {
        // the same station and gateway, with a module whose radio the gateway does not hear
        transport.close();
        stationSide.close();
        moduleSide.close();
        pty.close();
        pty = PtyPair.open(dir.resolve("station-2"), dir.resolve("module-2"));
        moduleSide = SerialPort.open(pty.moduleSide(), 115200);
        stationSide = SerialPort.open(pty.stationSide(), 115200);
        Thread module = new Thread(VirtualModules.byName("rak3172").create(moduleSide.input(), moduleSide.output(), gw,
                Files.createDirectories(dir.resolve("nvm")), new Behaviour(-62, 8.5, false, true)), "virtual-module-far");
        module.setDaemon(true);
        module.start();
        transport = Dialects.byName("rak3172").transport(stationSide.input(), stationSide.output());
        fixture = new AtFixture(Dialects.byName("rak3172").driver().apply(transport), JoinAttempts.ONCE);

        UnitOutcome o = runner.run(fixture, null);

        assertThat(o.verdict()).isEqualTo(UnitOutcome.Verdict.FAILED);
        assertThat(o.reasonCode()).isEqualTo("join_not_heard");
        assertThat(o.stationFaults()).isEmpty();
        assertThat(o.measurements()).containsEntry("serverEvidence", "server heard no join-request");
        assertThat(runs(o.devEui())).extracting(TestRun::result).containsExactly(TestResult.FAILED);
        assertThat(server.lf.registry().unit(o.devEui()).orElseThrow().state()).isEqualTo(UnitState.FAILED);
    }
}
