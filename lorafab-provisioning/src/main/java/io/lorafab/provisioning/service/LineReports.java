package io.lorafab.provisioning.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lorafab.api.FailureReason;
import io.lorafab.api.model.LineOverview;
import io.lorafab.api.model.OrderRadioView;
import io.lorafab.api.model.OrderUnitRow;
import io.lorafab.api.model.OrderUnitsPage;
import io.lorafab.api.model.ReasonView;
import io.lorafab.api.model.StationActivity;
import io.lorafab.api.model.StationSeen;
import io.lorafab.api.model.UnitTimeline;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.store.Registry;
import io.lorafab.store.ReportStore;
import io.lorafab.store.ReportStore.UnitFilter;
import io.lorafab.store.StoreException;
import io.lorafab.store.join.JoinStore;
import io.lorafab.store.join.RadioEvent;
import io.lorafab.store.model.AuditEvent;
import io.lorafab.store.model.AuditQuery;
import io.lorafab.store.model.OrderYield;
import io.lorafab.store.model.Product;
import io.lorafab.store.model.TestResult;
import io.lorafab.store.model.TestRun;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.UnitQuery;
import io.lorafab.store.model.UnitState;
import io.lorafab.store.model.WorkOrder;
import io.lorafab.store.model.WorkOrderState;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the console's pages and the report routes of the HTTP API show, read in one place: the line overview, a work
 * order's units (paged, filtered, or all of them for a CSV file), its radio figures, a unit's timeline and a station's
 * screen. Nothing here writes. Yields are {@link OrderYield}'s, the registry's one rule; reasons are explained by
 * {@link FailureReason}, so a station's fault never shows as a unit's failure. Time windows are read off the injected
 * clock. The figures of one answer are read statement by statement, not in one transaction: a report refreshed
 * every few seconds must never hold the database's write lock against the stations (SQLite has one writer), and a unit
 * finished between two statements shows in the next refresh.
 */
public final class LineReports {

    /** The shift a station's counts cover when the caller names no start. */
    public static final Duration DEFAULT_SHIFT = Duration.ofHours(8);
    /** Stations seen within this window are "active" on the overview. */
    public static final Duration DEFAULT_ACTIVE_WITHIN = Duration.ofMinutes(15);
    /** Units per page at most. */
    public static final int MAX_PAGE = 1000;
    /** A station screen's "last units". */
    public static final int LAST_UNITS = 10;
    /** Width of the histograms' bins: RSSI in dB, SNR in dB, join latency in ms. */
    static final double RSSI_BIN = 2, SNR_BIN = 1, LATENCY_BIN_MS = 250;
    /** The resolution join latencies are counted at (percentiles are exact to it). */
    static final int LATENCY_RESOLUTION_MS = 10;
    /** Rows a timeline takes of each source at most (audit, test runs, radio events). */
    static final int TIMELINE_MAX = 2000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Registry registry;
    private final JoinStore joins;
    private final Clock clock;

    public LineReports(Registry registry, JoinStore joins, Clock clock) {
        this.registry = registry;
        this.joins = joins;
        this.clock = clock;
    }

    /** The clock's now, for callers that pass it on ({@code overview(reports.now())}). */
    public Instant now() {
        return clock.instant();
    }

    // ---- line overview ------------------------------------------------------------------------------

    /** The line at {@code now}, stations active within {@link #DEFAULT_ACTIVE_WITHIN}. */
    public LineOverview overview(Instant now) {
        return overview(now, DEFAULT_ACTIVE_WITHIN);
    }

    /**
     * The open work orders with their progress and yields (each the registry's {@link OrderYield}), the same figures
     * over all of them, units finished in the hour before {@code now}, failures by reason (Pareto) and by station, and
     * the stations active within {@code activeWithin}.
     */
    public LineOverview overview(Instant now, Duration activeWithin) {
        Registry r = registry;
        {
            List<LineOverview.OrderProgress> orders = new ArrayList<>();
            List<OrderYield> yields = new ArrayList<>();
            for (WorkOrder o : r.workOrders()) {
                if (o.state() != WorkOrderState.OPEN) {
                    continue;
                }
                OrderYield y = r.orderYield(o.id());
                yields.add(y);
                String product = r.product(o.productId()).map(Product::name).orElse(null);
                orders.add(new LineOverview.OrderProgress(o.reference(), product, o.quantity(), y.count(UnitState.RESERVED),
                        y.count(UnitState.PROGRAMMED), y.count(UnitState.PASSED), y.count(UnitState.FAILED), y.count(UnitState.VOID),
                        y.firstPassYield(), y.finalYield()));
            }
            OrderYield line = OrderYield.sum(yields);
            return new LineOverview(now.toString(), orders, line.firstPassYield(), line.finalYield(),
                    r.verdictsSince(now.minus(Duration.ofHours(1))),
                    line.failuresByReason().stream().map(f -> new LineOverview.ReasonCount(FailureReason.explain(f.key()), f.units()))
                            .toList(),
                    line.failuresByStation().stream().map(f -> new LineOverview.StationCount(f.key(), f.units())).toList(),
                    (int) activeWithin.toMinutes(), stations(now, activeWithin));
        }
    }

