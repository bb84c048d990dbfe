package io.lorafab.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lorafab.api.FailureReason;
import io.lorafab.api.model.GatewayView;
import io.lorafab.api.model.GatewaysView;
import io.lorafab.api.model.LineOverview;
import io.lorafab.api.model.OrderRadioView;
import io.lorafab.api.model.OrderUnitsPage;
import io.lorafab.api.model.UnitTimeline;
import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.provisioning.label.LabelData;
import io.lorafab.provisioning.label.LabelLayout;
import io.lorafab.provisioning.label.LabelSheet;
import io.lorafab.provisioning.label.QrImage;
import io.lorafab.provisioning.service.Labels;
import io.lorafab.provisioning.service.LineReports;
import io.lorafab.store.ReportStore.UnitFilter;
import io.lorafab.store.StoreException;
import io.lorafab.store.model.Role;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.UnitState;
import io.lorafab.store.model.WorkOrder;
import io.lorafab.store.model.OrderYield;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The production engineer's views: the line ({@code /console/line}), the work orders and one order's units, radio
 * histograms and yield ({@code /console/orders}, {@code /console/orders/{ref}}, its CSV), a unit's identity, label and
 * timeline with the re-test and void actions ({@code /console/units/{devEui}}), and the gateways
 * ({@code /console/gateways}). Every figure comes from {@link LineReports} and the other services, the same the API
 * serves; the actions call the same {@code Provisioning} methods as the API, so their audit records are the same.
 */
public final class EngineerPages implements ConsolePages {
    /** Units per page of an order's table. */
    static final int PAGE = 50;
    /** The module size of the label preview's QR code, in pixels. */
    static final int QR_PIXELS = 5;
    /** Empty bins a chart fills in between its first and last, at most. */
    static final int MAX_CHART_BINS = 400;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Console.Services s;
    private final Clock clock;

    EngineerPages(Console.Services services, Clock clock) {
        this.s = services;
        this.clock = clock;
    }

    @Override
    public void register(ConsoleRoutes r) {
        r.get(Nav.LINE.path(), Nav.LINE.role(), this::line);
        r.get(Nav.ORDERS.path(), Nav.ORDERS.role(), this::orders);
        r.get("/console/orders/{ref}", Role.ENGINEER, this::order);
        r.get("/console/orders/{ref}/units.csv", Role.ENGINEER, this::orderCsv);
        r.get("/console/units/{devEui}", Role.ENGINEER, this::unit);
        r.get("/console/units/{devEui}/label.png", Role.ENGINEER, this::labelPng);
        r.get("/console/units/{devEui}/label.pdf", Role.ENGINEER, this::labelPdf);
        // the API's roles for these actions (ApiRoutes.RETEST and VOID): operator and up
        r.post("/console/units/{devEui}/retest", Role.OPERATOR, c -> action(c, Action.RETEST));
        r.post("/console/units/{devEui}/void", Role.OPERATOR, c -> action(c, Action.VOID));
        r.get(Nav.GATEWAYS.path(), Nav.GATEWAYS.role(), this::gateways);
    }

    // ---- the line ---------------------------------------------------------------------------------------------

    /** The line page: the overview and the gateways in brief (null: no gateway listener on this server). */
    public record LineModel(LineOverview line, List<GatewayBrief> gateways, boolean listener, long refusedDownlinks, Instant now) {
        public long paretoMax() {
            return line.failuresByReason().stream().mapToLong(LineOverview.ReasonCount::units).max().orElse(1);
        }

        /** The width class (0..20, steps of 5 %) of a bar of {@code units} against the largest. */
        public int bar(long units) {
            return (int) Math.round(20.0 * units / Math.max(1, paretoMax()));
        }

        /** An order's done share (passed + failed + void of its quantity) as a width class 0..20. */
        public int done(LineOverview.OrderProgress o) {
            long done = o.passed() + o.failed() + o.voided();
            return o.quantity() == 0 ? 0 : (int) Math.min(20, Math.round(20.0 * done / o.quantity()));
        }
    }

