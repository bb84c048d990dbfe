package io.lorafab.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.lorawan.types.Eui64;
import io.lorafab.provisioning.service.Reservation;
import io.lorafab.provisioning.service.ReserveRequest;
import io.lorafab.store.model.Assignment;
import io.lorafab.store.model.NewEuiBlock;
import io.lorafab.store.model.Product;
import io.lorafab.store.model.Role;
import io.lorafab.store.model.TestResult;
import io.lorafab.testkit.browser.Chromium;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The line operator's station screen, from units made through the real services, over real HTTP and a real browser. */
class StationScreenTest {
    @TempDir
    Path dir;
    ConsoleFixture f;
    ConsoleHttpTest http;
    final List<byte[]> keys = new ArrayList<>();

    @BeforeEach
    void start() {
        f = new ConsoleFixture(dir);
        f.product("tracker");
        Product p = f.products.byName("tracker");
        f.registry.createEuiBlock(new NewEuiBlock("b", p.id(), Assignment.MA_S, "70b3d57ed", Eui64.parse("70b3d57ed0040000"), 100));
        f.workOrders.create("WO-1", p, 50, "test");
        http = new ConsoleHttpTest();
        http.f = f;
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private Reservation reserve(String station) {
        Reservation r = f.provisioning.reserve(new ReserveRequest("WO-1", station, null, null), "test");
        keys.add(r.appKey().bytes());
        return r;
    }

    private Reservation unit(String station, TestResult result, String reason) {
        Reservation r = reserve(station);
        f.provisioning.markProgrammed(r.unit().devEui(), station, "test");
        f.clock.advance(Duration.ofSeconds(5));
        f.provisioning.finish(r.unit().devEui(), result, reason, "{}", station, "test");
        f.clock.advance(Duration.ofSeconds(5));
        return r;
    }

    private String screen(String cookie) throws Exception {
        HttpResponse<String> r = http.get("/console/stations/st-1", cookie);
        assertThat(r.statusCode()).isEqualTo(200);
        return r.body();
    }

    @Test
    void theScreenShowsPassFailWithReasonAndActionAndAStationFaultIsNotAUnitFailure() throws Exception {
        String cookie = http.signIn(f.token("op", Role.OPERATOR)).cookie();
        assertThat(screen(cookie)).contains("READY", "verdict-idle");

        Reservation passed = unit("st-1", TestResult.PASSED, null);
        String html = screen(cookie);
        assertThat(html).contains("data-verdict=\"pass\"", ">PASS<", passed.unit().devEui().toString());

        Reservation failed = unit("st-1", TestResult.FAILED, "join_not_heard");
        html = screen(cookie);
        assertThat(html).contains("data-verdict=\"fail\"", ">FAIL<", failed.unit().devEui().toString(),
                "no join-request was heard from the unit (radio, antenna)", "→ re-test");

        Reservation faulted = reserve("st-1");
        f.provisioning.markProgrammed(faulted.unit().devEui(), "st-1", "test");
        f.clock.advance(Duration.ofSeconds(5));
        f.provisioning.finish(faulted.unit().devEui(), TestResult.STATION_FAULT, "test_gateway_fault", "{}", "st-1", "test");
        html = screen(cookie);
        assertThat(html).contains("data-verdict=\"fault\"", "STATION FAULT", "check the test gateway")
                .contains("id=\"count-passed\">1<", "id=\"count-failed\">1<", "id=\"count-faults\">1<");

        // the station reports it is reading back the next unit: the screen shows that step
        Reservation next = reserve("st-1");
        f.clock.advance(Duration.ofSeconds(1));
        f.stationSteps.report("st-1", next.unit().devEui().toString(), "read_back");
        html = screen(cookie);
        assertThat(html).contains("data-verdict=\"busy\"", "IN PROGRESS", next.unit().devEui().toString())
                .contains("step step-current\">Read back<");

        // the two-way test's wait for the module's report has a cell of its own
        f.clock.advance(Duration.ofSeconds(1));
        f.stationSteps.report("st-1", next.unit().devEui().toString(), "downlink");
        assertThat(screen(cookie)).contains("step step-current\">Downlink<");
        for (byte[] k : keys) {
            assertThat(html.toLowerCase()).doesNotContain(java.util.HexFormat.of().formatHex(k));
        }
    }

    @Test
    void aMultiUpFixtureShowsEachPositionsVerdictOrStepAndAOneBoardStationShowsNoPositions() throws Exception {
        String cookie = http.signIn(f.token("op", Role.OPERATOR)).cookie();
        Reservation one = reserve("st-1");
        f.stationSteps.report("st-1", one.unit().devEui().toString(), "join");
        assertThat(screen(cookie)).doesNotContain("id=\"positions\"");

        Reservation p1 = reserve("st-1");
        Reservation p2 = reserve("st-1");
        Reservation p3 = reserve("st-1");
        f.stationSteps.report("st-1", p1.unit().devEui().toString(), "finish", 1);
        f.stationSteps.report("st-1", p2.unit().devEui().toString(), "finish", 2);
        f.stationSteps.report("st-1", p3.unit().devEui().toString(), "uplink", 3);
        f.provisioning.markProgrammed(p1.unit().devEui(), "st-1", "test");
        f.provisioning.finish(p1.unit().devEui(), TestResult.PASSED, null, "{}", "st-1", "test");
        f.provisioning.markProgrammed(p2.unit().devEui(), "st-1", "test");
        f.provisioning.finish(p2.unit().devEui(), TestResult.FAILED, "module_error", "{}", "st-1", "test");
        String html = screen(cookie);
        assertThat(html).contains("id=\"positions\"")
                .containsPattern("data-position=\"1\" data-state=\"pass\">[\\s\\S]*?>PASS<[\\s\\S]*?" + p1.unit().devEui())
                .containsPattern("data-position=\"2\" data-state=\"fail\">[\\s\\S]*?>FAIL<[\\s\\S]*?" + p2.unit().devEui())
                .containsPattern("data-position=\"3\" data-state=\"busy\">[\\s\\S]*?>Uplink<[\\s\\S]*?" + p3.unit().devEui())
                .doesNotContain("data-position=\"4\"");
    }

    @Test
    void withoutTheStepsTheScreenShowsTheStepTheServerDerives() throws Exception {
        String cookie = http.signIn(f.token("op", Role.OPERATOR)).cookie();
        Reservation r = reserve("st-1");
        assertThat(screen(cookie)).contains("step step-current\">Program<");
        f.provisioning.markProgrammed(r.unit().devEui(), "st-1", "test");
        assertThat(screen(cookie)).contains("step step-current\">Join<");
    }

    @Test
    void theStationListLinksEachStationAndOpensOneById() throws Exception {
        String cookie = http.signIn(f.token("op", Role.OPERATOR)).cookie();
        reserve("st-1");
        reserve("st 2");
        String list = http.get("/console/stations", cookie).body();
        assertThat(list).contains("href=\"/console/stations/st-1\"", "href=\"/console/stations/st%202\"");
        HttpResponse<String> open = http.get("/console/stations?id=st-9", cookie);
        assertThat(open.headers().firstValue("Location")).contains("/console/stations/st-9");
        assertThat(http.get("/console/stations/st-1?shift=soon", cookie).statusCode()).isEqualTo(400);
    }

    @Test
    void theEventStreamRefusesWithoutASession() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(f.base
                + "/console/stations/st-1/events")).header("Accept", "text/event-stream").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).doesNotContain("station");
    }

    @Test
    void aChangeAtTheStationIsPushedWithinASecond() throws Exception {
        String cookie = http.signIn(f.token("op", Role.OPERATOR)).cookie();
        BlockingQueue<String> events = new ArrayBlockingQueue<>(100);
        HttpResponse<InputStream> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(f.base
                + "/console/stations/st-1/events")).header("Accept", "text/event-stream").header("Cookie", cookie).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(r.statusCode()).isEqualTo(200);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null;) {
                    if (line.startsWith("data:")) {
                        events.add(line);
                    }
                }
            } catch (Exception e) {
                // the test ends the stream
            }
        });
        reader.setDaemon(true);
        reader.start();
        String first = events.poll(5, TimeUnit.SECONDS);
        assertThat(first).contains("READY"); // the whole current state first

        Reservation u = unit("st-1", TestResult.FAILED, "readback_mismatch");
        long t0 = System.nanoTime();
        String next = events.poll(1, TimeUnit.SECONDS);
        assertThat(next).isNotNull().contains("data-verdict=\"fail\"", u.unit().devEui().toString(), "re-test");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(1));
        r.body().close();
    }

    @Test
    void theScreenTurnsPassThenFailLiveInABrowser() {
        String token = f.token("op", Role.OPERATOR);
        try (Chromium browser = new Chromium()) {
            browser.open(f.base + "/console/sign-in").type("#token", token).click("#sign-in");
            browser.open(f.base + "/console/stations/st-1");
            browser.driver().executeScript("window.__noReload = 1;");
            waitFor(browser, "live");
            unit("st-1", TestResult.PASSED, null);
            waitFor(browser, "pass");
            browser.screenshot("station-pass-console");
            unit("st-1", TestResult.FAILED, "join_not_heard");
            waitFor(browser, "fail");
            assertThat(browser.find("#verdict").getText().toLowerCase()).contains("fail", "re-test");
            assertThat(browser.driver().executeScript("return window.__noReload;")).isEqualTo(1L);
            browser.resize(Chromium.PHONE);
            browser.screenshot("station-phone-console");
            browser.assertNoSecrets(keys);
            browser.assertNotShown(List.of(token));
        }
    }

    private static void waitFor(Chromium browser, String verdict) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            Object v = verdict.equals("live")
                    ? browser.driver().executeScript("var e=document.getElementById('station-live');return e&&e.getAttribute('data-live');")
                    : browser.driver().executeScript("var e=document.getElementById('verdict');return e&&e.getAttribute('data-verdict');");
            if (verdict.equals("live") ? "on".equals(v) : verdict.equals(v)) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new AssertionError("the station screen did not show " + verdict + " within 5 s");
    }
}
