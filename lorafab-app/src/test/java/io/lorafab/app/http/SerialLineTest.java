package io.lorafab.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.app.wiring.JoinServerRuntime;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.joinserver.JoinServerConfig;
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

    UnitOutcome runOne(String dialect, Behaviour behaviour, String name) throws Exception {
        Dialects.Entry entry = Dialects.byName(dialect);
        Path nvm = Files.createDirectories(dir.resolve("nvm"));
        try (PtyPair pty = PtyPair.open(dir.resolve(name + "-station"), dir.resolve(name + "-module"));
                VirtualGateway gw = new VirtualGateway(Eui64.parse("0000000000000d01"), new InetSocketAddress("127.0.0.1", js.udpPort()),
                        Clock.systemUTC(), Duration.ofSeconds(8));
                SerialPort moduleSide = SerialPort.open(pty.moduleSide(), 115200);
                SerialPort stationSide = SerialPort.open(pty.stationSide(), 115200)) {
            gw.connect(Duration.ofSeconds(5));
            Thread module = new Thread(VirtualModules.byName(dialect).create(moduleSide.input(), moduleSide.output(), gw, nvm, behaviour),
                    "virtual-module-" + name);
            module.setDaemon(true);
            module.start();
            try (StreamTransport t = new StreamTransport(stationSide.input(), stationSide.output(),
                    StreamTransport.finalLineOf(entry.transportName()), "\r\n")) {
                UnitRunner runner = new UnitRunner(station, new UnitRunner.Settings("WO-L", Duration.ofSeconds(15),
                        Duration.ofSeconds(10), -110.0, -7.5, new byte[] {0x01, 0x02}), System::nanoTime);
                return runner.run(entry.driver().apply(t), null);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"rak3172", "lora-e5"})
    void aUnitProgrammedOverAPtyJoinsAndPasses(String dialect) throws Exception {
        UnitOutcome o = runOne(dialect, Behaviour.GOOD, "good");
        assertThat(o.passed()).as(o.line() + " " + o.measurements()).isTrue();
        assertThat(o.measurements()).containsEntry("rssi", -62).containsKey("module");
        assertThat(String.valueOf(o.measurements().get("module"))).startsWith(Dialects.byName(dialect).transportName());
        assertThat(lf.registry().unit(o.devEui()).orElseThrow().state()).isEqualTo(UnitState.PASSED);
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
        assertThat(o.reasonCode()).isEqualTo("join_failed");
        assertThat(lf.registry().unit(o.devEui()).orElseThrow().state()).isEqualTo(UnitState.FAILED);
    }
}
