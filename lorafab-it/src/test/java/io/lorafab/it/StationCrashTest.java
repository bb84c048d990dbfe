package io.lorafab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.app.http.ApiServer;
import io.lorafab.app.wiring.JoinServerRuntime;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.ProfileId;
import io.lorafab.provisioning.service.Labels;
import io.lorafab.sim.VirtualGateway;
import io.lorafab.sim.at.VirtualRak3172;
import io.lorafab.station.at.PtyPair;
import io.lorafab.station.at.Rak3172Rui3;
import io.lorafab.station.at.ReadBack;
import io.lorafab.station.at.SerialPort;
import io.lorafab.station.at.StreamTransport;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.UnitQuery;
import io.lorafab.store.model.UnitState;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A station process SIGKILLed mid-unit, after the keys went into the module and before the test finished: the
 * unit stays PROGRAMMED on the server with exactly the keys the module holds, and the next start of the station
 * settles it on the operator's word — resumed (same identity, programmed again, passes) or voided.
 */
class StationCrashTest {

    @TempDir
    Path dir;

    LineServer server;
    Lorafab lf;
    ApiServer api;
    JoinServerRuntime js;
    String token;
    final List<AutoCloseable> cleanup = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = LineServer.start(dir.resolve("data"));
        lf = server.lf;
        api = server.api;
        js = server.js;
        server.workOrder("WO-C", "tracker", Eui64.parse("70b3d57ed0000001"), MacVersion.V1_0_3, new ProfileId(1, 4), Eui64.parse("70b3d57ed0070000"));
        token = server.operatorToken("st-crash");
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = cleanup.size() - 1; i >= 0; i--) {
            cleanup.get(i).close();
        }
        server.close();
    }

    @Test
    void aKilledStationLeavesTheModulesKeysOnTheServerAndTheOperatorResumesTheUnit() throws Exception {
        Eui64 devEui = killStationMidUnit("first");

        Path labels = dir.resolve("labels");
        Path printed = dir.resolve("printed.zpl");
        Fixture second = fixture("second", new InetSocketAddress("127.0.0.1", js.udpPort()));
        StationProcess restart = station(second, "--unfinished", "ask", "--label-dir", labels.toString(), "--label-format", "zpl",
                "--print-command", "cp {file} " + printed);
        restart.stdin.write("maybe\nr\n".getBytes(StandardCharsets.US_ASCII));
        restart.stdin.close();
        assertThat(restart.waitFor(Duration.ofSeconds(120))).as(restart.output()).isZero();

        assertThat(restart.output()).containsPattern("unit " + devEui + " tracker-\\d{4}-000001 was left PROGRAMMED by st-crash")
                .contains("type R to resume it").contains("PASS " + devEui);
        Unit u = lf.registry().unit(devEui).orElseThrow();
        assertThat(u.state()).isEqualTo(UnitState.PASSED);
        assertThat(lf.registry().units(UnitQuery.ofWorkOrder(u.workOrderId()))).hasSize(1);
        assertThat(lf.registry().auditLog(100)).anyMatch(a -> a.action().equals("unit.resume") && a.subject().equals(devEui.toString()));
        assertThat(second.readBack().appKey()).contains(lf.vault().unwrapAppKey(u.keys()));

        Path label = labels.resolve(u.serial() + ".zpl"); // named by the serial its product's template gave the unit
        String zpl = Files.readString(label);
        assertThat(zpl).startsWith("^XA").contains(new Labels(lf.registry()).label(u).tr005());
        assertThat(Files.readString(printed)).isEqualTo(zpl);
        assertThat(zpl).doesNotContainIgnoringCase(lf.vault().unwrapAppKey(u.keys()).toHex());
    }

    @Test
    void theOperatorMayVoidTheUnitInsteadAndTheLineGoesOn() throws Exception {
        Eui64 devEui = killStationMidUnit("first");

        Fixture second = fixture("second", new InetSocketAddress("127.0.0.1", js.udpPort()));
        StationProcess restart = station(second, "--unfinished", "void");
        restart.stdin.write("\n".getBytes(StandardCharsets.US_ASCII));
        restart.stdin.close();
        assertThat(restart.waitFor(Duration.ofSeconds(120))).as(restart.output()).isZero();

        assertThat(restart.output()).contains("VOID " + devEui);
        Unit voided = lf.registry().unit(devEui).orElseThrow();
        assertThat(voided.state()).isEqualTo(UnitState.VOID);
        assertThat(voided.keys()).as("a voided unit's keys stay on the server").isNotNull();
        List<Unit> all = lf.registry().units(UnitQuery.ofWorkOrder(voided.workOrderId()));
        assertThat(all).hasSize(2);
        Unit next = all.get(1);
        assertThat(next.devEui()).isNotEqualTo(devEui);
        assertThat(next.state()).isEqualTo(UnitState.PASSED);
    }

    @Test
    void withoutAnAnswerTheUnitStaysForTheNextStart() throws Exception {
        Eui64 devEui = killStationMidUnit("first");
        Fixture second = fixture("second", new InetSocketAddress("127.0.0.1", js.udpPort()));
        StationProcess restart = station(second);
        restart.stdin.close();
        assertThat(restart.waitFor(Duration.ofSeconds(120))).isEqualTo(1);
        assertThat(restart.output()).contains("input ended: the unit stays PROGRAMMED");
        assertThat(lf.registry().unit(devEui).orElseThrow().state()).isEqualTo(UnitState.PROGRAMMED);
    }

    /**
     * Runs a station on a module whose radio never hears an answer, waits until the unit is PROGRAMMED (keys
     * written and read back, the join under way), SIGKILLs the station, and checks the module against the server.
     */
    private Eui64 killStationMidUnit(String name) throws Exception {
        SilentNetwork silent = new SilentNetwork();
        cleanup.add(silent);
        Fixture first = fixture(name, silent.address());
        StationProcess run = station(first);
        run.stdin.write("\n".getBytes(StandardCharsets.US_ASCII));
        run.stdin.flush();
        Unit u = awaitUnit(UnitState.PROGRAMMED, Duration.ofSeconds(60), run);
        run.process.destroyForcibly();
        assertThat(run.process.waitFor(10, TimeUnit.SECONDS)).isTrue();

        Unit after = lf.registry().unit(u.devEui()).orElseThrow();
        assertThat(after.state()).isEqualTo(UnitState.PROGRAMMED);
        assertThat(after.stationId()).isEqualTo("st-crash");
        // The module's own memory, not an AT read-back: the killed station may have left a command's answer in flight
        // on the line, which a read-back would take for the answer to its own query.
        io.lorafab.sim.DeviceIdentity inModule = first.module.programmedIdentity();
        assertThat(inModule.devEui()).isEqualTo(u.devEui());
        assertThat(inModule.appKey()).as("the module holds the key the server holds").isEqualTo(lf.vault().unwrapAppKey(after.keys()));
        first.close();
        return u.devEui();
    }

    private Unit awaitUnit(UnitState state, Duration timeout, StationProcess run) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Unit> u = lf.registry().units(UnitQuery.all()).stream().filter(x -> x.state() == state).findFirst();
            if (u.isPresent()) {
                return u.get();
            }
            assertThat(run.process.isAlive()).as(run.output()).isTrue();
            Thread.sleep(20);
        }
        throw new AssertionError("no unit became " + state + "; station said:\n" + run.output());
    }

    /** A station in its own JVM on the fixture's PTY, taking Enter for each unit from its standard input. */
    private StationProcess station(Fixture f, String... extra) throws IOException {
        List<String> args = new ArrayList<>(List.of(
                "--server", "http://127.0.0.1:" + api.port(), "--order", "WO-C", "--port", f.stationPty.toString(),
                "--dialect", "rak3172", "--allocate", "--station-id", "st-crash", "--join-timeout", "60"));
        args.addAll(List.of(extra));
        StationProcess run = StationProcess.start(token, args);
        cleanup.add(run);
        return run;
    }

    private Fixture fixture(String name, InetSocketAddress network) throws Exception {
        Fixture f = new Fixture(name, network);
        cleanup.add(f);
        return f;
    }

    /** A socat PTY pair with a virtual RAK3172 on one end and the station's port on the other. */
    private final class Fixture implements AutoCloseable {
        final PtyPair pty;
        final Path stationPty;
        final VirtualGateway gateway;
        final SerialPort moduleSide;
        final VirtualRak3172 module;

        Fixture(String name, InetSocketAddress network) throws Exception {
            pty = PtyPair.open(dir.resolve(name + "-station"), dir.resolve(name + "-module"));
            stationPty = pty.stationSide();
            gateway = new VirtualGateway(Eui64.parse("0000000000000c01"), network, Clock.systemUTC(), Duration.ofSeconds(30),
                    VirtualGateway.Timing.COMPRESSED);
            gateway.connect(Duration.ofSeconds(5));
            moduleSide = SerialPort.open(pty.moduleSide(), 115200);
            Files.createDirectories(dir.resolve("nvm"));
            module = new VirtualRak3172(moduleSide.input(), moduleSide.output(), gateway, dir.resolve("nvm"),
                    VirtualRak3172.Behaviour.GOOD);
            Thread t = new Thread(module, "virtual-module-" + name);
            t.setDaemon(true);
            t.start();
        }

        /** What the module holds, asked over its serial line as a station would. */
        ReadBack readBack() throws IOException {
            try (SerialPort port = SerialPort.open(stationPty, 115200);
                    StreamTransport t = new StreamTransport(port.input(), port.output(), StreamTransport.finalLineOf("rak3172-rui3"), "\r\n")) {
                return new Rak3172Rui3(t).readBack();
            }
        }

        @Override
        public void close() throws Exception {
            moduleSide.close();
            gateway.close();
            pty.close();
        }
    }

    /** A Semtech UDP peer that acknowledges the gateway and never answers a join: a radio link that is down. */
    private static final class SilentNetwork implements AutoCloseable {
        final DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());

        SilentNetwork() throws IOException {
            Thread t = new Thread(() -> {
                byte[] buf = new byte[65536];
                while (!socket.isClosed()) {
                    try {
                        DatagramPacket p = new DatagramPacket(buf, buf.length);
                        socket.receive(p);
                        if (p.getLength() >= 4 && (buf[3] == 0x00 || buf[3] == 0x02)) {
                            byte ack = buf[3] == 0x00 ? (byte) 0x01 : (byte) 0x04;
                            socket.send(new DatagramPacket(new byte[] {2, buf[1], buf[2], ack}, 4, p.getSocketAddress()));
                        }
                    } catch (IOException closed) {
                        return;
                    }
                }
            }, "silent-network");
            t.setDaemon(true);
            t.start();
        }

        InetSocketAddress address() {
            return new InetSocketAddress("127.0.0.1", socket.getLocalPort());
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
