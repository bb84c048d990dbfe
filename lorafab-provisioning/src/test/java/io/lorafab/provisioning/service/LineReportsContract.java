package io.lorafab.provisioning.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.lorafab.api.model.LineOverview;
import io.lorafab.api.model.OrderRadioView;
import io.lorafab.api.model.OrderUnitRow;
import io.lorafab.api.model.OrderUnitsPage;
import io.lorafab.api.model.StationActivity;
import io.lorafab.api.model.UnitTimeline;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.ProfileId;
import io.lorafab.store.ReportStore.UnitFilter;
import io.lorafab.store.StoreException;
import io.lorafab.store.jdbc.Database;
import io.lorafab.store.jdbc.JdbcJoinStore;
import io.lorafab.store.jdbc.JdbcRegistry;
import io.lorafab.store.join.RadioEvent;
import io.lorafab.store.model.Assignment;
import io.lorafab.store.model.NewProduct;
import io.lorafab.store.model.Product;
import io.lorafab.store.model.TestResult;
import io.lorafab.store.model.UnitState;
import io.lorafab.store.vault.Kek;
import io.lorafab.store.vault.KekRing;
import io.lorafab.store.vault.LocalKeyVault;
import io.lorafab.testkit.MutableClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The reports' figures, on each database (a subclass names it), made through the real services: reserve, programmed,
 * finish, and radio events recorded by the join store.
 */
abstract class LineReportsContract {

    static final String ACTOR = "test:station";
    static final Instant T0 = Instant.parse("2026-12-06T08:00:00Z");

    protected abstract String freshUrl();

    protected abstract void dropUrl(String url);

    String url;
    MutableClock clock;
    JdbcRegistry registry;
    JdbcJoinStore joins;
    Provisioning units;
    WorkOrders orders;
    LineReports reports;
    Product sensor;

    @BeforeEach
    void open() {
        url = freshUrl();
        clock = new MutableClock(T0);
        registry = new JdbcRegistry(Database.open(url), clock);
        joins = new JdbcJoinStore(registry.database(), clock);
        SecureRandom random = new SecureRandom();
        LocalKeyVault vault = new LocalKeyVault(KekRing.of(List.of(new Kek("test-kek", new byte[32]))), registry);
        units = new Provisioning(registry, vault, random, Provisioning::plainDevEui);
        orders = new WorkOrders(registry, clock);
        reports = new LineReports(registry, joins, clock);
        sensor = new Products(registry).create(new NewProduct("sensor", Eui64.parse("70b3d57ed0000001"), MacVersion.V1_0_3,
                Region.byName("EU868"), ProfileId.parse("12340001"), null, -110.0, -5.0), null, ACTOR);
        new EuiBlocks(registry).create(EuiBlocks.describe("b", Assignment.MA_S, "70b3d57ed", null, 100_000L), null, ACTOR);
    }

    @AfterEach
    void close() {
        registry.close();
        dropUrl(url);
    }

    // ---- making units --------------------------------------------------------------------------------

    Reservation reserve(String order, String station) {
        return units.reserve(new ReserveRequest(order, station, null, null), ACTOR);
    }

    /** A unit reserved, programmed and finished at {@code station} with each result in turn (re-tests between). */
    Eui64 unit(String order, String station, Object... runs) {
        Eui64 eui = reserve(order, station).unit().devEui();
        units.markProgrammed(eui, station, ACTOR);
        for (int i = 0; i < runs.length; i += 2) {
            TestResult result = (TestResult) runs[i];
            String reason = (String) runs[i + 1];
            if (i > 0 && registry.unit(eui).orElseThrow().state() == UnitState.FAILED) {
                units.retest(eui, station, "re-seated", ACTOR);
                units.markProgrammed(eui, station, ACTOR);
            }
            units.finish(eui, result, reason, "{\"joinMs\":1200}", station, ACTOR);
        }
        return eui;
    }

    void joined(Eui64 eui, int rssi, double snr) {
        joins.record(RadioEvent.of(eui, "join_accepted", null, Eui64.parse("aa555a0000000001"), rssi, snr, 868_100_000L, "SF7BW125",
                "{\"devNonce\":1}"));
    }

