package io.lorafab.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.api.model.GatewayStat;
import io.lorafab.api.model.GatewayView;
import io.lorafab.api.model.GatewaysView;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.ProfileId;
import io.lorafab.provisioning.service.AuditTrail;
import io.lorafab.provisioning.service.EuiBlocks;
import io.lorafab.provisioning.service.LineReports;
import io.lorafab.provisioning.service.Reservation;
import io.lorafab.provisioning.service.ReserveRequest;
import io.lorafab.store.join.RadioEvent;
import io.lorafab.store.model.Assignment;
import io.lorafab.store.model.AuditEvent;
import io.lorafab.store.model.NewProduct;
import io.lorafab.store.model.Product;
import io.lorafab.store.model.Role;
import io.lorafab.store.model.TestResult;
import io.lorafab.store.model.UnitState;
import io.lorafab.testkit.browser.Chromium;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebElement;

/**
 * The production engineer's pages in a real Chromium over data made through the real services: a product with an RSSI
 * and SNR minimum, an order whose units were reserved, programmed and tested (PASS and FAIL with measurements), and
 * the radio events the join server would have recorded.
 */
class EngineerPagesBrowserTest extends BrowserTest {
    static final String STATION = "test:station";
    static final Eui64 GATEWAY = Eui64.parse("aa555a0000000001");
    Product sensor;
    /** Every unit's root keys: no page may show any of them. */
    final List<byte[]> keys = new ArrayList<>();
    /** The units made, by a name the test gives them. */
    final Map<String, Eui64> units = new LinkedHashMap<>();

    @BeforeEach
    void start() {
        sensor = f.products.create(new NewProduct("sensor", Eui64.parse("70b3d57ed0000001"), MacVersion.V1_0_3, Region.byName("EU868"),
                ProfileId.parse("12340001"), null, -110.0, -5.0), null, STATION);
        new EuiBlocks(f.registry).create(EuiBlocks.describe("b", Assignment.MA_S, "70b3d57ed", null, 100_000L), null, STATION);
    }

    void signIn(Role role) {
        browser.open(f.base + "/console/sign-in").type("#token", f.token("eng-" + role.name().toLowerCase(), role)).click("#sign-in");
    }

    // ---- the line's data -----------------------------------------------------------------------------------

    Reservation reserve(String order, String station) {
        Reservation r = f.provisioning.reserve(new ReserveRequest(order, station, null, null), STATION);
        keysOf(r);
        f.clock.advance(Duration.ofSeconds(20));
        return r;
    }

    /** A reservation's root keys (a LoRaWAN 1.0.x unit has no NwkKey). */
    void keysOf(Reservation r) {
        keys.add(r.appKey().bytes());
        if (r.nwkKey() != null) {
            keys.add(r.nwkKey().bytes());
        }
    }

    /** A unit reserved, programmed and tested at {@code station}: each result in turn, re-tested between them. */
    Eui64 unit(String name, String order, String station, int rssi, double snr, Object... runs) {
        Eui64 eui = reserve(order, station).unit().devEui();
        units.put(name, eui);
        f.provisioning.markProgrammed(eui, station, STATION);
        f.clock.advance(Duration.ofSeconds(20));
        for (int i = 0; i < runs.length; i += 2) {
            if (i > 0) {
                Reservation again = f.provisioning.retest(eui, station, "re-seated", STATION);
                keysOf(again);
                f.clock.advance(Duration.ofSeconds(20));
                f.provisioning.markProgrammed(eui, station, STATION);
                f.clock.advance(Duration.ofSeconds(20));
            }
            f.joinStore.record(RadioEvent.of(eui, "join_accepted", null, GATEWAY, rssi, snr, 868_100_000L, "SF7BW125", "{\"devNonce\":" + i + "}"));
            f.clock.advance(Duration.ofSeconds(5));
            f.provisioning.finish(eui, (TestResult) runs[i], (String) runs[i + 1],
                    "{\"rssi\":" + rssi + ",\"snr\":" + snr + ",\"joinMs\":" + (900 + 100 * units.size()) + "}", station, STATION);
            f.clock.advance(Duration.ofSeconds(30));
        }
        return eui;
    }

    static final TestResult PASS = TestResult.PASSED, FAIL = TestResult.FAILED;

