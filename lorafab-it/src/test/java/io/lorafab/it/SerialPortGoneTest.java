package io.lorafab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.ProfileId;
import io.lorafab.sim.VirtualGateway;
import io.lorafab.sim.at.VirtualAtModule;
import io.lorafab.sim.at.VirtualAtModule.Behaviour;
import io.lorafab.sim.at.VirtualRak3172;
import io.lorafab.station.at.PtyPair;
import io.lorafab.station.at.SerialPort;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.UnitQuery;
import io.lorafab.store.model.UnitState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fixture's serial port goes away under a running station — the USB-serial adapter unplugged, the fixture
 * cable pulled: {@code lorafab station} in its own JVM, against the real server, drives a virtual RAK3172 through a
 * socat PTY pair, and the pair is stopped (socat ends, both links go, the station's end hangs up) at a chosen
 * command. The station stops with one line naming the port and a non-zero exit, without a stack trace; a unit it
 * was working on stays unfinished on the server with the keys the module holds, for the next start to resume or
 * void; between units, it stops without reserving another.
 */
class SerialPortGoneTest {

    private static final String STATION = "st-gone";

    @TempDir
    Path dir;

    LineServer server;
    String token;
    final List<AutoCloseable> cleanup = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = LineServer.start(dir.resolve("data"));
        server.workOrder("WO-G", "tracker", Eui64.parse("70b3d57ed0000001"), MacVersion.V1_0_3, new ProfileId(1, 4),
                Eui64.parse("70b3d57ed0080000"));
        token = server.operatorToken(STATION);
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
        server.close();
    }

    @Test
    void thePortGoesWhileTheKeysAreReadBackAndTheUnitStaysReservedForTheNextStart() throws Exception {
        Path port = dir.resolve("ttyUSB0");
        // The module has taken DevEUI, JoinEUI and AppKey; the port goes before it answers the AppKey read-back.
        Fixture first = fixture(port, Behaviour.GOOD, null, Tap.before("AT+APPKEY=?"));
        StationProcess run = station(port, "--allocate");
        run.stdin.write('\n');
        run.stdin.flush();

        int exit = run.waitFor(Duration.ofSeconds(60));
        assertThat(first.tap.fired).as(run.output()).isDone();
        assertStoppedWithOneLine(run, exit, port);
        Unit u = onlyUnit();
        assertThat(u.state()).as("not passed, not failed: unfinished").isEqualTo(UnitState.RESERVED);
        assertThat(u.stationId()).isEqualTo(STATION);
        assertThat(first.module.programmedIdentity().devEui()).isEqualTo(u.devEui());
        AesKey serverKey = server.lf.vault().unwrapAppKey(u.keys());
        assertThat(first.module.programmedIdentity().appKey()).as("the module holds the key the server holds").isEqualTo(serverKey);
        assertThat(run.output()).contains("unit " + u.devEui()).doesNotContainIgnoringCase(serverKey.toHex());

        // The adapter is plugged in again, under the same name; the next start resumes the unit.
        first.close();
        Fixture second = fixture(port, Behaviour.GOOD, null, null);
        StationProcess restart = station(port, "--allocate", "--unfinished", "resume");
        restart.stdin.close();
        assertThat(restart.waitFor(Duration.ofSeconds(60))).as(restart.output()).isZero();
        assertThat(restart.output()).contains("unit " + u.devEui() + " " + u.serial() + " was left RESERVED by " + STATION).contains("PASS " + u.devEui());
        Unit resumed = onlyUnit();
        assertThat(resumed.state()).isEqualTo(UnitState.PASSED);
        assertThat(server.lf.vault().unwrapAppKey(resumed.keys())).as("same keys as before the port went").isEqualTo(serverKey);
        assertThat(second.module.programmedIdentity().appKey()).isEqualTo(serverKey);
    }

    @Test
    void thePortGoesDuringTheJoinAndTheUnitStaysProgrammed() throws Exception {
        Path port = dir.resolve("ttyUSB1");
        // Out of range on a radio whose time never moves: the join, once the module has taken it, never ends by itself.
        Fixture f = fixture(port, new Behaviour(-62, 8.5, false, true), STILL, Tap.after("AT+JOIN=1"));
        StationProcess run = station(port, "--allocate", "--join-timeout", "120");
        run.stdin.write('\n');
        run.stdin.flush();

        int exit = run.waitFor(Duration.ofSeconds(60));
        assertThat(f.tap.fired).as(run.output()).isDone();
        assertStoppedWithOneLine(run, exit, port);
        Unit u = onlyUnit();
        assertThat(u.state()).as("programmed and reported, never finished").isEqualTo(UnitState.PROGRAMMED);
        AesKey serverKey = server.lf.vault().unwrapAppKey(u.keys());
        assertThat(f.module.programmedIdentity().appKey()).as("the module holds the key the server holds").isEqualTo(serverKey);
        assertThat(run.output()).contains("unit " + u.devEui()).doesNotContain("FAIL ").doesNotContainIgnoringCase(serverKey.toHex());
    }

    @Test
    void thePortGoesWhileTheStationWaitsForTheNextScanAndNoOtherUnitIsReserved() throws Exception {
        Path port = dir.resolve("ttyUSB2");
        Fixture f = fixture(port, Behaviour.GOOD, null, null);
        StationProcess run = station(port, "--allocate", "--replug-wait", "1");
        run.stdin.write('\n');
        run.stdin.flush();
        run.awaitOutput("1 passed, 0 failed", Duration.ofSeconds(60));

        f.pty.close(); // standard input stays open: the operator has not pressed Enter again
        int exit = run.waitFor(Duration.ofSeconds(60));
        assertStoppedWithOneLine(run, exit, port);
        assertThat(run.output()).contains("PASS ").contains("serial port " + port + " is gone (")
                .contains("waiting up to 1 s for it to come back").contains("did not come back within 1 s");
        assertThat(onlyUnit().state()).isEqualTo(UnitState.PASSED);
    }

    @Test
    void thePortGoesBetweenUnitsAndComesBackUnderTheSameNameAndIsReopenedBeforeTheNextUnit() throws Exception {
        Path port = dir.resolve("ttyUSB3");
        Fixture first = fixture(port, Behaviour.GOOD, null, null);
        StationProcess run = station(port, "--allocate");
        run.stdin.write('\n');
        run.stdin.flush();
        run.awaitOutput("1 passed, 0 failed", Duration.ofSeconds(60));

        // the adapter is pulled (socat ends, the link goes) and plugged in again: a new PTY behind the same link
        first.close();
        run.awaitOutput("serial port " + port + " is gone (", Duration.ofSeconds(30));
        Fixture second = fixture(port, Behaviour.GOOD, null, null);
        run.awaitOutput("serial port " + port + " is back: reopened before the next unit", Duration.ofSeconds(30));

        run.stdin.write('\n');
        run.stdin.flush();
        run.awaitOutput("2 passed, 0 failed", Duration.ofSeconds(60));
        run.stdin.close();
        assertThat(run.waitFor(Duration.ofSeconds(60))).as(run.output()).isZero();
        String text = run.output();
        assertThat(text).doesNotContain("station stopped").doesNotContain("Exception");
        assertThat(text.indexOf("is back: reopened")).as(text).isLessThan(text.lastIndexOf("PASS "));
        List<Unit> units = server.lf.registry().units(UnitQuery.all());
        assertThat(units).hasSize(2).allSatisfy(u -> assertThat(u.state()).isEqualTo(UnitState.PASSED));
        assertThat(second.module.programmedIdentity().devEui()).as("the second unit went through the reopened port")
                .isIn(units.stream().map(Unit::devEui).toList());
    }

    @Test
    void aMultiUpPositionsPortGoesBetweenRunsAndIsReopenedUnderItsNameWhileTheOtherPositionKeepsItsPort() throws Exception {
        Path p1 = dir.resolve("ttyUSB4");
        Path p2 = dir.resolve("ttyUSB5");
        // each position's module on air through a gateway of its own, as boards far apart would be
        Fixture one = fixture(p1, Behaviour.GOOD, null, null, "0000000000000e11");
        Fixture two = fixture(p2, Behaviour.GOOD, null, null, "0000000000000e12");
        List<String> args = new ArrayList<>(List.of("--server", server.url(), "--order", "WO-G", "--positions", "2",
                "--port", p1 + "," + p2, "--dialect", "rak3172", "--station-id", STATION, "--join-attempts", "1", "--allocate"));
        StationProcess run = StationProcess.start(token, args);
        cleanup.add(run);
        run.stdin.write('\n');
        run.stdin.flush();
        run.awaitOutput("2 passed, 0 failed", Duration.ofSeconds(90));

        // position 2's adapter is pulled and plugged in again; position 1's stays as it was
        two.close();
        run.awaitOutput("serial port " + p2 + " of position 2 is gone (", Duration.ofSeconds(30));
        Fixture twoAgain = fixture(p2, Behaviour.GOOD, null, null, "0000000000000e12");
        run.awaitOutput("serial port " + p2 + " of position 2 is back: reopened before the next run", Duration.ofSeconds(30));

        run.stdin.write('\n');
        run.stdin.flush();
        run.awaitOutput("4 passed, 0 failed", Duration.ofSeconds(90));
        run.stdin.close();
        assertThat(run.waitFor(Duration.ofSeconds(60))).as(run.output()).isZero();
        String text = run.output();
        assertThat(text).doesNotContain("station stopped").doesNotContain("Exception").doesNotContain("of position 1 is gone");
        List<Unit> units = server.lf.registry().units(UnitQuery.all());
        assertThat(units).hasSize(4).allSatisfy(u -> assertThat(u.state()).isEqualTo(UnitState.PASSED));
        assertThat(twoAgain.module.programmedIdentity().devEui()).as("position 2's second unit went through the reopened port")
                .isIn(units.stream().map(Unit::devEui).toList())
                .isNotEqualTo(two.module.programmedIdentity().devEui());
        assertThat(one.module.programmedIdentity().devEui()).as("position 1 kept its port and programmed its second unit on it")
                .isIn(units.stream().map(Unit::devEui).toList());
    }

    @Test
    void aMultiUpPortThatDoesNotComeBackStopsTheStationNamingItsPosition() throws Exception {
        Path p1 = dir.resolve("ttyUSB6");
        Path p2 = dir.resolve("ttyUSB7");
        fixture(p1, Behaviour.GOOD, null, null, "0000000000000e13");
        Fixture two = fixture(p2, Behaviour.GOOD, null, null, "0000000000000e14");
        List<String> args = new ArrayList<>(List.of("--server", server.url(), "--order", "WO-G", "--positions", "2",
                "--port", p1 + "," + p2, "--dialect", "rak3172", "--station-id", STATION, "--join-attempts", "1", "--allocate",
                "--replug-wait", "1"));
        StationProcess run = StationProcess.start(token, args);
        cleanup.add(run);
        run.awaitOutput("ready: load the fixture", Duration.ofSeconds(60));

        two.close();
        int exit = run.waitFor(Duration.ofSeconds(60));
        String text = run.output();
        assertThat(exit).as(text).isEqualTo(1);
        List<String> stopped = text.lines().filter(l -> l.contains("station stopped")).toList();
        assertThat(stopped).as(text).hasSize(1);
        assertThat(stopped.get(0)).startsWith("error: station stopped: serial port " + p2 + " of position 2 did not come back within 1 s (");
        assertThat(text).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(server.lf.registry().units(UnitQuery.all())).as("no unit reserved on a fixture with a dead port").isEmpty();
    }

    /** A non-zero exit and one line that names the port and says it is gone; no stack trace, no unit result line. */
    private static void assertStoppedWithOneLine(StationProcess run, int exit, Path port) {
        String text = run.output();
        assertThat(exit).as(text).isEqualTo(1);
        List<String> stopped = text.lines().filter(l -> l.contains("station stopped")).toList();
        assertThat(stopped).as(text).hasSize(1);
        assertThat(stopped.get(0)).startsWith("error: station stopped: serial port " + port + " is gone");
        assertThat(text).as(text).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("FAIL ");
        assertThat(Files.exists(port, LinkOption.NOFOLLOW_LINKS)).as("the port's link went with socat").isFalse();
    }

    private Unit onlyUnit() {
        List<Unit> all = server.lf.registry().units(UnitQuery.all());
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    /** A station in its own JVM on {@code port}, taking its input from the test. */
    private StationProcess station(Path port, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of(
                "--server", server.url(), "--order", "WO-G", "--port", port.toString(), "--dialect", "rak3172",
                "--station-id", STATION, "--join-attempts", "1"));
        args.addAll(List.of(extra));
        StationProcess run = StationProcess.start(token, args);
        cleanup.add(run);
        return run;
    }

    private Fixture fixture(Path port, Behaviour behaviour, VirtualAtModule.RadioTime time, Tap tap) throws Exception {
        return fixture(port, behaviour, time, tap, "0000000000000e07");
    }

    private Fixture fixture(Path port, Behaviour behaviour, VirtualAtModule.RadioTime time, Tap tap, String gatewayEui) throws Exception {
        Fixture f = new Fixture(port, behaviour, time, tap, gatewayEui);
        cleanup.add(f);
        return f;
    }

    /** Radio time that never moves: what the radio schedules never happens. */
    private static final VirtualAtModule.RadioTime STILL = new VirtualAtModule.RadioTime() {
        @Override
        public long nanoTime() {
            return 0;
        }

        @Override
        public void after(Duration delay, Runnable task) {
        }
    };

    /** A socat PTY pair: the station's port at {@code port}, a virtual RAK3172 on the other end behind an optional tap. */
    private final class Fixture implements AutoCloseable {
        final PtyPair pty;
        final VirtualGateway gateway;
        final SerialPort moduleSide;
        final VirtualRak3172 module;
        final Tap tap;

        Fixture(Path port, Behaviour behaviour, VirtualAtModule.RadioTime time, Tap tap, String gatewayEui) throws Exception {
            pty = PtyPair.open(port, dir.resolve(port.getFileName() + "-module-" + System.nanoTime()));
            gateway = new VirtualGateway(Eui64.parse(gatewayEui), new InetSocketAddress("127.0.0.1", server.js.udpPort()),
                    Clock.systemUTC(), Duration.ofSeconds(8), VirtualGateway.Timing.COMPRESSED);
            gateway.connect(Duration.ofSeconds(5));
            moduleSide = SerialPort.open(pty.moduleSide(), 115200);
            this.tap = tap;
            InputStream in = moduleSide.input();
            if (tap != null) {
                in = tap.on(in, pty);
            }
            module = new VirtualRak3172(in, moduleSide.output(), gateway, Files.createDirectories(dir.resolve("nvm")), behaviour, time);
            Thread t = new Thread(module, "virtual-module-" + port.getFileName());
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws Exception {
            pty.close();
            moduleSide.close();
            gateway.close();
        }
    }

    /**
     * Passes the station's command lines on to the module one at a time, and stops the PTY pair at the first line
     * that starts with {@code prefix}: before the module reads it (the station waits for an answer that cannot
     * come), or after the module has answered it (it is back for the next line). The pair is stopped on the module's
     * thread, so nothing else happens on the line in between.
     */
    private static final class Tap {
        final String prefix;
        final boolean afterAnswer;
        final CompletableFuture<Void> fired = new CompletableFuture<>();

        private Tap(String prefix, boolean afterAnswer) {
            this.prefix = prefix;
            this.afterAnswer = afterAnswer;
        }

        static Tap before(String prefix) {
            return new Tap(prefix, false);
        }

        static Tap after(String prefix) {
            return new Tap(prefix, true);
        }

        InputStream on(InputStream in, PtyPair pty) {
            return new InputStream() {
                private byte[] line = new byte[0];
                private int pos;
                private boolean answering;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    if (pos == line.length) {
                        if (answering) {
                            stopPair();
                        }
                        if (!nextLine()) {
                            return -1;
                        }
                        if (!fired.isDone() && new String(line, StandardCharsets.US_ASCII).strip().startsWith(prefix)) {
                            if (!afterAnswer) {
                                stopPair();
                                return -1;
                            }
                            answering = true;
                        }
                    }
                    int n = Math.min(len, line.length - pos);
                    System.arraycopy(line, pos, b, off, n);
                    pos += n;
                    return n;
                }

                private void stopPair() {
                    answering = false;
                    pty.close();
                    fired.complete(null);
                }

                /** Reads up to and including the next LF; false at the end of the line's input. */
                private boolean nextLine() throws IOException {
                    ByteArrayOutputStream buf = new ByteArrayOutputStream();
                    int c;
                    try {
                        while ((c = in.read()) >= 0) {
                            buf.write(c);
                            if (c == '\n') {
                                break;
                            }
                        }
                    } catch (IOException hungUp) {
                        // the pair has stopped
                    }
                    line = buf.toByteArray();
                    pos = 0;
                    return line.length > 0;
                }
            };
        }
    }
}