    static final TestResult PASS = TestResult.PASSED, FAIL = TestResult.FAILED, FAULT = TestResult.STATION_FAULT;

    // ---- overview: yields and Pareto -------------------------------------------------------------------

    @Test
    void theOverviewsYieldsAreTheRegistrysFirstPassAndFinalYieldOverTheOpenOrders() {
        orders.create("WO-A", sensor, 10, ACTOR);
        orders.create("WO-B", sensor, 10, ACTOR);
        orders.create("WO-C", sensor, 10, ACTOR);
        unit("WO-A", "st-1", PASS, null);                                  // first pass
        unit("WO-A", "st-1", FAIL, "join_not_heard", PASS, null);          // passes on re-test
        unit("WO-B", "st-2", FAIL, "rssi_below_threshold");                // fails
        unit("WO-B", "st-2", FAULT, "test_gateway_fault", PASS, null);     // a station fault is no verdict: first pass
        unit("WO-C", "st-2", FAIL, "mic_mismatch");                        // closed order: not on the overview
        orders.close(orders.byReference("WO-C"), null, ACTOR);

        LineOverview o = reports.overview(clock.instant());

        assertThat(o.orders()).extracting(LineOverview.OrderProgress::reference).containsExactly("WO-A", "WO-B");
        LineOverview.OrderProgress a = o.orders().get(0);
        assertThat(a.passed()).isEqualTo(2);
        assertThat(a.firstPassYield()).isEqualTo(0.5);
        assertThat(a.finalYield()).isEqualTo(1.0);
        // over both open orders: 4 tested, 2 first-pass; 3 passed of 4 with a verdict
        assertThat(o.firstPassYield()).isEqualTo(0.5);
        assertThat(o.finalYield()).isEqualTo(0.75);
        // the same rule as GET /api/orders/{ref}
        assertThat(a.firstPassYield()).isEqualTo(orders.report(orders.byReference("WO-A")).yield().firstPassYield());
        // units finished in the last hour are the line's, closed orders included: 6 verdicts, the fault not one
        assertThat(o.unitsLastHour()).isEqualTo(6);
    }

    @Test
    void theParetoListsMostUnitsFirstTiesByCodeAndNeverAStationFault() {
        orders.create("WO-A", sensor, 20, ACTOR);
        unit("WO-A", "st-1", FAIL, "snr_below_threshold");
        unit("WO-A", "st-1", FAIL, "join_not_heard");
        unit("WO-A", "st-2", FAIL, "join_not_heard");
        unit("WO-A", "st-2", FAIL, "join_not_heard");
        unit("WO-A", "st-2", FAIL, "device_rx_failed");
        unit("WO-A", "st-2", FAULT, "test_gateway_fault");
        unit("WO-A", "st-1", FAIL, "join_not_heard", FAIL, "mic_mismatch"); // counted once, by its latest failure

        LineOverview o = reports.overview(clock.instant());

        assertThat(o.failuresByReason()).extracting(r -> r.reason().code() + "=" + r.units())
                .containsExactly("join_not_heard=3", "device_rx_failed=1", "mic_mismatch=1", "snr_below_threshold=1");
        assertThat(o.failuresByReason().get(0).reason().words()).contains("no join-request");
        assertThat(o.failuresByReason().get(0).reason().actionWords()).isEqualTo("re-test");
        assertThat(o.failuresByStation()).extracting(s -> s.station() + "=" + s.units()).containsExactly("st-1=3", "st-2=3");
    }

    // ---- histograms ---------------------------------------------------------------------------------

