package io.lorafab.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.ProfileId;
import io.lorafab.sim.VirtualGateway;
import io.lorafab.sim.at.VirtualAtModule;
import io.lorafab.sim.at.VirtualAtModule.Behaviour;
import io.lorafab.sim.at.VirtualModules;
import io.lorafab.station.at.Dialects;
import io.lorafab.station.at.JoinAttempts;
import io.lorafab.station.at.PtyPair;
import io.lorafab.station.at.SerialPort;
import io.lorafab.station.at.StreamTransport;
import io.lorafab.station.client.StationApiClient;
import io.lorafab.station.line.AtFixture;
import io.lorafab.station.line.UnitOutcome;
import io.lorafab.station.line.UnitRunner;
import io.lorafab.store.model.Role;
import io.lorafab.store.model.Unit;
import io.lorafab.testkit.browser.Chromium;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's station screen on a real line, in Chromium: a station drives a virtual RAK3172 over a PTY, its radio
 * joins through a virtual gateway over UDP, and the screen the operator has open turns PASS and then FAIL (a module
 * that rejects its key) by itself, with no page load; then the server stops and starts again on the same port and
 * database, and the same open screen shows the line's state again once its event stream has reconnected.
 */
class StationScreenLineTest {

    static final String STATION = "st-screen";

    @TempDir
    Path dir;

    LineServer server;
    int port;
    PtyPair pty;
    VirtualGateway gw;
    SerialPort moduleSide;
    SerialPort stationSide;
    StreamTransport transport;
    VirtualAtModule module;
    AtFixture fixture;
    UnitRunner runner;
    Chromium browser;
    String operator;

    @BeforeEach
    void start() throws Exception {
        server = LineServer.start(dir.resolve("data"), 0, true);
        port = server.api.port();
        server.workOrder("WO-S", "tracker", Eui64.parse("70b3d57ed0000001"), MacVersion.V1_0_3, new ProfileId(1, 4),
                Eui64.parse("70b3d57ed0080000"));
        operator = server.lf.tokens().create("line-1", Role.OPERATOR, "test").secret();
        StationApiClient station = new StationApiClient(server.url(), operator, STATION);
        Dialects.Entry entry = Dialects.byName("rak3172");
        pty = PtyPair.open(dir.resolve("station"), dir.resolve("module"));
        gw = new VirtualGateway(Eui64.parse("0000000000000f05"), new InetSocketAddress("127.0.0.1", server.js.udpPort()),
                Clock.systemUTC(), Duration.ofSeconds(8), VirtualGateway.Timing.COMPRESSED);
        gw.connect(Duration.ofSeconds(5));
        moduleSide = SerialPort.open(pty.moduleSide(), 115200);
        stationSide = SerialPort.open(pty.stationSide(), 115200);
        module = VirtualModules.byName("rak3172").create(moduleSide.input(), moduleSide.output(), gw,
                Files.createDirectories(dir.resolve("nvm")), Behaviour.GOOD);
        Thread t = new Thread(module, "virtual-module");
        t.setDaemon(true);
        t.start();
        transport = entry.transport(stationSide.input(), stationSide.output());
        fixture = new AtFixture(entry.driver().apply(transport), JoinAttempts.ONCE);
        runner = new UnitRunner(station, new UnitRunner.Settings("WO-S", Duration.ofSeconds(15), Duration.ofSeconds(10), null,
                null, new byte[] {0x01}), System::nanoTime);
        browser = new Chromium();
    }

    @AfterEach
    void stop() throws Exception {
        browser.close();
        transport.close();
        stationSide.close();
        moduleSide.close();
        gw.close();
        pty.close();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void theOpenScreenTurnsPassThenFailLiveAndRecoversAfterAServerRestart() throws Exception {
        browser.open(server.url() + "/console/sign-in").type("#token", operator).click("#sign-in");
        browser.open(server.url() + "/console/stations/" + STATION);
        waitFor("the event stream is open", () -> "on".equals(attr("#station-live", "data-live")));
        browser.driver().executeScript("window.__noReload = 1;");

        UnitOutcome passed = runner.run(fixture, null);
        assertThat(passed.passed()).as(passed.line()).isTrue();
        waitFor("PASS on the screen", () -> "pass".equals(attr("#verdict", "data-verdict")));
        assertThat(browser.find("#verdict").getText()).contains("PASS").contains(passed.devEui().toString());
        assertThat(browser.find("#count-passed").getText()).isEqualTo("1");
        browser.screenshot("line-station-pass");

        module.insertBoard(new Behaviour(-60, 8.0, true, false)); // the next board's module rejects its AppKey
        UnitOutcome failed = runner.run(fixture, null);
        assertThat(failed.passed()).as(failed.line()).isFalse();
        waitFor("FAIL on the screen", () -> "fail".equals(attr("#verdict", "data-verdict")));
        String verdict = browser.find("#verdict").getText();
        assertThat(verdict).contains("FAIL").contains(failed.devEui().toString()).containsIgnoringCase("to rework");
        assertThat(browser.find("#count-failed").getText()).isEqualTo("1");
        assertThat(browser.driver().executeScript("return window.__noReload;")).as("the page was never reloaded").isEqualTo(1L);
        browser.screenshot("line-station-fail");

        // the server goes away and comes back on the same port and database: the open screen reconnects by itself
        server.close();
        server = null;
        waitFor("the screen notices the server is gone", () -> !"on".equals(attr("#station-live", "data-live")));
        server = LineServer.start(dir.resolve("data"), port, true);
        waitFor("the stream is open again", () -> "on".equals(attr("#station-live", "data-live")));
        assertThat(attr("#verdict", "data-verdict")).isEqualTo("fail");
        assertThat(browser.find("#verdict").getText()).contains(failed.devEui().toString());
        assertThat(browser.find("#count-passed").getText()).isEqualTo("1");
        assertThat(browser.driver().executeScript("return window.__noReload;")).isEqualTo(1L);

        List<byte[]> keys = new ArrayList<>();
        for (Unit u : List.of(unit(passed), unit(failed))) {
            keys.add(server.lf.vault().unwrapAppKey(u.keys()).bytes());
        }
        browser.assertNoSecrets(keys);
    }

    private Unit unit(UnitOutcome o) {
        return server.lf.registry().unit(o.devEui()).orElseThrow();
    }

    private String attr(String css, String name) {
        try {
            return browser.find(css).getAttribute(name);
        } catch (RuntimeException stale) {
            return null; // replaced by the next fragment between find and read
        }
    }

    private static void waitFor(String what, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (Boolean.TRUE.equals(condition.get())) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not seen within 20 s: " + what);
    }
}
