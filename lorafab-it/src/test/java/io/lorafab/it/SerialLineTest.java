package io.lorafab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.app.http.ApiServer;
import io.lorafab.app.wiring.JoinServerRuntime;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.ProfileId;
import io.lorafab.sim.VirtualGateway;
import io.lorafab.sim.at.VirtualAtModule.Behaviour;
import io.lorafab.sim.at.VirtualModules;
import io.lorafab.station.at.Dialects;
import io.lorafab.station.at.PtyPair;
import io.lorafab.station.at.SerialPort;
import io.lorafab.station.at.StreamTransport;
import io.lorafab.station.client.StationApiClient;
import io.lorafab.station.line.AtFixture;
import io.lorafab.station.line.UnitOutcome;
import io.lorafab.station.line.UnitRunner;
import io.lorafab.store.model.UnitState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The line over a real pseudo-terminal, for each simulated module: the station drives a virtual RAK3172 (RUI3
 * driver) or LoRa-E5 (Seeed driver) through a socat PTY pair; the module's radio joins the real server through
 * a virtual gateway over UDP.
 */
class SerialLineTest {

    @TempDir
    Path dir;

    LineServer server;
    Lorafab lf;
    ApiServer api;
    JoinServerRuntime js;
    StationApiClient station;
    String operatorToken;