    @Test
    void histogramBinsAreAlignedOnTheThresholdSoAValueAtTheThresholdCountsAsPassing() {
        orders.create("WO-A", sensor, 10, ACTOR);
        // product: RSSI at least -110 dBm, SNR at least -5 dB; bins of 2 dB and 1 dB
        int[] rssi = {-111, -110, -109, -108, -112};
        double[] snr = {-5.25, -5.0, -4.0, 7.5, -6.0};
        for (int i = 0; i < rssi.length; i++) {
            Eui64 eui = unit("WO-A", "st-1", PASS, null);
            joined(eui, -50, 10.0); // an earlier join of the unit: only the latest counts
            joined(eui, rssi[i], snr[i]);
        }
        OrderRadioView r = reports.orderRadio("WO-A");

        assertThat(r.rssi().threshold()).isEqualTo(-110.0);
        assertThat(r.rssi().bins()).extracting(b -> b.lower() + ":" + b.count())
                .containsExactly("-112.0:2", "-110.0:2", "-108.0:1");
        assertThat(r.rssi().count()).isEqualTo(5);
        assertThat(r.rssi().belowThreshold()).isEqualTo(2);
        assertThat(r.snr().bins()).extracting(b -> b.lower() + ":" + b.count())
                .containsExactly("-6.0:2", "-5.0:1", "-4.0:1", "7.0:1"); // -6.0 and -5.25 fail: one bin below -5
        assertThat(r.snr().belowThreshold()).isEqualTo(2);
    }

    @Test
    void joinLatencyPercentilesAreByNearestRankAndATextThatIsNotJsonIsSkipped() {
        orders.create("WO-A", sensor, 20, ACTOR);
        for (int ms = 100; ms <= 1000; ms += 100) {
            Eui64 eui = reserve("WO-A", "st-1").unit().devEui();
            units.markProgrammed(eui, "st-1", ACTOR);
            units.finish(eui, PASS, null, "{\"joinMs\":" + ms + ",\"rssi\":-80}", "st-1", ACTOR);
        }
        Eui64 odd = reserve("WO-A", "st-1").unit().devEui();
        units.markProgrammed(odd, "st-1", ACTOR);
        units.finish(odd, FAIL, "timeout", "joinMs was not measured", "st-1", ACTOR);

        OrderRadioView.Latency l = reports.orderRadio("WO-A").joinLatency();

        assertThat(l.count()).isEqualTo(10);
        assertThat(List.of(l.p50Ms(), l.p90Ms(), l.p99Ms(), l.maxMs())).containsExactly(500L, 900L, 1000L, 1000L);
        assertThat(l.histogram().bins()).extracting(b -> b.lower() + ":" + b.count())
                .containsExactly("0.0:2", "250.0:2", "500.0:3", "750.0:2", "1000.0:1");
    }

    @Test
    void yieldOverTimeCountsVerdictsPerUtcHour() {
        orders.create("WO-A", sensor, 20, ACTOR);
        unit("WO-A", "st-1", PASS, null);
        unit("WO-A", "st-1", FAIL, "timeout");
        clock.advance(Duration.ofMinutes(75));
        unit("WO-A", "st-1", PASS, null);
        unit("WO-A", "st-1", FAULT, "server_refused");

        assertThat(reports.orderRadio("WO-A").yieldByHour()).extracting(h -> h.hour() + " " + h.verdicts() + " " + h.yield())
                .containsExactly("2026-12-06T08 2 0.5", "2026-12-06T09 1 1.0");
    }

    // ---- an order's units: filters and paging -------------------------------------------------------