    /** A gateway as the line page shows it: last seen, and downlinks it refused (TX_ACK error) or left unacknowledged. */
    public record GatewayBrief(String eui, String lastSeen, long txErrors, long txTimeouts) {
    }

    private void line(ConsoleContext c) {
        Instant now = clock.instant();
        GatewaysView g = s.gateways().get();
        List<GatewayBrief> brief = g == null ? List.of()
                : g.gateways().stream().map(v -> new GatewayBrief(v.eui(), v.lastSeen(), v.txErrors(), v.txTimeouts())).toList();
        c.render("line.jte", "Line", new LineModel(s.reports().overview(now), brief, g != null,
                g == null ? 0 : refusedTotals(g).values().stream().mapToLong(Long::longValue).sum(), now));
    }

    // ---- work orders ------------------------------------------------------------------------------------------

    /** A row of the orders list. */
    public record OrderRow(String reference, String product, String state, int quantity, long passed, long failed, long voided,
            long unfinished, Double firstPassYield, Double finalYield, String createdAt) {
    }

    private void orders(ConsoleContext c) {
        c.render("orders.jte", "Orders", s.workOrders().all().stream().map(this::row).toList());
    }

    /** The units filter as the form holds it (blank: no bound), and as a query string. */
    public record Filter(String state, String reason, String station, String from, String to, String limit) {
        static Filter of(ConsoleContext c) {
            return new Filter(t(c.queryParam("state")), t(c.queryParam("reason")), t(c.queryParam("station")), t(c.queryParam("from")),
                    t(c.queryParam("to")), t(c.queryParam("limit")));
        }

        /** The page size asked for ({@code limit}), else {@link #PAGE}. */
        int pageSize() {
            if (limit.isEmpty()) {
                return PAGE;
            }
            try {
                return Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("limit: expected a number of units per page, 1.." + LineReports.MAX_PAGE);
            }
        }

        private static String t(String v) {
            return v == null ? "" : v.strip();
        }

        /** {@code state=FAILED&reason=join_not_heard}: the filters given, for links that keep them. */
        public String query() {
            StringBuilder q = new StringBuilder();
            add(q, "state", state);
            add(q, "reason", reason);
            add(q, "station", station);
            add(q, "from", from);
            add(q, "to", to);
            add(q, "limit", limit);
            return q.toString();
        }

        private static void add(StringBuilder q, String name, String v) {
            if (!v.isEmpty()) {
                q.append(q.length() == 0 ? "" : "&").append(name).append('=').append(Fmt.q(v));
            }
        }

        public boolean any() {
            return !query().isEmpty();
        }

        /** Whether a filter narrows the units (the page size does not). */
        public boolean narrows() {
            return !(state + reason + station + from + to).isEmpty();
        }
    }

    /** A reason in the filter's list. */
    public record ReasonOption(String code, String words) {
    }

    /** A histogram as a table and a chart. */
    public record Chart(String id, String title, OrderRadioView.Histogram histogram, String json) {
        /** Whether a bin holds values below the product's minimum (bins are aligned on it: all of them or none). */
        public boolean below(OrderRadioView.Bin b) {
            return histogram.threshold() != null && b.lower() < histogram.threshold();
        }

        /** {@code -110 to -108}: the bin's range in the histogram's unit (from included, to excluded). */
        public String range(OrderRadioView.Bin b) {
            return Fmt.num(b.lower()) + " to " + Fmt.num(b.lower() + histogram.binWidth());
        }
    }

