package io.lorafab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.ProfileId;
import io.lorafab.provisioning.service.StationSteps;
import io.lorafab.sim.VirtualGateway;
import io.lorafab.sim.at.VirtualAtModule.Behaviour;
import io.lorafab.sim.at.VirtualRak3172;
import io.lorafab.station.at.PtyPair;
import io.lorafab.station.at.SerialPort;
import io.lorafab.store.join.RadioEvent;
import io.lorafab.store.model.UnitState;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A 4-position fixture, as an operator runs it: {@code lorafab station --positions 4} in its own JVM against the real
 * server drives four virtual RAK3172 modules, each on its own pseudo-terminal, whose radios share one virtual gateway
 * with on-air timing (join-accepts at RX1, 5 s after the join-request, on the gateway's one transmitter). The
 * operator scans the four labels in position order; the board in position 3 is bad. The other three pass in the same
 * run, each position's line and label carry the DevEUI scanned for that position, and the bad one fails alone.
 */
class MultiUpLineTest {

    static final int POSITIONS = 4;

    @TempDir
    Path dir;

    LineServer server;
    String token;
    VirtualGateway gw;
    final List<PtyPair> ptys = new ArrayList<>();
    final List<SerialPort> moduleSides = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = LineServer.start(dir.resolve("data"));
        server.workOrder("WO-M", "panel-tracker", Eui64.parse("70b3d57ed0000001"), MacVersion.V1_0_3, new ProfileId(1, 4),
                Eui64.parse("70b3d57ed0080000"));
        token = server.operatorToken("st-multi");
        gw = new VirtualGateway(Eui64.parse("0000000000000d04"), new InetSocketAddress("127.0.0.1", server.js.udpPort()),
                Clock.systemUTC(), Duration.ofSeconds(8), VirtualGateway.Timing.ON_AIR);
        gw.connect(Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() throws Exception {
        for (SerialPort s : moduleSides) {
            s.close();
        }
        gw.close();
        for (PtyPair p : ptys) {
            p.close();
        }
        server.close();
    }

    /** The fixture: position {@code bad} (from 1) holds a board that behaves as {@code badBoard}, the others good ones. */
    List<String> fixture(int bad, Behaviour badBoard) throws Exception {
        List<String> stationSides = new ArrayList<>();
        Path nvm = Files.createDirectories(dir.resolve("nvm"));
        for (int i = 1; i <= POSITIONS; i++) {
            PtyPair pty = PtyPair.open(dir.resolve("p" + i + "-station"), dir.resolve("p" + i + "-module"));
            ptys.add(pty);
            SerialPort moduleSide = SerialPort.open(pty.moduleSide(), 115200);
            moduleSides.add(moduleSide);
            Thread module = new Thread(new VirtualRak3172(moduleSide.input(), moduleSide.output(), gw, nvm,
                    i == bad ? badBoard : Behaviour.GOOD), "virtual-module-p" + i);
            module.setDaemon(true);
            module.start();
            stationSides.add(pty.stationSide().toString());
        }
        return stationSides;
    }

    static Stream<Arguments> badBoards() {
        return Stream.of(
                Arguments.of("a module that rejects its key", new Behaviour(-62, 8.5, true, false), "module_error"),
                Arguments.of("a board whose radio is not heard", new Behaviour(-62, 8.5, false, true), "join_not_heard"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badBoards")
    void oneBadPositionFailsAloneAndTheOtherThreePassWithTheirOwnLabels(String name, Behaviour badBoard, String reason) throws Exception {
        List<String> ports = fixture(3, badBoard);
        List<Eui64> scanned = List.of(Eui64.parse("70b3d57ed0080001"), Eui64.parse("70b3d57ed0080002"),
                Eui64.parse("70b3d57ed0080003"), Eui64.parse("70b3d57ed0080004"));
        Path labels = dir.resolve("labels");
        Process st = SerialLineTest.stationAs(token, "--server", server.url(), "--order", "WO-M", "--positions", "4",
                "--port", String.join(",", ports), "--dialect", "rak3172", "--station-id", "st-multi", "--join-attempts", "1",
                "--label-dir", labels.toString());
        st.getOutputStream().write((String.join("\n", scanned.stream().map(Eui64::toString).toList()) + "\n")
                .getBytes(StandardCharsets.UTF_8));
        st.getOutputStream().close();
        String text = new String(st.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(st.waitFor(120, TimeUnit.SECONDS)).isTrue();

        assertThat(text).as(text)
                .contains("scan the labels in position order, 1 to 4")
                .contains("position 1: PASS " + scanned.get(0))
                .contains("position 2: PASS " + scanned.get(1))
                .contains("position 3: FAIL " + scanned.get(2))
                .contains("position 4: PASS " + scanned.get(3))
                .contains("3 passed, 1 failed")
                .doesNotContain("Exception");
        assertThat(text.substring(text.indexOf("position 3: FAIL"))).startsWith("position 3: FAIL " + scanned.get(2)).contains(reason);
        assertThat(st.exitValue()).as("a unit failed").isEqualTo(1);

        for (int i = 0; i < POSITIONS; i++) {
            var unit = server.lf.registry().unit(scanned.get(i)).orElseThrow();
            // named by the serial, or for a scanned DevEUI without one, the DevEUI
            Path label = labels.resolve((unit.serial() != null ? unit.serial() : unit.devEui().toString()) + ".pdf");
            if (i == 2) {
                assertThat(unit.state()).isEqualTo(UnitState.FAILED);
                assertThat(label).doesNotExist();
                assertThat(text).doesNotContain("position 3 label");
            } else {
                assertThat(unit.state()).isEqualTo(UnitState.PASSED);
                // the label of position i is the one of the DevEUI scanned for position i, and said to be so
                assertThat(label).exists();
                assertThat(text).contains("position " + (i + 1) + " label: label " + label);
                // each join-accept had RX1 to itself: the positions' joins were spaced
                RadioEvent sent = server.lf.joinStore().events(scanned.get(i), 0, 50).stream()
                        .filter(e -> e.kind().equals("join_accept_sent")).findFirst().orElseThrow();
                assertThat(sent.details()).contains("\"window\":\"RX1\"");
            }
        }
        // the station screen knows each position's unit
        SortedMap<Integer, StationSteps.Step> steps = server.lf.stationSteps().positions("st-multi");
        assertThat(steps.keySet()).containsExactly(1, 2, 3, 4);
        for (int i = 0; i < POSITIONS; i++) {
            assertThat(steps.get(i + 1).devEui()).isEqualTo(scanned.get(i));
        }
    }

    /**
     * Image mode on a 2-position fixture: each position's flasher target is named by {@code {position}} — here
     * {@code lorafab sim flash} with a gateway EUI and NVM folder of its own per position — and both boards, flashed at
     * once, join by themselves and pass, each with the DevEUI its own position reserved.
     */
    @org.junit.jupiter.api.Test
    void twoFlasherTargetsAreFlashedAtOnceAndBothPass() throws Exception {
        byte[] code = new byte[4096];
        new java.util.Random(3).nextBytes(code);
        Path image = Files.writeString(dir.resolve("fw.hex"), io.lorafab.station.image.IntelHex.write(
                io.lorafab.station.image.MemoryImage.ofBinary(0x0800_0000L, code), 16));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String flasher = java + " -cp " + System.getProperty("java.class.path") + " io.lorafab.app.Main sim flash --image {image}"
                + " --identity-address 0x0803F800 --server 127.0.0.1:" + server.js.udpPort() + " --nvm-dir " + dir.resolve("nvm-{position}")
                + " --gateway-eui 00000000000f1a5{position} --timing compressed";
        Process st = SerialLineTest.stationAs(token, "--server", server.url(), "--order", "WO-M", "--positions", "2", "--allocate",
                "--station-id", "st-multi-img", "--image", image.toString(), "--identity-address", "0x0803F800", "--flasher", flasher,
                "--flasher-timeout", "60");
        st.getOutputStream().write("\n".getBytes(StandardCharsets.UTF_8));
        st.getOutputStream().close();
        String text = new String(st.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(st.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(text).as(text).contains("press Enter").containsPattern("position 1: PASS 70b3d57ed008000[01]")
                .containsPattern("position 2: PASS 70b3d57ed008000[01]").contains("2 passed, 0 failed").doesNotContain("Exception");
        assertThat(st.exitValue()).isZero();
        SortedMap<Integer, StationSteps.Step> steps = server.lf.stationSteps().positions("st-multi-img");
        assertThat(steps.keySet()).containsExactly(1, 2);
        assertThat(steps.get(1).devEui()).isNotEqualTo(steps.get(2).devEui());
        for (int p = 1; p <= 2; p++) {
            assertThat(text).contains("position " + p + ": PASS " + steps.get(p).devEui());
            assertThat(server.lf.registry().unit(steps.get(p).devEui()).orElseThrow().state()).isEqualTo(UnitState.PASSED);
        }
    }
}