    @Test
    void unitsAreFilteredByStateReasonStationAndTimeAndPagedById() {
        orders.create("WO-A", sensor, 20, ACTOR);
        Eui64 p1 = unit("WO-A", "st-1", PASS, null);
        Eui64 f1 = unit("WO-A", "st-1", FAIL, "join_not_heard");
        clock.advance(Duration.ofMinutes(30));
        Eui64 f2 = unit("WO-A", "st-2", FAIL, "join_not_heard");
        Eui64 f3 = unit("WO-A", "st-2", FAIL, "module_error");
        Eui64 r1 = reserve("WO-A", "st-2").unit().devEui();

        assertThat(euis(new UnitFilter(UnitState.FAILED, null, null, null, null))).containsExactly(f1, f2, f3);
        assertThat(euis(new UnitFilter(null, "join_not_heard", null, null, null))).containsExactly(f1, f2);
        assertThat(euis(new UnitFilter(null, null, "st-2", null, null))).containsExactly(f2, f3, r1);
        assertThat(euis(new UnitFilter(null, null, null, T0.plus(Duration.ofMinutes(30)), null))).containsExactly(f2, f3, r1);
        assertThat(euis(new UnitFilter(null, null, null, null, T0.plusMillis(1)))).containsExactly(p1, f1);

        OrderUnitsPage first = reports.orderUnits("WO-A", UnitFilter.NONE, 0, 2);
        assertThat(first.matching()).isEqualTo(5);
        assertThat(first.units()).extracting(OrderUnitRow::devEui).containsExactly(p1.toString(), f1.toString());
        OrderUnitsPage second = reports.orderUnits("WO-A", UnitFilter.NONE, first.next(), 2);
        OrderUnitsPage third = reports.orderUnits("WO-A", UnitFilter.NONE, second.next(), 2);
        assertThat(third.units()).extracting(OrderUnitRow::devEui).containsExactly(r1.toString());
        assertThat(third.next()).isNull();

        OrderUnitRow failed = first.units().get(1);
        assertThat(failed.lastResult()).isEqualTo("FAILED");
        assertThat(failed.reason().code()).isEqualTo("join_not_heard");
        assertThat(failed.testRuns()).isEqualTo(1);
    }

    List<Eui64> euis(UnitFilter f) {
        return reports.orderUnits("WO-A", f, 0, LineReports.MAX_PAGE).units().stream().map(u -> Eui64.parse(u.devEui())).toList();
    }

    @Test
    void everyFilteredUnitIsStreamedPastOnePageAndRendersAsCsv() {
        orders.create("WO-A", sensor, LineReports.MAX_PAGE + 5, ACTOR);
        for (int i = 0; i < LineReports.MAX_PAGE + 3; i++) {
            reserve("WO-A", "st-1");
        }
        List<OrderUnitRow> all = new ArrayList<>();
        reports.forEachOrderUnit("WO-A", new UnitFilter(UnitState.RESERVED, null, null, null, null), all::add);
        assertThat(all).hasSize(LineReports.MAX_PAGE + 3);
        assertThat(LineReports.csvLine(all.get(0))).startsWith(all.get(0).devEui() + ",").contains(",RESERVED,st-1,");
    }

    @Test
    void badFilterValuesAreRefusedWithOneLineNamingTheValue() {
        Instant now = clock.instant();
        assertThatThrownBy(() -> LineReports.filter("BROKEN", null, null, null, null, now)).isInstanceOf(StoreException.class)
                .hasMessageContaining("state: 'BROKEN' is not a state");
        assertThatThrownBy(() -> LineReports.filter(null, "Join Not Heard", null, null, null, now)).hasMessageContaining("reason:");
        assertThatThrownBy(() -> LineReports.filter(null, null, null, "yesterday", null, now)).hasMessageContaining("from: 'yesterday'");
        assertThatThrownBy(() -> LineReports.filter(null, null, null, "1h", "2h", now)).hasMessageContaining("must be before");
        assertThat(LineReports.filter("failed", " join_not_heard ", "", "2h", null, now))
                .isEqualTo(new UnitFilter(UnitState.FAILED, "join_not_heard", null, now.minus(Duration.ofHours(2)), null));
    }

    // ---- a unit's timeline ----------------------------------------------------------------------------