    @BeforeEach
    void start() throws Exception {
        server = LineServer.start(dir.resolve("data"));
        lf = server.lf;
        api = server.api;
        js = server.js;
        server.workOrder("WO-L", "tracker", Eui64.parse("70b3d57ed0000001"), MacVersion.V1_0_3, new ProfileId(1, 4), Eui64.parse("70b3d57ed0060000"));
        operatorToken = server.operatorToken("st-pty");
        station = new StationApiClient("http://127.0.0.1:" + api.port(), operatorToken, "st-pty");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    UnitOutcome runOne(String dialect, Behaviour behaviour, String name) throws Exception {
        return runOne(dialect, behaviour, name, VirtualGateway.Timing.COMPRESSED);
    }

    UnitOutcome runOne(String dialect, Behaviour behaviour, String name, VirtualGateway.Timing timing) throws Exception {
        return runOne(dialect, behaviour, name, timing, gw -> { });
    }

    /** {@code gateway} is told the test's gateway once it is connected (to inject its faults). */
    UnitOutcome runOne(String dialect, Behaviour behaviour, String name, VirtualGateway.Timing timing,
            java.util.function.Consumer<VirtualGateway> gateway) throws Exception {
        Dialects.Entry entry = Dialects.byName(dialect);
        Path nvm = Files.createDirectories(dir.resolve("nvm"));
        try (PtyPair pty = PtyPair.open(dir.resolve(name + "-station"), dir.resolve(name + "-module"));
                VirtualGateway gw = new VirtualGateway(Eui64.parse("0000000000000d01"), new InetSocketAddress("127.0.0.1", js.udpPort()),
                        Clock.systemUTC(), Duration.ofSeconds(8), timing);
                SerialPort moduleSide = SerialPort.open(pty.moduleSide(), 115200);
                SerialPort stationSide = SerialPort.open(pty.stationSide(), 115200)) {
            gw.connect(Duration.ofSeconds(5));
            gateway.accept(gw);
            Thread module = new Thread(VirtualModules.byName(dialect).create(moduleSide.input(), moduleSide.output(), gw, nvm, behaviour),
                    "virtual-module-" + name);
            module.setDaemon(true);
            module.start();
            try (StreamTransport t = new StreamTransport(stationSide.input(), stationSide.output(),
                    StreamTransport.finalLineOf(entry.transportName()), "\r\n")) {
                UnitRunner runner = new UnitRunner(station, new UnitRunner.Settings("WO-L", Duration.ofSeconds(15),
                        Duration.ofSeconds(10), -110.0, -7.5, new byte[] {0x01, 0x02}), System::nanoTime);
                return runner.run(new AtFixture(entry.driver().apply(t)), null);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rak3172", "lora-e5"})
    void aUnitProgrammedOverAPtyJoinsAndPasses(String dialect) throws Exception {
        // on air: the join-accept reaches the module 5 s after its join-request, as on a radio
        UnitOutcome o = runOne(dialect, Behaviour.GOOD, "good", VirtualGateway.Timing.ON_AIR);
        assertThat(o.passed()).as(o.line() + " " + o.measurements()).isTrue();
        assertThat(o.measurements()).containsEntry("rssi", -62).containsKey("module");
        assertThat(String.valueOf(o.measurements().get("module"))).startsWith(Dialects.byName(dialect).transportName());
        assertThat(lf.registry().unit(o.devEui()).orElseThrow().state()).isEqualTo(UnitState.PASSED);
        // two-way: the module reported the server's random payload, on its FPort, with the signal it measured
        assertThat((String) o.measurements().get("downlinkPayload")).hasSize(16).isEqualTo(o.measurements().get("downlinkSent"));
        assertThat(o.measurements()).containsEntry("downlinkPort", 2).containsEntry("downlinkRssi", -62).containsEntry("downlinkWindow", "RX1");
        assertThat(lf.registry().testRuns(lf.registry().unit(o.devEui()).orElseThrow().id()).get(0).measurementsJson())
                .contains("\"downlinkRssi\":-62");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rak3172", "lora-e5"})
    void aModuleDeafToTheTestDownlinkThatTheGatewaySentFailsDownlinkNotReceived(String dialect) throws Exception {
        UnitOutcome o = runOne(dialect, Behaviour.GOOD.deaf(), "deaf");
        assertThat(o.passed()).isFalse();
        assertThat(o.reasonCode()).as(o.line() + " " + o.measurements()).isEqualTo("downlink_not_received");
        assertThat(o.measurements()).doesNotContainKey("downlinkPayload");
        assertThat(String.valueOf(o.measurements().get("serverEvidence"))).contains("uplink verified")
                .contains("test downlink sent in RX1 by gateway 0000000000000d01");
        assertThat(lf.registry().unit(o.devEui()).orElseThrow().state()).isEqualTo(UnitState.FAILED);
    }

    /** After the join-accept, the gateway refuses the next {@code n} downlinks (each try of the test downlink asks RX1 and RX2). */
    static java.util.function.Consumer<VirtualGateway> refusingAfterTheJoinAccept(int n) {
        return gw -> {
            Thread t = new Thread(() -> {
                while (gw.downlinksRequested() < 1) {
                    Thread.onSpinWait();
                }
                gw.refuseNextDownlinks(n);
            }, "refuse-after-the-join-accept");
            t.setDaemon(true);
            t.start();
        };
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rak3172", "lora-e5"})
    void aTestDownlinkTheGatewayRefusedOnceGoesOutOnTheNextUplinkAndTheUnitPassesWithoutAStationFault(String dialect) throws Exception {
        UnitOutcome o = runOne(dialect, Behaviour.GOOD, "refused-once", VirtualGateway.Timing.COMPRESSED, refusingAfterTheJoinAccept(2));
        assertThat(o.passed()).as(o.line() + " " + o.measurements()).isTrue();
        assertThat(o.stationFaults()).as(lf.registry().testRuns(lf.registry().unit(o.devEui()).orElseThrow().id()).toString()).isEmpty();
        assertThat(o.measurements()).containsEntry("downlinkTries", 2);
        assertThat(lf.registry().testRuns(lf.registry().unit(o.devEui()).orElseThrow().id())).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rak3172", "lora-e5"})
    void aTestGatewayThatRefusesEveryTryOfTheTestDownlinkIsAStationFaultAndTheUnitIsTestedAgain(String dialect) throws Exception {
        // the join-accept goes out; the gateway's radio is then taken for RX1 and RX2 of all three tries
        UnitOutcome o = runOne(dialect, Behaviour.GOOD, "refused", VirtualGateway.Timing.COMPRESSED,
                refusingAfterTheJoinAccept(2 * io.lorafab.station.line.UnitRunner.DOWNLINK_TRIES));
        assertThat(o.stationFaults()).containsExactly("test_gateway_fault");
        assertThat(o.passed()).as("the re-test, on a gateway that sends again, passes: " + o.line()).isTrue();
        var runs = lf.registry().testRuns(lf.registry().unit(o.devEui()).orElseThrow().id());
        assertThat(runs).hasSize(2);
        String first = runs.stream().filter(r -> r.measurementsJson().contains("COLLISION_PACKET")).findFirst().orElseThrow()
                .measurementsJson();
        assertThat(first).contains("\"gatewayError\":\"COLLISION_PACKET\"").contains("\"downlinkTries\":3")
                .contains("test downlink not sent: gateway 0000000000000d01 answered RX1 COLLISION_PACKET, RX2 COLLISION_PACKET");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rak3172", "lora-e5"})
    void aModuleThatRejectsTheKeyFails(String dialect) throws Exception {
        UnitOutcome o = runOne(dialect, new Behaviour(-62, 8.5, true, false), "badkey");
        assertThat(o.passed()).isFalse();
        assertThat(o.reasonCode()).isEqualTo("module_error");
        assertThat(String.valueOf(o.measurements().get("moduleError"))).doesNotContainIgnoringCase(
                lf.vault().unwrapAppKey(lf.registry().unit(o.devEui()).orElseThrow().keys()).toHex());
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rak3172", "lora-e5"})
    void aUnitOutOfRadioRangeFailsItsJoin(String dialect) throws Exception {
        UnitOutcome o = runOne(dialect, new Behaviour(-62, 8.5, false, true), "far");
        assertThat(o.passed()).isFalse();
        assertThat(o.reasonCode()).isEqualTo("join_not_heard");
        assertThat(o.measurements()).containsEntry("serverEvidence", "server heard no join-request");
        assertThat(lf.registry().unit(o.devEui()).orElseThrow().state()).isEqualTo(UnitState.FAILED);
    }

    /**
     * {@code lorafab sim at-module} in its own JVM, as a user runs it: it names the PTY; two station processes in
     * turn ({@code lorafab station}, one unit each) program the module through it and their units pass; SIGTERM
     * stops it and socat with it.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rak3172", "lora-e5"})
    void simAtModuleServesStationsUntilStopped(String dialect) throws Exception {
        Path tty = dir.resolve("ttyLORA0");
        Path nvm = dir.resolve("at-module-nvm");
        String udp = "127.0.0.1:" + js.udpPort();
        Process module = lorafab("sim", "at-module", "--dialect", dialect, "--pty", tty.toString(), "--server", udp,
                "--nvm-dir", nvm.toString(), "--rssi", "-70", "--snr", "6.5");
        try {
            BufferedReader moduleOut = new BufferedReader(new InputStreamReader(module.getInputStream(), StandardCharsets.UTF_8));
            String ready = CompletableFuture.supplyAsync(() -> readLine(moduleOut)).get(60, TimeUnit.SECONDS);
            assertThat(ready).isEqualTo("virtual " + dialect + " on " + tty + ": connect a station with --port " + tty + " --dialect "
                    + dialect + "; gateway " + io.lorafab.app.cli.SimCommand.AtModule.defaultGatewayEui(tty)
                    + " (this module's own, from its PTY path) to udp " + udp + "; NVM in " + nvm + "; Ctrl-C stops");
            Thread drain = new Thread(() -> moduleOut.lines().forEach(l -> { }), "at-module-output");
            drain.setDaemon(true);
            drain.start();
            for (int unit = 1; unit <= 2; unit++) {
                Process st = stationAs(operatorToken, "--server", "http://127.0.0.1:" + api.port(),
                        "--order", "WO-L", "--port", tty.toString(), "--dialect", dialect, "--allocate",
                        "--station-id", "st-" + unit, "--join-timeout", "15");
                st.getOutputStream().write('\n');
                st.getOutputStream().close();
                String text = new String(st.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(st.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(st.exitValue()).as(text).isZero();
                assertThat(text).as("unit %d", unit).contains("PASS ").contains("1 passed, 0 failed");
            }
            var passed = lf.registry().units(io.lorafab.store.model.UnitQuery.all()).stream()
                    .filter(u -> u.state() == UnitState.PASSED).toList();
            assertThat(passed).hasSize(2);
            assertThat(lf.registry().testRuns(passed.get(0).id()).get(0).measurementsJson()).contains("\"rssi\":-70");
        } finally {
            module.destroy(); // SIGTERM, as kill or a service manager sends it
            assertThat(module.waitFor(20, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Files.exists(tty, LinkOption.NOFOLLOW_LINKS)).as("socat removed the PTY link").isFalse();
    }

    /** {@code lorafab ARGS} in a new JVM on this test's class path, stderr merged into stdout. */
    static Process lorafab(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.lorafab.app.Main"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    /** {@code lorafab station <args>} in its own JVM, with {@code token} where a station takes it: in LORAFAB_TOKEN. */
    static Process stationAs(String token, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.lorafab.app.Main", "station"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("LORAFAB_TOKEN", token);
        return pb.start();
    }

    private static String readLine(BufferedReader r) {
        try {
            return r.readLine();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
