package io.lorafab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.ProfileId;
import io.lorafab.sim.VirtualGateway;
import io.lorafab.sim.at.VirtualAtModule.Behaviour;
import io.lorafab.sim.at.VirtualRak3172;
import io.lorafab.station.at.PtyPair;
import io.lorafab.station.at.SerialPort;
import io.lorafab.store.model.UnitState;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The station loop keeps going when the server refuses a unit: {@code lorafab station} in its own JVM, against the
 * real server, drives a virtual RAK3172 on a pseudo-terminal; the scans that the server refuses each get one
 * REFUSED line with the server's code and message, and the next scan is read and passes. Only what refuses every
 * unit (the token) stops it.
 */
class StationLoopTest {

    @TempDir
    Path dir;

    LineServer server;
    String token;
    PtyPair pty;
    VirtualGateway gw;
    SerialPort moduleSide;

    @BeforeEach
    void start() throws Exception {
        server = LineServer.start(dir.resolve("data"));
        server.workOrder("WO-S", "scanned-tracker", Eui64.parse("70b3d57ed0000001"), MacVersion.V1_0_3, new ProfileId(1, 4),
                Eui64.parse("70b3d57ed0070000"));
        token = server.operatorToken("st-loop");
        pty = PtyPair.open(dir.resolve("loop-station"), dir.resolve("loop-module"));
        gw = new VirtualGateway(Eui64.parse("0000000000000d02"), new InetSocketAddress("127.0.0.1", server.js.udpPort()),
                Clock.systemUTC(), Duration.ofSeconds(8), VirtualGateway.Timing.COMPRESSED);
        gw.connect(Duration.ofSeconds(5));
        moduleSide = SerialPort.open(pty.moduleSide(), 115200);
        Thread module = new Thread(new VirtualRak3172(moduleSide.input(), moduleSide.output(), gw,
                Files.createDirectories(dir.resolve("nvm")), Behaviour.GOOD), "virtual-module-loop");
        module.setDaemon(true);
        module.start();
    }

    @AfterEach
    void stop() throws Exception {
        moduleSide.close();
        gw.close();
        pty.close();
        server.close();
    }

    private Process station(String token, String scans) throws Exception {
        Process st = SerialLineTest.stationAs(token, "--server", server.url(), "--order", "WO-S",
                "--port", pty.stationSide().toString(), "--dialect", "rak3172", "--station-id", "st-loop", "--join-attempts", "1");
        st.getOutputStream().write(scans.getBytes(StandardCharsets.UTF_8));
        st.getOutputStream().close();
        return st;
    }

    @Test
    void refusedScansGetOneLineEachAndTheNextScanIsRead() throws Exception {
        Process st = station(token, String.join("\n",
                "70b3d57ed0070010",          // passes
                "70b3d57ed0070010",          // scanned again: PASSED
                "70b3d57ed0990000",          // outside the product's EUI block
                "not a label",               // unreadable
                "70b3d57ed0070011") + "\n"); // passes
        String text = new String(st.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(st.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(text).as(text)
                .contains("PASS 70b3d57ed0070010")
                .contains("REFUSED 70b3d57ed0070010  unit_passed: unit 70b3d57ed0070010 is PASSED; its DevEUI cannot be reserved again")
                .contains("REFUSED 70b3d57ed0990000  eui_out_of_range: scanned DevEUI 70b3d57ed0990000 is outside every EUI block")
                .contains("REFUSED not a label  ")
                .contains("PASS 70b3d57ed0070011")
                .contains("2 passed, 0 failed, 3 refused")
                .doesNotContain("Exception")
                .doesNotContain("\tat ");
        assertThat(text.indexOf("PASS 70b3d57ed0070011")).isGreaterThan(text.indexOf("REFUSED not a label"));
        assertThat(st.exitValue()).as("not every scan passed").isEqualTo(1);
        assertThat(server.lf.registry().unit(Eui64.parse("70b3d57ed0070010")).orElseThrow().state()).isEqualTo(UnitState.PASSED);
        assertThat(server.lf.registry().unit(Eui64.parse("70b3d57ed0070011")).orElseThrow().state()).isEqualTo(UnitState.PASSED);
        assertThat(server.lf.registry().unit(Eui64.parse("70b3d57ed0990000"))).isEmpty();
    }

    @Test
    void aTokenTheServerDoesNotAcceptStopsTheStation() throws Exception {
        Process st = station("lft_" + "x".repeat(43), "70b3d57ed0070012\n"); // well-formed, but no token of the server
        String text = new String(st.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(st.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(st.exitValue()).isEqualTo(1);
        assertThat(text).as(text).contains("error: station stopped: the server does not accept this station's token (unauthenticated: ")
                .doesNotContain("PASS ").doesNotContain("\tat ");
        assertThat(server.lf.registry().unit(Eui64.parse("70b3d57ed0070012"))).isEmpty();
    }

    @Test
    @org.junit.jupiter.api.Timeout(120)
    void aWorkOrderClosedBetweenTwoScansStopsTheStationAndReservesNothingMore() throws Exception {
        Process st = SerialLineTest.stationAs(token, "--server", server.url(), "--order", "WO-S",
                "--port", pty.stationSide().toString(), "--dialect", "rak3172", "--station-id", "st-loop", "--join-attempts", "1");
        java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(st.getInputStream(), StandardCharsets.UTF_8));
        st.getOutputStream().write("70b3d57ed0070020\n".getBytes(StandardCharsets.UTF_8));
        st.getOutputStream().flush();
        StringBuilder text = new StringBuilder();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            text.append(line).append('\n');
            if (line.contains("PASS 70b3d57ed0070020")) {
                break;
            }
        }
        assertThat(text).as(text.toString()).contains("PASS 70b3d57ed0070020");
        var order = server.lf.registry().workOrderByReference("WO-S").orElseThrow();
        var closed = server.lf.workOrders().close(order, "shift over", "engineer");

        st.getOutputStream().write("70b3d57ed0070021\n".getBytes(StandardCharsets.UTF_8));
        st.getOutputStream().close();
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            text.append(line).append('\n');
        }
        assertThat(st.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(st.exitValue()).isEqualTo(1);
        assertThat(text.toString()).as(text.toString()).contains("error: station stopped: the server refused the work order "
                + "(work_order_closed: work order WO-S is closed since " + closed.closure().at() + " by engineer (reason: shift over);"
                + " it hands out no more identities)").doesNotContain("PASS 70b3d57ed0070021").doesNotContain("\tat ");
        assertThat(server.lf.registry().unit(Eui64.parse("70b3d57ed0070020")).orElseThrow().state()).isEqualTo(UnitState.PASSED);
        assertThat(server.lf.registry().unit(Eui64.parse("70b3d57ed0070021"))).isEmpty();
    }
}
