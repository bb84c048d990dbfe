package io.lorafab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.app.cli.LorafabCommand;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.UnitOrigin;
import io.lorafab.store.model.UnitQuery;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lorafab sim joins} against a real join server on UDP: simulated devices stay out of a registry unless
 * asked, come from the documentation EUI range, and a failed run leaves none of them behind.
 */
class SimJoinsCommandTest {

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    static Run lorafab(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = LorafabCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static List<Unit> units(Lorafab lf) {
        return lf.registry().units(UnitQuery.all());
    }

    @Test
    void anotherRegistryGetsSimulatedDevicesOnlyWithRegister() throws Exception {
        Path data = dir.resolve("factory");
        try (LineServer server = LineServer.startForLoad(data, false)) {
            String udp = "127.0.0.1:" + server.js.udpPort();
            Run refused = lorafab("sim", "joins", "--devices", "5", "--server", udp, "--data-dir", data.toString());
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(refused.err()).isEqualTo("error: sim joins would write 5 simulated devices into the registry at " + data
                    + ": add --register to allow it (without --data-dir and --db they go into lorafab-sim-data)\n");
            assertThat(units(server.lf)).isEmpty();

            Run ok = lorafab("sim", "joins", "--devices", "12", "--gateways", "2", "--server", udp, "--data-dir", data.toString(), "--register");
            assertThat(ok.exit()).as(ok.err() + ok.out()).isZero();
            assertThat(ok.out()).contains("12/12 joined via 2 gateways");
            List<Unit> units = units(server.lf);
            assertThat(units).hasSize(12).allSatisfy(u -> {
                assertThat(u.origin()).isEqualTo(UnitOrigin.SIMULATED);
                assertThat(u.devEui().toString()).startsWith("00005eef10"); // RFC 7042 documentation range
            });
        }
    }

    @Test
    void aFailedRunRemovesTheDevicesItRegistered() throws Exception {
        Path data = dir.resolve("factory");
        try (LineServer server = LineServer.startForLoad(data, false); DatagramSocket silent = new DatagramSocket(0)) {
            // a UDP port where nobody answers: the virtual gateways never get a PULL_ACK
            Run failed = lorafab("sim", "joins", "--devices", "7", "--server", "127.0.0.1:" + silent.getLocalPort(),
                    "--data-dir", data.toString(), "--register");
            assertThat(failed.exit()).isEqualTo(1);
            assertThat(failed.err()).contains("note: the run failed; its 7 simulated device(s) were removed");
            assertThat(units(server.lf)).isEmpty();
            assertThat(server.lf.registry().auditLog(10)).anySatisfy(a -> assertThat(a.action()).isEqualTo("sim.remove"));
        }
    }

    @Test
    void withoutDataDirOrDbTheDevicesGoIntoTheSimulatorsOwnFolder() throws Exception {
        Path own = dir.resolve("lorafab-sim-data");
        try (LineServer server = LineServer.startForLoad(own, false)) {
            List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "io.lorafab.app.Main", "sim", "joins", "--devices", "4",
                    "--gateways", "1", "--server", "127.0.0.1:" + server.js.udpPort()));
            Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(output).isZero();
            assertThat(units(server.lf)).hasSize(4);
            assertThat(dir.resolve("lorafab-data")).doesNotExist();
        }
        try (Lorafab lf = Lorafab.openExisting(null, own, Map.of(), Clock.systemUTC())) {
            assertThat(units(lf)).hasSize(4);
        }
        assertThat(Files.exists(own.resolve("lorafab.db"))).isTrue();
    }

    @Test
    void aLoadRunThroughVirtualBasicsStationsJoinsEveryDevice() throws Exception {
        Path data = dir.resolve("factory");
        try (LineServer server = LineServer.startForLoad(data, true)) {
            Run ok = lorafab("sim", "joins", "--gateway", "basics-station", "--lns", server.lnsUri(), "--devices", "300",
                    "--gateways", "8", "--concurrency", "32", "--data-dir", data.toString(), "--register");
            assertThat(ok.exit()).as(ok.err() + ok.out() + server.js.stations().counters()).isZero();
            assertThat(ok.out()).contains("300/300 joined via 8 gateways").contains("compressed timing, Basics Station")
                    .doesNotContain("downlinks refused");
            assertThat(units(server.lf)).hasSize(300);
            assertThat(server.js.stations().stations()).hasSize(8)
                    .allSatisfy(st -> assertThat(st.version().orElseThrow().model()).isEqualTo("lorafab-sim"));
            assertThat(server.js.stations().counter(io.lorafab.gateway.BasicsStationConnector.DNTXED)).isEqualTo(300);
        }
    }

    @Test
    void theGatewayKindAndItsAddressMustAgree() {
        Run noLns = lorafab("sim", "joins", "--gateway", "basics-station", "--devices", "1", "--data-dir", dir.toString());
        assertThat(noLns.exit()).isEqualTo(1);
        assertThat(noLns.err()).isEqualTo("error: --lns URI is needed with --gateway basics-station, e.g. ws://127.0.0.1:1887\n");
        Run badUri = lorafab("sim", "joins", "--gateway", "basics-station", "--lns", "http://127.0.0.1:1887", "--data-dir", dir.toString());
        assertThat(badUri.err()).isEqualTo("error: --lns: expected ws://HOST:PORT or wss://HOST:PORT, got 'http://127.0.0.1:1887'\n");
        Run noServer = lorafab("sim", "joins", "--devices", "1", "--data-dir", dir.toString());
        assertThat(noServer.err()).isEqualTo("error: --server HOST:PORT is needed with --gateway udp\n");
        Run mixed = lorafab("sim", "joins", "--server", "127.0.0.1:1700", "--lns", "ws://127.0.0.1:1887", "--data-dir", dir.toString());
        assertThat(mixed.err()).isEqualTo("error: --lns and its credentials go with --gateway basics-station\n");
        Run kind = lorafab("sim", "joins", "--gateway", "lns", "--lns", "ws://127.0.0.1:1887", "--data-dir", dir.toString());
        assertThat(kind.exit()).isNotZero();
        assertThat(kind.err()).contains("expected udp or basics-station, got 'lns'");
    }
}
