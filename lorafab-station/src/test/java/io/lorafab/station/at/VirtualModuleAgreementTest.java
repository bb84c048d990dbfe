package io.lorafab.station.at;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.lorawan.types.Eui64;
import io.lorafab.sim.at.VirtualAtModule;
import io.lorafab.sim.at.VirtualAtModule.Behaviour;
import io.lorafab.sim.at.VirtualLoraE5;
import io.lorafab.sim.at.VirtualRak3172;
import io.lorafab.station.at.DialectCases.Case;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The virtual modules of lorafab-sim and the drivers agree: the drivers' own transcript cases ({@link DialectCases}
 * and the recorded sessions) are replayed line by line against the simulator, and the real drivers run against it
 * over {@link StreamTransport}. Only what needs no radio: a successful join and uplink need a join server and are
 * covered by the serial line tests in lorafab-app. Hex digits compare without regard to case (RUI3 reads back in
 * lower case, the transcripts use both).
 */
class VirtualModuleAgreementTest {

    private static final Duration T = Duration.ofSeconds(5);
    private static final Behaviour REJECTS_KEY = new Behaviour(-62, 8.5, true, false);
    private static final Behaviour OUT_OF_RANGE = new Behaviour(-62, 8.5, false, true);

    /** A simulated dialect: the driver's test case, the virtual module, and the firmware version it reports. */
    record Sim(Case c, Factory module, String firmware) {
        @Override
        public String toString() {
            return c.name();
        }
    }

    interface Factory {
        VirtualAtModule create(InputStream in, OutputStream out, Path nvm, Behaviour b);
    }

    /**
     * Radio time that runs everything at once (the waits of a join nobody hears, the period between attempts): these
     * tests compare lines, not timing.
     */
    static final VirtualAtModule.RadioTime AT_ONCE = new VirtualAtModule.RadioTime() {
        private final java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();

        @Override
        public long nanoTime() {
            return now.get();
        }

        @Override
        public void after(Duration delay, Runnable task) {
            now.addAndGet(delay.toNanos());
            task.run();
        }
    };

    static Stream<Sim> sims() {
        return Stream.of(
                new Sim(DialectCases.rak(), (in, out, nvm, b) -> new VirtualRak3172(in, out, null, nvm, b, AT_ONCE), "RUI_4.0.6_RAK3172-E"),
                new Sim(DialectCases.e5(), (in, out, nvm, b) -> new VirtualLoraE5(in, out, null, nvm, b, AT_ONCE), "4.0.11"));
    }

    @TempDir
    Path dir;

    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    /** Starts the module on in-memory pipes; returns the station's end with the dialect's final-line rule. */
    private StreamTransport connect(Sim s, Behaviour b) throws IOException {
        PipedInputStream moduleIn = new PipedInputStream(4096);
        PipedOutputStream toModule = new PipedOutputStream(moduleIn);
        PipedInputStream fromModule = new PipedInputStream(4096);
        PipedOutputStream moduleOut = new PipedOutputStream(fromModule);
        Thread t = new Thread(s.module().create(moduleIn, moduleOut, dir, b), "virtual " + s);
        t.setDaemon(true);
        t.start();
        StreamTransport line = Dialects.byName(s.c().info().dialect()).transport(fromModule, toModule);
        open.add(line);
        open.add(toModule);
        open.add(moduleOut);
        return line;
    }