    /**
     * WO-A (20): three units pass first time, two fail with join_not_heard, one with rssi_below_threshold, one fails
     * and passes on re-test, one is reserved and one programmed. WO-B (5): one unit passes.
     */
    void line() {
        f.workOrders.create("WO-A", sensor, 20, STATION);
        f.workOrders.create("WO-B", sensor, 5, STATION);
        unit("pass1", "WO-A", "st-1", -80, 9.5, PASS, null);
        unit("pass2", "WO-A", "st-1", -95, 6.0, PASS, null);
        unit("pass3", "WO-A", "st-2", -101, 2.0, PASS, null);
        unit("deaf1", "WO-A", "st-2", -104, -2.0, FAIL, "join_not_heard");
        unit("deaf2", "WO-A", "st-2", -106, -3.0, FAIL, "join_not_heard");
        unit("weak", "WO-A", "st-1", -113, -6.5, FAIL, "rssi_below_threshold");
        unit("retested", "WO-A", "st-1", -99, 4.0, FAIL, "join_not_heard", PASS, null);
        units.put("reserved", reserve("WO-A", "st-3").unit().devEui());
        Eui64 programmed = reserve("WO-A", "st-3").unit().devEui();
        f.provisioning.markProgrammed(programmed, "st-3", STATION);
        units.put("programmed", programmed);
        unit("other", "WO-B", "st-1", -70, 10.0, PASS, null);
    }

    // ---- the line overview ---------------------------------------------------------------------------------

    @Test
    void theLineShowsTheOpenOrdersYieldsTheParetoMostUnitsFirstAndTheGatewaysHealth() {
        line();
        f.gateways.set(gatewaysView());
        signIn(Role.ENGINEER);
        browser.open(f.base + "/console/line");

        // WO-A and WO-B: 8 units tested, 4 first time; 5 passed of 8 with a verdict
        assertThat(browser.find("#fpy").getText()).isEqualTo("50.0 %");
        assertThat(browser.find("#final-yield").getText()).isEqualTo("62.5 %");
        assertThat(browser.find("#units-hour").getText()).isEqualTo("9"); // 8 units' last verdicts and the first of the re-tested
        List<WebElement> orders = browser.findAll("#open-orders tbody tr");
        assertThat(orders).extracting(r -> r.findElement(By.cssSelector("td")).getText()).containsExactly("WO-A", "WO-B");
        assertThat(orders.get(0).getText()).contains("sensor", "20", "42.9 %", "57.1 %");
        // Pareto: join_not_heard (3 units: the re-tested one counts, though it passed since), then rssi_below_threshold
        assertThat(browser.findAll("#pareto tbody tr")).extracting(r -> r.getAttribute("data-reason"))
                .containsExactly("join_not_heard", "rssi_below_threshold");
        assertThat(browser.find("#pareto tbody tr").getText()).contains("no join-request was heard", "3", "re-test");
        assertThat(browser.findAll("#by-station tbody tr")).extracting(WebElement::getText).containsExactly("st-1 2", "st-2 2");
        assertThat(browser.findAll("#stations tbody tr")).extracting(r -> r.findElement(By.cssSelector("td")).getText())
                .containsExactlyInAnyOrder("st-1", "st-2", "st-3");
        assertThat(browser.find("#gateway-health").getText()).contains("aa555a0000000001", "2 min ago", "aa555a0000000002");
        assertThat(browser.find("#gateway-health tbody tr.warn").getText()).contains("aa555a0000000002", "3", "1");
        browser.screenshot("line");
        browser.assertNoSecrets(keys);

        // a Pareto row's order link lists that order's units of the reason
        browser.find("#pareto tbody tr[data-reason='rssi_below_threshold'] a.order-link").click();
        waitForPath("/console/orders/WO-A");
        assertThat(unitRows()).containsExactly(units.get("weak").toString());
    }

    // ---- a work order ---------------------------------------------------------------------------------------