    /**
     * One work order: its summary, the units table (null when the filter was refused, {@code error} says why), the
     * radio figures with their charts' data.
     */
    public record OrderModel(OrderRow order, Filter filter, String error, OrderUnitsPage units, long after, List<ReasonOption> reasons,
            List<String> states, List<LineOverview.ReasonCount> pareto, OrderRadioView radio, List<Chart> histograms, String yieldJson) {
        public long paretoMax() {
            return pareto.stream().mapToLong(LineOverview.ReasonCount::units).max().orElse(1);
        }

        public int bar(long units) {
            return (int) Math.round(20.0 * units / Math.max(1, paretoMax()));
        }

        public String base() {
            return "/console/orders/" + Fmt.seg(order.reference());
        }

        public String csvUrl() {
            return base() + "/units.csv" + (filter.any() ? "?" + filter.query() : "");
        }

        public String nextUrl() {
            return units == null || units.next() == null ? null
                    : base() + "?" + (filter.any() ? filter.query() + "&" : "") + "after=" + units.next() + "#units";
        }

        public String firstUrl() {
            return after == 0 ? null : base() + (filter.any() ? "?" + filter.query() : "") + "#units";
        }

        /** The units filtered by a reason code: where a Pareto row leads. */
        public String byReason(String code) {
            return base() + "?state=FAILED&reason=" + Fmt.q(code) + "#units";
        }
    }

    private WorkOrder order(String ref) {
        try {
            return s.workOrders().byReference(ref);
        } catch (StoreException e) {
            throw notFound(e, "There is no work order " + ref + ".");
        }
    }

    private OrderRow row(WorkOrder o) {
        var rep = s.workOrders().report(o);
        OrderYield y = rep.yield();
        return new OrderRow(o.reference(), rep.product() == null ? null : rep.product().name(), o.state().name(), o.quantity(),
                y.count(UnitState.PASSED), y.count(UnitState.FAILED), y.count(UnitState.VOID),
                y.count(UnitState.RESERVED) + y.count(UnitState.PROGRAMMED), y.firstPassYield(), y.finalYield(),
                o.createdAt() == null ? null : o.createdAt().toString());
    }

    private void order(ConsoleContext c) {
        WorkOrder o = order(c.pathParam("ref"));
        Filter f = Filter.of(c);
        String error = null;
        OrderUnitsPage page = null;
        long after = 0;
        try {
            after = parseAfter(c.queryParam("after"));
            UnitFilter uf = LineReports.filter(f.state(), f.reason(), f.station(), f.from(), f.to(), s.reports().now());
            page = s.reports().orderUnits(o.reference(), uf, after, f.pageSize());
        } catch (StoreException | LorawanFormatException | IllegalArgumentException e) {
            error = e.getMessage();
        }
        OrderRadioView radio = s.reports().orderRadio(o.reference());
        List<Chart> charts = List.of(new Chart("rssi", "RSSI of each unit's latest join", radio.rssi(), histogramJson("RSSI", radio.rssi())),
                new Chart("snr", "SNR of each unit's latest join", radio.snr(), histogramJson("SNR", radio.snr())),
                new Chart("latency", "Join latency at the station", radio.joinLatency().histogram(),
                        histogramJson("Join latency", radio.joinLatency().histogram())));
        List<ReasonOption> reasons = Arrays.stream(FailureReason.values()).map(r -> new ReasonOption(r.code(), r.words())).toList();
        List<String> states = Arrays.stream(UnitState.values()).map(Enum::name).toList();
        List<LineOverview.ReasonCount> pareto = s.workOrders().report(o).yield().failuresByReason().stream()
                .map(x -> new LineOverview.ReasonCount(FailureReason.explain(x.key()), x.units())).toList();
        c.render(error == null ? 200 : 400, "order.jte", "Order " + o.reference(),
                new OrderModel(row(o), f, error, page, after, reasons, states, pareto, radio, charts, yieldJson(radio)));
    }

    private static long parseAfter(String v) {
        if (v == null || v.isBlank()) {
            return 0;
        }
        try {
            long a = Long.parseLong(v.strip());
            if (a >= 0) {
                return a;
            }
        } catch (NumberFormatException e) {
            // worded below
        }
        throw new IllegalArgumentException("after: expected the number of the page's last unit, got '"
                + (v.length() > 20 ? v.substring(0, 20) + "…" : v) + "'");
    }