    private static String resource(String name) {
        try (InputStream in = VirtualModuleAgreementTest.class.getResourceAsStream("/at/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Sends each {@code >} line of a transcript and checks that the module answers exactly the {@code <} and
     * {@code @} lines that follow it, in order, and nothing else.
     */
    private static void replay(StreamTransport line, String transcript) {
        List<String> expected = new ArrayList<>();
        String command = null;
        for (String raw : (transcript + "\n> (end)").split("\\R")) {
            String l = raw.strip();
            if (l.isEmpty() || l.startsWith("#") || l.startsWith("~")) { // the radio's time runs at once here
                continue;
            }
            if (!l.startsWith(">")) {
                expected.add(l.substring(1).strip());
                continue;
            }
            if (command != null) {
                String label = AtSession.labelOf(command);
                List<String> got = new ArrayList<>(line.command(command, T));
                while (got.size() < expected.size()) {
                    got.addAll(line.awaitEvent(x -> true, T));
                }
                assertThat(got).as("answer to " + label).usingElementComparator(String.CASE_INSENSITIVE_ORDER)
                        .containsExactlyElementsOf(expected);
                assertThatThrownBy(() -> line.awaitEvent(x -> true, Duration.ofMillis(150)))
                        .as("a line after the answer to " + label).isInstanceOf(AtException.class);
            }
            command = l.substring(1).strip();
            expected.clear();
        }
    }

    private static void program(AtDialect d, Eui64 devEui) {
        d.setIdentity(devEui, DialectCases.ID.joinEui(), DialectCases.ID.appKey(), Optional.empty());
    }

    @ParameterizedTest(name = "{0}: the recorded session up to the join")
    @MethodSource("sims")
    void sessionUpToTheJoin(Sim s) throws Exception {
        String session = resource(s.c().session());
        String upToJoin = session.substring(0, session.indexOf("> AT+JOIN"));
        replay(connect(s, Behaviour.GOOD), upToJoin.replace(s.c().info().firmware(), s.firmware()));
    }

    @ParameterizedTest(name = "{0}: the key-error transcript, from a module that rejects its key")
    @MethodSource("sims")
    void keyError(Sim s) throws Exception {
        replay(connect(s, REJECTS_KEY), s.c().keyError());
    }

    @ParameterizedTest(name = "{0}: the join-failed transcript, from a board out of range")
    @MethodSource("sims")
    void joinFailed(Sim s) throws Exception {
        StreamTransport line = connect(s, OUT_OF_RANGE);
        program(s.c().factory().apply(line), DialectCases.ID.devEui());
        replay(line, s.c().joinFailed().replace(s.c().info().firmware(), s.firmware()));
    }

    @ParameterizedTest(name = "{0}: the DevEUI-mismatch transcript, from a module given another DevEUI")
    @MethodSource("sims")
    void devEuiMismatch(Sim s) throws Exception {
        StreamTransport line = connect(s, Behaviour.GOOD);
        program(s.c().factory().apply(line), Eui64.parse("70B3D57ED0012346"));
        replay(line, s.c().devEuiMismatch());
    }

    @ParameterizedTest(name = "{0}: the driver programs the module and reads it back")
    @MethodSource("sims")
    void driverProgramsAndReadsBack(Sim s) throws Exception {
        ProgramResult r = Programmer.program(s.c().factory().apply(connect(s, Behaviour.GOOD)), DialectCases.ID);
        assertThat(r.ok()).as(r.toString()).isTrue();
        assertThat(r.fields()).isEqualTo(s.c().fields());
        assertThat(r.module()).isEqualTo(new ModuleInfo(s.c().info().dialect(), s.c().info().model(), s.firmware()));
    }

    @ParameterizedTest(name = "{0}: the driver reports a rejected key as a module error, without the key")
    @MethodSource("sims")
    void driverSeesTheKeyRejected(Sim s) throws Exception {
        AtDialect d = s.c().factory().apply(connect(s, REJECTS_KEY));
        assertThatThrownBy(() -> program(d, DialectCases.ID.devEui())).isInstanceOfSatisfying(AtException.class, e -> {
            assertThat(e.code()).isEqualTo(AtException.Code.MODULE_ERROR);
            assertThat(e.getMessage()).contains(s.c().keyErrorLabel()).doesNotContainIgnoringCase(DialectCases.KEY_HEX);
        });
    }

    @ParameterizedTest(name = "{0}: the driver sees the join fail and cannot send")
    @MethodSource("sims")
    void driverSeesTheJoinFail(Sim s) throws Exception {
        AtDialect d = s.c().factory().apply(connect(s, OUT_OF_RANGE));
        program(d, DialectCases.ID.devEui());
        JoinResult j = d.join(T);
        assertThat(j.joined()).isFalse();
        assertThat(j.event()).isNotBlank();
        assertThatThrownBy(() -> d.send(2, new byte[] {1, 2}, false, T)).isInstanceOfSatisfying(AtException.class,
                e -> assertThat(e.code()).isEqualTo(AtException.Code.MODULE_ERROR));
    }

    /** The virtual RAK3172 on real time, so that its reboot takes {@link VirtualRak3172#BOOT_TIME}. */
    private StreamTransport rakOnRealTime() throws IOException {
        return connect(new Sim(DialectCases.rak(), (in, out, nvm, b) -> new VirtualRak3172(in, out, null, nvm, b), "RUI_4.0.6_RAK3172-E"),
                Behaviour.GOOD);
    }

    @org.junit.jupiter.api.Test
    void theRak3172DriverProgramsAModuleWhoseEchoWasLeftOn() throws Exception {
        StreamTransport line = rakOnRealTime();
        assertThat(line.command("ATE", T)).containsExactly("OK"); // ATE toggles: echo is on from here
        assertThat(line.command("AT", T)).containsExactly("AT", "OK");
        ProgramResult r = Programmer.program(new Rak3172Rui3(line), DialectCases.ID);
        assertThat(r.ok()).as(r.toString()).isTrue();
        assertThat(r.module().firmware()).isEqualTo("RUI_4.0.6_RAK3172-E");
    }

    @org.junit.jupiter.api.Test
    void theRak3172DriverSwitchesAModuleInP2pModeAndWaitsOutItsSlowReboot() throws Exception {
        StreamTransport line = rakOnRealTime();
        assertThat(line.command("AT+NWM=0", T)).containsExactly("OK");
        line.awaitEvent(l -> l.startsWith("Current Work Mode:"), T);
        long start = System.nanoTime();
        ProgramResult r = Programmer.program(new Rak3172Rui3(line), DialectCases.ID);
        assertThat(r.ok()).as(r.toString()).isTrue();
        // the reboot took longer than a command may (2 s): the driver waited for the banner
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(VirtualRak3172.BOOT_TIME);
        assertThat(line.command("AT+NWM=?", T)).containsExactly("AT+NWM=1", "OK");
    }

    @ParameterizedTest(name = "{0}: the data-rate transcript, from the virtual module")
    @MethodSource("sims")
    void dataRate(Sim s) throws Exception {
        replay(connect(s, Behaviour.GOOD), DialectCases.dataRate3(s.c()));
    }

    @ParameterizedTest(name = "{0}: the driver sets the data rate of a virtual module over a pseudo-terminal, which sends at it")
    @MethodSource("sims")
    void theDriverSetsTheDataRateOverAPty(Sim s) throws Exception {
        Dialects.Entry dialect = Dialects.byName(s.c().info().dialect());
        try (PtyPair pty = PtyPair.open(dir.resolve("station"), dir.resolve("module"));
                SerialPort moduleSide = SerialPort.open(pty.moduleSide(), dialect.defaultBaud());
                SerialPort stationSide = SerialPort.open(pty.stationSide(), dialect.defaultBaud())) {
            VirtualAtModule module = s.module().create(moduleSide.input(), moduleSide.output(), dir, Behaviour.GOOD);
            Thread t = new Thread(module, "virtual " + s + " on a PTY");
            t.setDaemon(true);
            t.start();
            assertThat(module.dataRate()).as("a new board").isEqualTo(VirtualAtModule.DEFAULT_DATA_RATE);
            assertThat(module.adr()).isTrue();
            try (StreamTransport line = dialect.transport(stationSide.input(), stationSide.output())) {
                AtDialect d = s.c().factory().apply(line);
                for (int dr : new int[] {0, 3, 5}) {
                    d.dataRate(dr);
                    assertThat(module.dataRate()).isEqualTo(dr);
                    assertThat(module.adr()).as("ADR off before the data rate").isFalse();
                }
                // DR6 (SF7 at 250 kHz) is no data rate the virtual radio sends: refused, the last one kept
                assertThatThrownBy(() -> d.dataRate(6)).isInstanceOfSatisfying(AtException.class,
                        e -> assertThat(e.code()).isEqualTo(AtException.Code.MODULE_ERROR));
                assertThat(module.dataRate()).isEqualTo(5);
            }
        }
    }
}