    @Test
    void aUnitsTimelineIsInTimeOrderWithRunsRadioAndAuditAndNoKeyMaterial() throws Exception {
        orders.create("WO-A", sensor, 5, ACTOR);
        Reservation res = reserve("WO-A", "st-1");
        Eui64 eui = res.unit().devEui();
        clock.advance(Duration.ofSeconds(5));
        units.markProgrammed(eui, "st-1", ACTOR);
        clock.advance(Duration.ofSeconds(2));
        joins.record(RadioEvent.of(eui, "join_rejected", "mic_mismatch", Eui64.parse("aa555a0000000001"), -90, 8.0, 868_100_000L,
                "SF7BW125", "{\"devNonce\":1}"));
        clock.advance(Duration.ofSeconds(1));
        units.finish(eui, FAIL, "mic_mismatch", "{\"joinMs\":900}", "st-1", ACTOR);
        clock.advance(Duration.ofSeconds(30));
        units.retest(eui, "st-1", "re-seated the board", ACTOR);

        UnitTimeline t = reports.unitTimeline(eui);

        assertThat(t.entries()).extracting(UnitTimeline.Entry::kind)
                .containsExactly("unit.reserve", "unit.programmed", "join_rejected", "unit.finish", "test_run", "unit.retest");
        assertThat(t.entries().get(2).summary()).contains("other keys").contains("RSSI -90 dBm");
        assertThat(t.entries().get(4).reason().actionWords()).isEqualTo("re-test");
        assertThat(t.entries().get(4).details().get("measurements").get("joinMs").asInt()).isEqualTo(900);
        String all = new ObjectMapper().writeValueAsString(t).toLowerCase();
        assertThat(all).doesNotContain(res.appKey().toHex().toLowerCase());
        assertThat(all).doesNotContain(registry.unit(eui).orElseThrow().keys().kekLabel() + "\"");
        assertThat(all).doesNotContain(io.lorafab.lorawan.types.Hex.format(registry.unit(eui).orElseThrow().keys().appKey()).toLowerCase());
    }

    // ---- a station's screen -------------------------------------------------------------------------

    @Test
    void aStationsCountsAndUnitsPerHourCoverItsShiftAndItsCurrentUnitShowsItsStep() {
        orders.create("WO-A", sensor, 20, ACTOR);
        unit("WO-A", "st-1", PASS, null);                       // before the shift: not counted
        clock.advance(Duration.ofHours(1));
        Instant shift = clock.instant();
        unit("WO-A", "st-1", PASS, null);
        unit("WO-A", "st-1", FAIL, "join_not_heard");
        unit("WO-A", "st-1", FAULT, "test_gateway_fault");      // stays PROGRAMMED: the station's current unit
        unit("WO-A", "st-2", PASS, null);                       // another station
        clock.advance(Duration.ofMinutes(30));

        StationActivity s = reports.stationActivity("st-1", shift, clock.instant());

        assertThat(s.counts()).isEqualTo(new StationActivity.Counts(1, 1, 1));
        assertThat(s.unitsPerHour()).isEqualTo(4.0);            // 2 verdicts in half an hour
        assertThat(s.lastUnits()).extracting(StationActivity.RecentRun::result)
                .containsExactly("STATION_FAULT", "FAILED", "PASSED", "PASSED");
        assertThat(s.lastUnits().get(0).reason().unitFault()).isFalse();
        assertThat(s.lastUnits().get(0).reason().actionWords()).isEqualTo("check the test gateway");
        assertThat(s.current().state()).isEqualTo("PROGRAMMED");
        assertThat(s.current().step()).isEqualTo("join");
        joined(Eui64.parse(s.current().devEui()), -80, 5.0);
        assertThat(reports.stationActivity("st-1", shift, clock.instant()).current().step()).isEqualTo("uplink");

        Eui64 next = reserve("WO-A", "st-1").unit().devEui();
        assertThat(reports.stationActivity("st-1", null, clock.instant()).current())
                .extracting(StationActivity.Current::devEui, StationActivity.Current::step).containsExactly(next.toString(), "program");
    }

    @Test
    void activeStationsAreThoseSeenWithinTheWindowLatestFirst() {
        orders.create("WO-A", sensor, 20, ACTOR);
        unit("WO-A", "st-old", PASS, null);
        clock.advance(Duration.ofMinutes(20));
        unit("WO-A", "st-1", PASS, null);
        clock.advance(Duration.ofMillis(1500));
        reserve("WO-A", "st-2");

        assertThat(reports.stations(clock.instant(), Duration.ofMinutes(15))).extracting(s -> s.stationId() + " " + s.lastActivity())
                .containsExactly("st-2 2026-12-06T08:20:01.500Z", "st-1 2026-12-06T08:20:00Z");
    }
}