    /** The data charts.js draws as bars: bin lower edges, counts, width, the product's threshold (null: none). */
    static String histogramJson(String label, OrderRadioView.Histogram h) {
        ObjectNode n = JSON.createObjectNode().put("kind", "hist").put("label", label).put("unit", h.unit()).put("binWidth", h.binWidth());
        if (h.threshold() == null) {
            n.putNull("threshold");
        } else {
            n.put("threshold", h.threshold());
        }
        ArrayNode x = n.putArray("x");
        ArrayNode y = n.putArray("y");
        // empty bins between the first and the last as zeros, so that every bar is one bin wide (up to a bound)
        List<OrderRadioView.Bin> bins = h.bins();
        long span = bins.isEmpty() ? 0 : Math.round((bins.get(bins.size() - 1).lower() - bins.get(0).lower()) / h.binWidth());
        if (span > 0 && span <= MAX_CHART_BINS) {
            Map<Long, Long> byIndex = new TreeMap<>();
            double origin = bins.get(0).lower();
            bins.forEach(b -> byIndex.put(Math.round((b.lower() - origin) / h.binWidth()), b.count()));
            for (long k = 0; k <= span; k++) {
                x.add(origin + k * h.binWidth());
                y.add(byIndex.getOrDefault(k, 0L));
            }
        } else {
            bins.forEach(b -> {
                x.add(b.lower());
                y.add(b.count());
            });
        }
        return n.toString();
    }

    /** The yield per hour as a line: x the hour's start in epoch seconds, y the yield in percent. */
    static String yieldJson(OrderRadioView radio) {
        ObjectNode n = JSON.createObjectNode().put("kind", "line").put("label", "Yield").put("unit", "%");
        ArrayNode x = n.putArray("x");
        ArrayNode y = n.putArray("y");
        for (OrderRadioView.HourYield h : radio.yieldByHour()) {
            x.add(Instant.parse(h.hour() + ":00:00Z").getEpochSecond());
            if (h.yield() == null) {
                y.addNull();
            } else {
                y.add(Math.round(h.yield() * 1000) / 10.0);
            }
        }
        return n.toString();
    }