    /** Stations that reserved, programmed or finished a unit within {@code activeWithin} before {@code now}, latest first. */
    public List<StationSeen> stations(Instant now, Duration activeWithin) {
        return registry.stationsActiveSince(now.minus(activeWithin)).stream()
                .map(s -> new StationSeen(s.stationId(), s.at().toString())).toList();
    }

    // ---- a work order's units ----------------------------------------------------------------------

    /** A filter as people give it (the API's query, the console's form): each value checked, with a one-line error. */
    public static UnitFilter filter(String state, String reason, String station, String from, String to, Instant now) {
        UnitState s = null;
        if (state != null && !state.isBlank()) {
            try {
                s = UnitState.valueOf(state.strip().toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw invalid("state: '" + shown(state) + "' is not a state (RESERVED, PROGRAMMED, PASSED, FAILED or VOID)");
            }
        }
        String why = blankToNull(reason);
        if (why != null && !why.matches("[a-z][a-z0-9_]{0,63}")) {
            throw invalid("reason: '" + shown(why) + "' is not a reason code (snake_case, e.g. join_not_heard)");
        }
        Instant f = AuditQuery.parseTime(from, now, "from");
        Instant t = AuditQuery.parseTime(to, now, "to");
        if (f != null && t != null && !f.isBefore(t)) {
            throw invalid("from (" + f + ") must be before to (" + t + ")");
        }
        return new UnitFilter(s, why, blankToNull(station), f, t);
    }

    /** A page of the order's units that match {@code filter}, after the unit id {@code after}, at most {@code limit}. */
    public OrderUnitsPage orderUnits(String reference, UnitFilter filter, long after, int limit) {
        if (limit < 1 || limit > MAX_PAGE) {
            throw invalid("limit must be 1.." + MAX_PAGE);
        }
        WorkOrder o = order(reference);
        Registry r = registry;
        {
            List<ReportStore.UnitRow> rows = r.orderUnits(o.id(), filter, after, limit);
            long matching = r.countOrderUnits(o.id(), filter);
            return new OrderUnitsPage(o.reference(), rows.stream().map(LineReports::row).toList(), matching,
                    rows.size() == limit ? rows.get(rows.size() - 1).id() : null);
        }
    }

    /**
     * Every unit of the order that matches {@code filter}, by id, handed to {@code each} a page at a time (a CSV file of
     * ten thousand units is written without holding them all).
     */
    public void forEachOrderUnit(String reference, UnitFilter filter, Consumer<OrderUnitRow> each) {
        WorkOrder o = order(reference);
        long after = 0;
        while (true) {
            List<ReportStore.UnitRow> rows = registry.orderUnits(o.id(), filter, after, MAX_PAGE);
            rows.forEach(u -> each.accept(row(u)));
            if (rows.size() < MAX_PAGE) {
                return;
            }
            after = rows.get(rows.size() - 1).id();
        }
    }

    /** The header of {@link #csvLine}. */
    public static final String CSV_HEADER = "dev_eui,serial,state,station,updated_at,test_runs,last_result,reason,reason_words,action";

    /** One unit as a CSV line (RFC 4180 quoting; a cell starting with = + - @ is quoted with a leading ' against formulas). */
    public static String csvLine(OrderUnitRow u) {
        ReasonView r = u.reason();
        return String.join(",", cell(u.devEui()), cell(u.serial()), cell(u.state()), cell(u.stationId()), cell(u.updatedAt()),
                Integer.toString(u.testRuns()), cell(u.lastResult()), cell(r == null ? null : r.code()),
                cell(r == null ? null : r.words()), cell(r == null ? null : r.actionWords()));
    }

    private static String cell(String v) {
        if (v == null) {
            return "";
        }
        String s = !v.isEmpty() && "=+-@".indexOf(v.charAt(0)) >= 0 ? "'" + v : v;
        return s.matches("[^,\"\r\n]*") ? s : "\"" + s.replace("\"", "\"\"") + "\"";
    }

    private static OrderUnitRow row(ReportStore.UnitRow u) {
        ReasonView reason = u.lastResult() == null || u.lastResult() == TestResult.PASSED ? null
                : FailureReason.explain(u.lastReason(), u.lastResult() == TestResult.STATION_FAULT);
        return new OrderUnitRow(u.id(), u.devEui().toString(), u.serial(), u.state().name(), u.stationId(), u.updatedAt().toString(),
                u.testRuns(), u.lastResult() == null ? null : u.lastResult().name(), reason,
                u.lastRunAt() == null ? null : u.lastRunAt().toString());
    }

    // ---- a work order's radio figures ---------------------------------------------------------------

    /**
     * RSSI and SNR of each unit's latest accepted join (bins aligned on the product's minimum), the station's join
     * latencies (percentiles and spread) and the verdicts per hour.
     */
    public OrderRadioView orderRadio(String reference) {
        WorkOrder o = order(reference);
        Product p = registry.product(o.productId()).orElseThrow(() -> StoreException.notFound("product " + o.productId()));
        Registry r = registry;
        {
            OrderRadioView.Histogram rssi = histogram("dBm", p.rssiMinDbm(), RSSI_BIN, r.joinMetric(o.id(), ReportStore.JoinMetric.RSSI));
            OrderRadioView.Histogram snr = histogram("dB", p.snrMinDb(), SNR_BIN, r.joinMetric(o.id(), ReportStore.JoinMetric.SNR));
            List<ReportStore.ValueCount> ms = r.joinLatencyMs(o.id(), LATENCY_RESOLUTION_MS);
            long n = ms.stream().mapToLong(ReportStore.ValueCount::count).sum();
            OrderRadioView.Latency latency = new OrderRadioView.Latency(n, percentile(ms, n, 50), percentile(ms, n, 90),
                    percentile(ms, n, 99), ms.isEmpty() ? null : (long) ms.get(ms.size() - 1).value(),
                    histogram("ms", null, LATENCY_BIN_MS, ms));
            List<OrderRadioView.HourYield> hours = r.verdictsByHour(o.id()).stream()
                    .map(h -> new OrderRadioView.HourYield(h.hour(), h.verdicts(), h.passed(),
                            h.verdicts() == 0 ? null : (double) h.passed() / h.verdicts()))
                    .toList();
            return new OrderRadioView(o.reference(), rssi, snr, latency, hours);
        }
    }

    /**
     * Values counted into bins of {@code width}. With a threshold the bin edges are {@code threshold + k * width}, so
     * the threshold is an edge: a value equal to it (which passes: only a value below fails) opens the first passing bin.
     */
    static OrderRadioView.Histogram histogram(String unit, Double threshold, double width, List<ReportStore.ValueCount> values) {
        double origin = threshold == null ? 0 : threshold;
        Map<Long, Long> byBin = new java.util.TreeMap<>();
        long count = 0;
        long below = 0;
        for (ReportStore.ValueCount v : values) {
            long k = (long) Math.floor((v.value() - origin) / width);
            byBin.merge(k, v.count(), Long::sum);
            count += v.count();
            if (threshold != null && v.value() < threshold) {
                below += v.count();
            }
        }
        List<OrderRadioView.Bin> bins = byBin.entrySet().stream()
                .map(e -> new OrderRadioView.Bin(origin + e.getKey() * width, e.getValue())).toList();
        return new OrderRadioView.Histogram(unit, threshold, width, count, below, bins);
    }

    /** The nearest-rank percentile of counted values in ascending order: the smallest value with p% at or below it. */
    static Long percentile(List<ReportStore.ValueCount> ascending, long n, int p) {
        if (n == 0) {
            return null;
        }
        long rank = Math.max(1, (long) Math.ceil(p / 100.0 * n));
        long seen = 0;
        for (ReportStore.ValueCount v : ascending) {
            seen += v.count();
            if (seen >= rank) {
                return (long) v.value();
            }
        }
        return (long) ascending.get(ascending.size() - 1).value();
    }

    // ---- a unit's timeline -------------------------------------------------------------------------

    /**
     * Everything recorded of the unit, oldest first: its audit records, its test runs with their measurements and the
     * join server's radio events. Ties in time keep that order (the audit record of a finish before its run). No
     * key is read: the unit's wrapped keys stay out of the answer.
     */
    public UnitTimeline unitTimeline(Eui64 devEui) {
        Unit u = registry.unit(devEui).orElseThrow(() -> StoreException.notFound("unit " + devEui));
        List<UnitTimeline.Entry> entries = new ArrayList<>();
        List<AuditEvent> audit = new ArrayList<>(registry.auditLog(new AuditQuery(null, null, devEui.toString(), null, null,
                TIMELINE_MAX)));
        audit.sort(Comparator.comparingLong(AuditEvent::id));
        for (AuditEvent a : audit) {
            ObjectNode d = JSON.createObjectNode().put("actor", a.actor());
            if (a.details() != null) {
                d.put("text", a.details());
            }
            entries.add(new UnitTimeline.Entry(a.at().toString(), a.action(), auditSummary(a), null, d));
        }
        for (TestRun t : registry.testRuns(u.id())) {
            ReasonView reason = t.result() == TestResult.PASSED ? null
                    : FailureReason.explain(t.reasonCode(), t.result() == TestResult.STATION_FAULT);
            String summary = switch (t.result()) {
                case PASSED -> "PASS";
                case FAILED -> "FAIL: " + reason.words() + " (" + reason.actionWords() + ")";
                case STATION_FAULT -> "station fault, not the unit's: " + reason.words() + " (" + reason.actionWords() + ")";
            };
            ObjectNode d = JSON.createObjectNode().put("station", t.stationId()).put("result", t.result().name());
            d.set("measurements", measurements(t.measurementsJson()));
            entries.add(new UnitTimeline.Entry(t.finishedAt().toString(), "test_run", summary + at(t.stationId()), reason, d));
        }
        for (RadioEvent e : joins.events(devEui, 0, TIMELINE_MAX)) {
            ObjectNode d = JSON.createObjectNode();
            d.put("gateway", e.gatewayEui() == null ? null : e.gatewayEui().toString());
            d.put("rssi", e.rssi());
            d.put("snr", e.snr());
            d.put("frequencyHz", e.frequencyHz());
            d.put("datr", e.datr());
            if (e.code() != null) {
                d.put("code", e.code());
            }
            if (e.details() != null) {
                d.set("details", measurements(e.details()));
            }
            ReasonView reason = e.code() == null ? null : FailureReason.explain(e.code());
            entries.add(new UnitTimeline.Entry(e.at().toString(), e.kind(), radioSummary(e, reason), reason, d));
        }
        // stable: equal times keep audit, runs, radio in the order added
        entries.sort(Comparator.comparing(en -> Instant.parse(en.at())));
        String product = u.productId() == null ? null : registry.product(u.productId()).map(Product::name).orElse(null);
        String order = u.workOrderId() == null ? null : registry.workOrder(u.workOrderId()).map(WorkOrder::reference).orElse(null);
        return new UnitTimeline(u.devEui().toString(), u.joinEui().toString(), u.serial(), product, order, u.state().name(),
                u.stationId(), entries);
    }

    private static String auditSummary(AuditEvent a) {
        String what = switch (a.action()) {
            case "unit.reserve" -> "reserved";
            case "unit.resume" -> "resumed by its station";
            case "unit.programmed" -> "programmed and read back";
            case "unit.finish" -> "test finished";
            case "unit.station_fault" -> "test spoiled by the station";
            case "unit.retest" -> "sent to re-test";
            case "unit.reassign" -> "re-assigned to another station";
            case "unit.void" -> "voided";
            case "unit.reset_nonces" -> "DevNonces reset";
            default -> a.action();
        };
        return what + (a.details() == null ? "" : ": " + a.details());
    }

    private static String radioSummary(RadioEvent e, ReasonView reason) {
        StringBuilder s = new StringBuilder(e.kind().replace('_', ' '));
        if (reason != null) {
            s.append(": ").append(reason.words());
        }
        if (e.gatewayEui() != null) {
            s.append(" via ").append(e.gatewayEui());
        }
        if (e.rssi() != null) {
            s.append(", RSSI ").append(e.rssi()).append(" dBm");
        }
        if (e.snr() != null) {
            s.append(", SNR ").append(e.snr()).append(" dB");
        }
        return s.toString();
    }

    private static String at(String station) {
        return station == null ? "" : " at " + station;
    }

    /** Recorded JSON as a tree; text that is not JSON kept under {@code "unparsed"}. */
    private static JsonNode measurements(String text) {
        try {
            JsonNode n = JSON.readTree(text);
            if (n != null && n.isObject()) {
                return n;
            }
        } catch (IOException e) {
            // not JSON: kept as text below
        }
        return JSON.createObjectNode().put("unparsed", text);
    }

    // ---- a station's screen ------------------------------------------------------------------------

    /**
     * What the station {@code stationId} is doing at {@code now}: the unfinished unit it holds that changed last, with
     * its step; its last {@link #LAST_UNITS} test runs; its runs since {@code shiftStart} by result, and units finished
     * (PASSED or FAILED) per hour since then (null when no time has passed).
     *
     * @param shiftStart null: {@link #DEFAULT_SHIFT} before {@code now}
     */
    public StationActivity stationActivity(String stationId, Instant shiftStart, Instant now) {
        String station = blankToNull(stationId);
        if (station == null) {
            throw invalid("station id: missing");
        }
        Instant since = shiftStart == null ? now.minus(DEFAULT_SHIFT) : shiftStart;
        if (!since.isBefore(now)) {
            throw invalid("the shift's start (" + since + ") must be before now (" + now + ")");
        }
        Registry r = registry;
        {
            Map<TestResult, Long> counts = r.stationRunCounts(station, since);
            long passed = counts.getOrDefault(TestResult.PASSED, 0L);
            long failed = counts.getOrDefault(TestResult.FAILED, 0L);
            double hours = Duration.between(since, now).toMillis() / 3_600_000.0;
            List<StationActivity.RecentRun> last = r.stationRuns(station, LAST_UNITS).stream()
                    .map(x -> new StationActivity.RecentRun(x.devEui().toString(), x.serial(), x.result().name(),
                            x.result() == TestResult.PASSED ? null
                                    : FailureReason.explain(x.reasonCode(), x.result() == TestResult.STATION_FAULT),
                            x.at().toString()))
                    .toList();
            return new StationActivity(station, since.toString(), now.toString(), current(r, station).orElse(null), last,
                    new StationActivity.Counts(passed, failed, counts.getOrDefault(TestResult.STATION_FAULT, 0L)),
                    hours <= 0 ? null : (passed + failed) / hours);
        }
    }

    private Optional<StationActivity.Current> current(Registry r, String station) {
        List<Unit> open = new ArrayList<>();
        for (UnitState s : List.of(UnitState.RESERVED, UnitState.PROGRAMMED)) {
            open.addAll(r.units(UnitQuery.all().atStation(station).inState(s)));
        }
        return open.stream().max(Comparator.comparing(Unit::updatedAt).thenComparingLong(Unit::id)).map(u -> {
            String order = u.workOrderId() == null ? null : r.workOrder(u.workOrderId()).map(WorkOrder::reference).orElse(null);
            return new StationActivity.Current(u.devEui().toString(), u.serial(), order, u.state().name(), step(u),
                    u.updatedAt().toString());
        });
    }

    /**
     * The step the server last saw the unit reach: RESERVED is being programmed (and read back); PROGRAMMED waits
     * for its join, then for its first uplink, then for its verdict, told by the radio events after it was
     * programmed.
     */
    private String step(Unit u) {
        if (u.state() == UnitState.RESERVED) {
            return "program";
        }
        String step = "join";
        for (RadioEvent e : joins.events(u.devEui(), 0, TIMELINE_MAX)) {
            if (e.at() == null || e.at().isBefore(u.updatedAt())) {
                continue;
            }
            if (e.kind().equals("join_accepted")) {
                step = "uplink";
            } else if (e.kind().equals("uplink_verified") && step.equals("uplink")) {
                step = "finish";
            }
        }
        return step;
    }

    // ---- helpers -----------------------------------------------------------------------------------

    private WorkOrder order(String reference) {
        String ref = reference == null ? "" : reference.strip();
        return registry.workOrderByReference(ref).orElseThrow(() -> StoreException.notFound("work order '" + ref + "'"));
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String shown(String s) {
        String t = s.strip().replaceAll("[^\\x20-\\x7e]", "?");
        return t.length() > 40 ? t.substring(0, 40) + "..." : t;
    }

    private static StoreException invalid(String message) {
        return new StoreException(io.lorafab.api.ErrorCode.INVALID_INPUT, message);
    }
}
