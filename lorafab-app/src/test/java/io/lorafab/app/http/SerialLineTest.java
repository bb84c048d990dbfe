package io.lorafab.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.app.wiring.JoinServerRuntime;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.joinserver.JoinServerConfig;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.ProfileId;
import io.lorafab.sim.VirtualGateway;
import io.lorafab.sim.at.VirtualRak3172;
import io.lorafab.station.at.Rak3172Rui3;
import io.lorafab.station.at.SerialPort;
import io.lorafab.station.at.StreamTransport;
import io.lorafab.station.client.StationApiClient;
import io.lorafab.station.line.AtFixture;
import io.lorafab.station.line.UnitOutcome;
import io.lorafab.station.line.UnitRunner;
import io.lorafab.store.model.Assignment;
import io.lorafab.store.model.NewEuiBlock;
import io.lorafab.store.model.NewProduct;
import io.lorafab.store.model.Role;
import io.lorafab.store.model.UnitState;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The line over a real pseudo-terminal: the station drives a virtual RAK3172 with the RUI3 driver through a
 * socat PTY pair; the module's radio joins the real server through a virtual gateway over UDP.
 */
class SerialLineTest {

    @TempDir
    Path dir;

    Lorafab lf;
    ApiServer api;
    JoinServerRuntime js;
    StationApiClient station;

    @BeforeEach
    void start() throws Exception {
        lf = Lorafab.open(null, dir.resolve("data"), Map.of(), Clock.systemUTC());
        var p = lf.registry().createProduct(new NewProduct("tracker", Eui64.parse("70b3d57ed0000001"), MacVersion.V1_0_3, "EU868",
                new ProfileId(1, 4), null, -110.0, -7.5));
        lf.registry().createEuiBlock(new NewEuiBlock("b", p.id(), Assignment.MA_S, "70b3d57ed", Eui64.parse("70b3d57ed0060000"), 100));
        lf.registry().createWorkOrder("WO-L", p.id(), 10);
        api = new ApiServer(lf, "127.0.0.1", 0, 8);
        js = new JoinServerRuntime(lf, JoinServerConfig.defaults().withRateLimits(0, 0), new InetSocketAddress("127.0.0.1", 0), null, api);
        js.start();
        api.start();
        station = new StationApiClient("http://127.0.0.1:" + api.port(), lf.tokens().create("st-pty", Role.OPERATOR, "t").secret(), "st-pty");
    }

    @AfterEach
    void stop() {
        js.close();
        api.close();
        lf.close();
    }

    UnitOutcome runOne(VirtualRak3172.Behaviour behaviour, String name) throws Exception {
        Path stationPty = dir.resolve(name + "-station");
        Path modulePty = dir.resolve(name + "-module");
        Process socat = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + stationPty, "pty,raw,echo=0,link=" + modulePty)
                .redirectErrorStream(true).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!(Files.exists(stationPty) && Files.exists(modulePty)) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            try (VirtualGateway gw = new VirtualGateway(Eui64.parse("0000000000000d01"), new InetSocketAddress("127.0.0.1", js.udpPort()),
                    Clock.systemUTC(), Duration.ofSeconds(8));
                    SerialPort moduleSide = SerialPort.open(modulePty, 115200);
                    SerialPort stationSide = SerialPort.open(stationPty, 115200)) {
                gw.connect(Duration.ofSeconds(5));
                Files.createDirectories(dir.resolve("nvm"));
                Thread module = new Thread(new VirtualRak3172(moduleSide.input(), moduleSide.output(), gw, dir.resolve("nvm"), behaviour),
                        "virtual-module-" + name);
                module.setDaemon(true);
                module.start();
                try (StreamTransport t = new StreamTransport(stationSide.input(), stationSide.output(),
                        StreamTransport.finalLineOf("rak3172-rui3"), "\r\n")) {
                    UnitRunner runner = new UnitRunner(station, new UnitRunner.Settings("WO-L", Duration.ofSeconds(15),
                            Duration.ofSeconds(10), -110.0, -7.5, new byte[] {0x01, 0x02}), System::nanoTime);
                    return runner.run(new AtFixture(new Rak3172Rui3(t)), null);
                }
            }
        } finally {
            socat.destroy();
            socat.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aUnitProgrammedOverAPtyJoinsAndPasses() throws Exception {
        UnitOutcome o = runOne(VirtualRak3172.Behaviour.GOOD, "good");
        assertThat(o.passed()).as(o.line() + " " + o.measurements()).isTrue();
        assertThat(o.measurements()).containsEntry("rssi", -62).containsKey("module");
        assertThat(lf.registry().unit(o.devEui()).orElseThrow().state()).isEqualTo(UnitState.PASSED);
    }

    @Test
    void aModuleThatRejectsTheKeyFails() throws Exception {
        UnitOutcome o = runOne(new VirtualRak3172.Behaviour(-62, 8.5, true, false), "badkey");
        assertThat(o.passed()).isFalse();
        assertThat(o.reasonCode()).isEqualTo("module_error");
        assertThat(String.valueOf(o.measurements().get("moduleError"))).doesNotContainIgnoringCase(
                lf.vault().unwrapAppKey(lf.registry().unit(o.devEui()).orElseThrow().keys()).toHex());
    }

    @Test
    void aUnitOutOfRadioRangeFailsItsJoin() throws Exception {
        UnitOutcome o = runOne(new VirtualRak3172.Behaviour(-62, 8.5, false, true), "far");
        assertThat(o.passed()).isFalse();
        assertThat(o.reasonCode()).isEqualTo("join_failed");
        assertThat(lf.registry().unit(o.devEui()).orElseThrow().state()).isEqualTo(UnitState.FAILED);
    }
}