    /** The CSV of the units the same filter shows, every page of them, streamed (LineReports.CSV_HEADER, csvLine). */
    private void orderCsv(ConsoleContext c) throws IOException {
        WorkOrder o = order(c.pathParam("ref"));
        Filter f = Filter.of(c);
        UnitFilter uf;
        try {
            uf = LineReports.filter(f.state(), f.reason(), f.station(), f.from(), f.to(), s.reports().now());
        } catch (StoreException e) {
            c.http().status(400).contentType("text/plain; charset=utf-8").result(e.getMessage() + "\n");
            return;
        }
        var http = c.http();
        http.contentType("text/csv; charset=utf-8");
        http.header("Content-Disposition", "attachment; filename=\"" + o.reference().replaceAll("[^A-Za-z0-9._-]", "_") + "-units.csv\"");
        try (Writer w = new BufferedWriter(new OutputStreamWriter(http.outputStream(), StandardCharsets.UTF_8))) {
            w.write(LineReports.CSV_HEADER);
            w.write("\r\n");
            s.reports().forEachOrderUnit(o.reference(), uf, u -> {
                try {
                    w.write(LineReports.csvLine(u));
                    w.write("\r\n");
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    // ---- a unit ----------------------------------------------------------------------------------------------

    /** A timeline entry as shown: its details flattened to {@code name → value} pairs. */
    public record EntryView(UnitTimeline.Entry entry, List<Map.Entry<String, String>> details) {
    }

    /** What a form of the unit page holds after a refusal (to show it again with the message). */
    public record ActionForm(String station, String reason, String error) {
        static final ActionForm EMPTY = new ActionForm("", "", null);
    }

    /** The unit page. {@code labelNote} non-null: why its label is not printed without asking. */
    public record UnitModel(UnitTimeline unit, List<EntryView> entries, LabelData label, String labelError, String labelNote,
            boolean canAct, ActionForm retest, ActionForm voiding) {
        public String base() {
            return "/console/units/" + unit.devEui();
        }
    }

    private Eui64 eui(ConsoleContext c) {
        String v = c.pathParam("devEui");
        try {
            return Eui64.parse(v);
        } catch (LorawanFormatException e) {
            throw new NotFound("'" + (v.length() > 24 ? v.substring(0, 24) + "…" : v) + "' is not a DevEUI (16 hex digits).");
        }
    }

    private Unit unitOf(Eui64 eui) {
        try {
            return s.provisioning().unit(eui);
        } catch (StoreException e) {
            throw notFound(e, "There is no unit " + eui + ".");
        }
    }

    private void unit(ConsoleContext c) {
        renderUnit(c, 200, eui(c), ActionForm.EMPTY, ActionForm.EMPTY);
    }

    private void renderUnit(ConsoleContext c, int status, Eui64 eui, ActionForm retest, ActionForm voiding) {
        Unit u = unitOf(eui);
        UnitTimeline t = s.reports().unitTimeline(eui);
        List<EntryView> entries = t.entries().stream().map(e -> new EntryView(e, flatten(e.details()).stream()
                // an audit record's text is already in its summary
                .filter(d -> !(d.getKey().equals("text") && e.summary().endsWith(d.getValue()))).toList())).toList();
        LabelData label = null;
        String labelError = null;
        try {
            label = s.labels().labelOf(u, true);
        } catch (StoreException e) {
            labelError = e.getMessage();
        }
        String note = Labels.needsExplicitRequest(u.state())
                ? "This unit is " + u.state() + ": its label is printed only when asked for explicitly, so that it does not pass for a good one."
                : null;
        ActionForm r = retest.station().isEmpty() && retest.error() == null
                ? new ActionForm(t.stationId() == null ? "" : t.stationId(), "", null) : retest;
        c.render(status, "unit.jte", "Unit " + eui, new UnitModel(t, entries, label, labelError, note, c.allows(Role.OPERATOR), r,
                voiding));
    }

    /** Details as {@code key → value} rows in their recorded order, nested objects as dotted keys ({@code measurements.rssi}). */
    static List<Map.Entry<String, String>> flatten(JsonNode n) {
        List<Map.Entry<String, String>> list = new ArrayList<>();
        walk("", n, list);
        return list;
    }

    private static void walk(String prefix, JsonNode n, List<Map.Entry<String, String>> out) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return;
        }
        if (n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> f = it.next();
                walk(prefix.isEmpty() ? f.getKey() : prefix + "." + f.getKey(), f.getValue(), out);
            }
            return;
        }
        out.add(Map.entry(prefix, n.isValueNode() ? n.asText() : n.toString()));
    }

    private void labelPng(ConsoleContext c) {
        LabelData l = label(c);
        c.http().contentType("image/png");
        c.http().result(QrImage.png(l.tr005(), QR_PIXELS));
    }

    private void labelPdf(ConsoleContext c) {
        LabelData l = label(c);
        c.http().contentType("application/pdf");
        c.http().header("Content-Disposition", "inline; filename=\"" + (l.serialNumber().isEmpty() ? l.devEui().toString()
                : l.serialNumber().replaceAll("[^A-Za-z0-9._-]", "_")) + "-label.pdf\"");
        c.http().result(LabelSheet.pdf(List.of(l), LabelLayout.single(70, 37)));
    }

    /** A unit's label; a FAILED or VOID one's too, since the engineer asks for it on purpose from the unit page. */
    private LabelData label(ConsoleContext c) {
        Unit u = unitOf(eui(c));
        try {
            return s.labels().labelOf(u, true);
        } catch (StoreException e) {
            throw new NotFound(e.getMessage());
        }
    }

    /** Re-test or void: the two actions of the unit page. */
    public enum Action {
        RETEST("retest", "Re-test", "send this unit to re-test"),
        VOID("void", "Void", "void this unit (its DevEUI is never used again)");

        private final String path;
        private final String label;
        private final String words;

        Action(String path, String label, String words) {
            this.path = path;
            this.label = label;
            this.words = words;
        }

        public String path() {
            return path;
        }

        public String label() {
            return label;
        }

        public String words() {
            return words;
        }
    }

    /** The confirmation page of an action: what will be done, to which unit, by whom, why. */
    public record ConfirmModel(Action action, String devEui, String serial, String state, String station, String reason) {
        public String back() {
            return "/console/units/" + devEui;
        }
    }

    /**
     * An action's POST: without {@code confirm=yes} it shows the confirmation page (a second page, so it works without
     * JS); with it, it calls the service the API calls and goes back to the unit page, or shows the service's refusal
     * on its form.
     */
    private void action(ConsoleContext c, Action a) {
        Eui64 eui = eui(c);
        Unit u = unitOf(eui);
        String station = trim(c.formParam("station"));
        String reason = trim(c.formParam("reason"));
        String missing = reason.isEmpty() ? "Give a reason: it goes into the audit record."
                : a == Action.RETEST && station.isEmpty() ? "Name the station that tests the unit again." : null;
        if (missing != null) {
            fail(c, a, eui, station, reason, missing);
            return;
        }
        if (!"yes".equals(c.formParam("confirm"))) {
            c.render("unit_confirm.jte", a.label() + " " + eui, new ConfirmModel(a, eui.toString(), u.serial(), u.state().name(), station,
                    reason));
            return;
        }
        try {
            switch (a) {
                case RETEST -> s.provisioning().retest(eui, station, reason, c.principal().actor());
                case VOID -> s.provisioning().voidUnit(eui, reason, c.principal().actor());
            }
        } catch (StoreException | LorawanFormatException | IllegalArgumentException e) {
            fail(c, a, eui, station, reason, e.getMessage());
            return;
        }
        c.flash(a == Action.RETEST ? "Unit " + eui + " sent to re-test at " + station + "." : "Unit " + eui + " voided.");
        c.redirect("/console/units/" + eui);
    }

    private void fail(ConsoleContext c, Action a, Eui64 eui, String station, String reason, String message) {
        ActionForm f = new ActionForm(station, reason, message);
        int status = 400;
        renderUnit(c, status, eui, a == Action.RETEST ? f : ActionForm.EMPTY, a == Action.VOID ? f : ActionForm.EMPTY);
    }

    private static String trim(String v) {
        return v == null ? "" : v.strip();
    }

    // ---- gateways --------------------------------------------------------------------------------------------

    /** The gateways page: the API's view (null: no gateway listener), refused downlinks by TX_ACK error word (totals). */
    public record GatewaysModel(GatewaysView view, Map<String, Long> refusedByError, Instant now) {
        public List<GatewayView> gateways() {
            return view == null ? List.of() : view.gateways();
        }

        /** The listener's other counters, without the downlink ones shown apart, zeros left out. */
        public Map<String, Long> counters() {
            Map<String, Long> m = new TreeMap<>();
            if (view != null) {
                view.counters().forEach((k, v) -> {
                    if (v != 0 && !k.startsWith(TX_ACK_ERROR)) {
                        m.put(k, v);
                    }
                });
            }
            return m;
        }
    }

    static final String TX_ACK_ERROR = "tx_ack_error_";

    /**
     * Downlinks refused, by the TX_ACK's error word ({@code TOO_LATE}, ...), and {@code NO_TX_ACK} for those no TX_ACK
     * answered in time: the listener's totals (it counts them over all gateways; per gateway only their sum).
     */
    static Map<String, Long> refusedTotals(GatewaysView v) {
        Map<String, Long> m = new TreeMap<>();
        v.counters().forEach((k, n) -> {
            if (k.startsWith(TX_ACK_ERROR) && n != 0) {
                m.put(k.substring(TX_ACK_ERROR.length()).toUpperCase(java.util.Locale.ROOT), n);
            }
        });
        Long timeouts = v.counters().get("tx_timeout");
        if (timeouts != null && timeouts != 0) {
            m.put("NO_TX_ACK", timeouts);
        }
        return m;
    }

    private void gateways(ConsoleContext c) {
        GatewaysView v = s.gateways().get();
        c.render("gateways.jte", "Gateways", new GatewaysModel(v, v == null ? Map.of() : refusedTotals(v), clock.instant()));
    }

    // ---- helpers ---------------------------------------------------------------------------------------------

    private static RuntimeException notFound(StoreException e, String words) {
        return e.code() == io.lorafab.api.ErrorCode.NOT_FOUND ? new NotFound(words) : e;
    }
}