    @Test
    void theOrderPageFiltersByStateAndReasonPagesAndItsCsvHoldsTheSameRows() throws Exception {
        line();
        signIn(Role.ENGINEER);
        browser.open(f.base + "/console/orders");
        assertThat(browser.findAll("#orders tbody tr")).hasSize(2);
        browser.assertNoSecrets(keys);
        browser.click("#orders a[href='/console/orders/WO-A']");
        assertThat(browser.find("#order-fpy").getText()).isEqualTo("42.9 %");
        assertThat(browser.find("#units-count").getText()).startsWith("9 units match");
        assertThat(unitRows()).hasSize(9);

        // by state: the form is a GET, so the filtered view is an address to share
        new org.openqa.selenium.support.ui.Select(browser.find("#f-state")).selectByValue("FAILED");
        browser.click("#apply-filter");
        assertThat(browser.url()).contains("state=FAILED");
        assertThat(unitRows()).containsExactlyInAnyOrder(units.get("deaf1").toString(), units.get("deaf2").toString(),
                units.get("weak").toString());
        assertThat(browser.find("#units-table").getText()).contains("no join-request was heard", "re-test",
                "signal too weak (RSSI below the product's minimum)", "to rework");

        // by reason: the order's Pareto row leads there
        browser.click("#pareto tbody tr[data-reason='join_not_heard'] td a");
        assertThat(browser.url()).contains("state=FAILED", "reason=join_not_heard");
        assertThat(unitRows()).containsExactlyInAnyOrder(units.get("deaf1").toString(), units.get("deaf2").toString());

        // the CSV of this filter, fetched with the session cookie, holds the shown rows
        String csvHref = browser.find("#csv").getAttribute("href");
        assertThat(csvHref).contains("/console/orders/WO-A/units.csv?state=FAILED&reason=join_not_heard");
        HttpResponse<String> csv = get(csvHref);
        assertThat(csv.statusCode()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type").orElse("")).startsWith("text/csv");
        List<String> lines = csv.body().lines().toList();
        assertThat(lines.get(0)).isEqualTo(LineReports.CSV_HEADER);
        assertThat(lines.subList(1, lines.size())).extracting(l -> l.split(",")[0]).containsExactlyElementsOf(unitRows());
        assertThat(lines.get(1)).contains("FAILED", "join_not_heard", "re-test");

        // paging: three at a time, then the rest, the filter kept
        browser.open(f.base + "/console/orders/WO-A?limit=4");
        List<String> first = unitRows();
        assertThat(first).hasSize(4);
        browser.click("#next-page");
        List<String> second = unitRows();
        assertThat(second).hasSize(4).doesNotContainAnyElementsOf(first);
        browser.click("#next-page");
        assertThat(unitRows()).hasSize(1);
        assertThat(browser.findAll("#next-page")).isEmpty();
        browser.click("#first-page");
        assertThat(unitRows()).isEqualTo(first);
        // and the whole CSV holds all pages
        assertThat(get(f.base + "/console/orders/WO-A/units.csv").body().lines().count()).isEqualTo(10);

        // a bad filter is a one-line message, not an error page
        browser.open(f.base + "/console/orders/WO-A?from=yesterday");
        assertThat(browser.find("#filter-error").getText()).startsWith("from:");
        browser.assertNoSecrets(keys);
    }

    @Test
    void theOrderPageDrawsTheRssiAndSnrHistogramsWithTheProductsMinimumAndKeepsTheirTables() {
        line();
        signIn(Role.ENGINEER);
        browser.open(f.base + "/console/orders/WO-A");
        waitFor("#rssi-chart[data-drawn='true'] canvas");
        assertThat(browser.find("#rssi-chart").getAttribute("data-threshold-drawn")).isEqualTo("-110");
        assertThat(browser.find("#snr-chart").getAttribute("data-threshold-drawn")).isEqualTo("-5");
        assertThat(browser.findAll("#snr-chart .uplot canvas")).isNotEmpty();
        assertThat(browser.findAll("#latency-chart .uplot")).isNotEmpty();
        assertThat(browser.findAll("#yield-chart .uplot")).isNotEmpty();
        // the same figures as a table: one unit below -110 dBm (-113), in the only failing bin
        assertThat(browser.find("#rssi-figure figcaption").getText()).contains("minimum -110 dBm: 1 of 7 below");
        assertThat(browser.findAll("#rssi-bins tr.below")).hasSize(1);
        assertThat(browser.find("#latency-percentiles").getText()).contains("median");
        browser.screenshot("order");
        browser.assertNoSecrets(keys);
        browser.resize(Chromium.PHONE);
        browser.open(f.base + "/console/orders/WO-A");
        waitFor("#rssi-chart[data-drawn='true']");
        browser.screenshot("order-phone");
    }

    // ---- a unit ---------------------------------------------------------------------------------------------

    @Test
    void theUnitPageShowsItsIdentityLabelAndEverythingThatHappenedToItInOrder() {
        line();
        Eui64 eui = units.get("retested");
        f.joinStore.record(RadioEvent.of(eui, "uplink_verified", null, GATEWAY, -98, 4.5, 868_300_000L, "SF7BW125", null));
        signIn(Role.ENGINEER);
        browser.open(f.base + "/console/orders/WO-A");
        browser.click("#units-table a[href='/console/units/" + eui + "']");
        assertThat(browser.find("#identity").getText()).contains(eui.toString(), "70b3d57ed0000001", "sensor", "WO-A", "PASSED");
        assertThat(browser.findAll("#timeline li")).extracting(li -> li.getAttribute("data-kind")).containsExactly(
                "unit.reserve", "unit.programmed", "join_accepted", "unit.finish", "test_run", "unit.retest", "unit.programmed",
                "join_accepted", "unit.finish", "test_run", "uplink_verified");
        String timeline = browser.find("#timeline").getText();
        assertThat(timeline).contains("FAIL: no join-request was heard", "PASS at st-1", "sent to re-test", "gateway", "aa555a0000000001",
                "rssi", "-99", "snr", "4.0", "frequencyHz", "868100000", "SF7BW125", "joinMs");
        // the label preview is the unit's TR005 QR code, served by the console
        WebElement img = browser.find("#label-preview img");
        assertThat((Boolean) browser.driver().executeScript("return arguments[0].complete && arguments[0].naturalWidth > 0", img)).isTrue();
        assertThat(browser.find("#label-preview").getText()).contains("sensor");
        browser.screenshot("unit");
        browser.assertNoSecrets(keys);
    }

    @Test
    void reTestAndVoidAskForAReasonAndAConfirmationAndWriteTheSameAuditRecordsAsTheApi() {
        line();
        String token = f.token("eng-bob", Role.ENGINEER);
        browser.open(f.base + "/console/sign-in").type("#token", token).click("#sign-in");
        String actor = f.sessions.signIn(token).session().principal().actor();
        Eui64 weak = units.get("weak");

        // without a reason: refused on the form, nothing done
        browser.open(f.base + "/console/units/" + weak);
        browser.type("#retest-reason", " ").click("#retest");
        assertThat(browser.find("#retest-error").getText()).isEqualTo("Give a reason: it goes into the audit record.");
        // with one: a confirmation page first; cancel leaves the unit as it was
        browser.type("#retest-reason", "antenna re-seated").click("#retest");
        assertThat(browser.find("#confirm").getText()).contains("Re-test unit?", weak.toString(), "st-1", "antenna re-seated");
        browser.assertNoSecrets(keys);
        browser.click("#cancel");
        assertThat(f.registry.unit(weak).orElseThrow().state()).isEqualTo(UnitState.FAILED);
        browser.type("#retest-reason", "antenna re-seated").click("#retest");
        browser.click("#confirm-action");
        assertThat(browser.path()).isEqualTo("/console/units/" + weak);
        assertThat(browser.find(".flash").getText()).isEqualTo("Unit " + weak + " sent to re-test at st-1.");
        // it stays FAILED until its station tests it again; the timeline ends with the re-test
        assertThat(browser.find("#unit-state").getText()).isEqualTo("FAILED");
        List<WebElement> entries = browser.findAll("#timeline li");
        assertThat(entries.get(entries.size() - 1).getText()).contains("sent to re-test", "antenna re-seated");

        // a PASSED unit cannot be re-tested: the service's one line on the form
        Eui64 passed = units.get("pass1");
        browser.open(f.base + "/console/units/" + passed);
        browser.type("#retest-reason", "again").click("#retest");
        browser.click("#confirm-action");
        assertThat(browser.find("#retest-error").getText()).contains("PASSED").doesNotContain("Exception");

        // void, confirmed
        Eui64 deaf = units.get("deaf1");
        browser.open(f.base + "/console/units/" + deaf);
        browser.type("#void-reason", "cracked housing").click("#void");
        assertThat(browser.find("#confirm").getText()).contains("Void unit?", "cracked housing");
        browser.click("#confirm-action");
        assertThat(browser.find("#unit-state").getText()).isEqualTo("VOID");
        browser.assertNoSecrets(keys);

        // the API calls the same services with the same actor: do so on twin units and compare the records
        Eui64 twinFailed = units.get("deaf2");
        f.provisioning.retest(twinFailed, "st-1", "antenna re-seated", actor);
        Eui64 twinVoid = unit("twin", "WO-A", "st-2", -104, -2.0, FAIL, "join_not_heard");
        f.provisioning.voidUnit(twinVoid, "cracked housing", actor);
        assertThat(audit(weak, "unit.retest")).isEqualTo(audit(twinFailed, "unit.retest")
                .replace("previous_station=st-2", "previous_station=st-1"));
        assertThat(audit(weak, "unit.retest")).contains(actor, "station=st-1", "reason=antenna re-seated");
        assertThat(audit(deaf, "unit.void")).isEqualTo(audit(twinVoid, "unit.void"));
        assertThat(audit(deaf, "unit.void")).contains(actor, "cracked housing");
    }

    /** The unit's one audit record of {@code action}: actor, action and details (the subject, its DevEUI, left out). */
    String audit(Eui64 unit, String action) {
        List<AuditEvent> events = f.auditTrail.find(new AuditTrail.Filter(null, action, unit, null, null, null), n -> n);
        assertThat(events).hasSize(1);
        AuditEvent e = events.get(0);
        return e.actor() + " " + e.action() + " " + e.details();
    }

    // ---- gateways -------------------------------------------------------------------------------------------

    @Test
    void theGatewaysPageShowsLastSeenStatCountersAndRefusedDownlinksByTxAckError() {
        signIn(Role.ENGINEER);
        browser.open(f.base + "/console/gateways");
        assertThat(browser.text()).contains("This server has no gateway listener");
        f.gateways.set(gatewaysView());
        browser.open(f.base + "/console/gateways");
        assertThat(browser.findAll("#gateways tbody tr")).hasSize(3);
        assertThat(browser.find("#gateways").getText()).contains("Basics Station", "connected", "station 2.0.6(rpi/std), model rpi",
                "Semtech UDP");
        assertThat(browser.find("#gateways").getText()).contains("aa555a0000000001", "2 min ago", "127.0.0.1", "rx 12, ok 11, fwd 11, tx 2");
        assertThat(browser.findAll("#refused tbody tr")).extracting(WebElement::getText)
                .containsExactly("COLLISION_PACKET 1", "NO_TX_ACK 1", "TOO_LATE 2");
        assertThat(browser.find("#counters").getText()).contains("push_data 40", "join accepted 9");
        browser.screenshot("gateways");
    }

    GatewaysView gatewaysView() {
        String now = f.clock.instant().toString();
        String before = f.clock.instant().minus(Duration.ofMinutes(2)).toString();
        GatewayStat stat = new GatewayStat(before, null, null, null, 12L, 11L, 11L, 100.0, 2L, 2L);
        return new GatewaysView(List.of(
                new GatewayView("aa555a0000000001", before, before, before, true, 30, 10, 11, 1, 2, 2, 0, 0, "127.0.0.1", 0, 0, null, null,
                        stat, GatewayView.SEMTECH_UDP, null, null),
                new GatewayView("aa555a0000000002", before, now, now, true, 10, 5, 4, 0, 4, 3, 3, 1, "127.0.0.2", 0, 0, null, null, null,
                        GatewayView.SEMTECH_UDP, null, null),
                new GatewayView("b827ebfffe61f47d", before, now, null, true, 0, 0, 7, 0, 1, 1, 0, 0, "127.0.0.3:40000", 0, 0, null,
                        null, null, GatewayView.BASICS_STATION, true,
                        new GatewayView.StationInfo("2.0.6(rpi/std)", "rpi", 2, "rmtsh gps", "", before, null))),
                new java.util.TreeMap<>(Map.of("push_data", 40L, "pull_data", 15L, "tx_ack", 5L, "tx_ack_error_too_late", 2L,
                        "tx_ack_error_collision_packet", 1L, "tx_timeout", 1L, "malformed", 0L)),
                Map.of("accepted", 9L), Map.of(), null);
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    /** The DevEUIs of the units table's rows, in order. */
    List<String> unitRows() {
        return browser.findAll("#units-table tbody tr").stream().map(r -> r.findElement(By.cssSelector("td")).getText()).toList();
    }

    HttpResponse<String> get(String url) throws Exception {
        Cookie c = browser.driver().manage().getCookieNamed(Console.SESSION_COOKIE);
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url.startsWith("http") ? url : f.base + url))
                .header("Cookie", Console.SESSION_COOKIE + "=" + c.getValue()).build(), HttpResponse.BodyHandlers.ofString());
    }

    void waitFor(String css) {
        new org.openqa.selenium.support.ui.WebDriverWait(browser.driver(), Duration.ofSeconds(10))
                .until(d -> !d.findElements(By.cssSelector(css)).isEmpty());
    }

    void waitForPath(String path) {
        new org.openqa.selenium.support.ui.WebDriverWait(browser.driver(), Duration.ofSeconds(10)).until(d -> browser.path().equals(path));
    }
}
