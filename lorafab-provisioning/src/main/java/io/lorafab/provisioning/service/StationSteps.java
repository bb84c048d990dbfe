package io.lorafab.provisioning.service;

import io.lorafab.api.ErrorCode;
import io.lorafab.api.model.StationStepView;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.store.StoreException;
import io.lorafab.store.model.Names;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The step each station last said it began, kept in memory only. The server alone cannot tell programming from
 * reading back (both leave the unit RESERVED), so the station reports each step; this is live state for its screen,
 * nothing else. After a restart it is empty and the screen falls back on the step {@link LineReports} derives from
 * the database, which is never wrong, only coarser. Not audited: a step is not a change of the unit.
 */
public final class StationSteps {
    /**
     * The steps of a unit, in order: the station screen's strip. {@code downlink} is the two-way test's wait for the
     * module's report, {@code certification} the optional TS009 profile; a station that does not run a step skips it.
     */
    public static final List<String> STEPS = List.of("reserve", "program", "read_back", "join", "uplink", "downlink", "certification",
            "finish");
    /** Stations remembered at most: a misbehaving client naming a new station each call cannot grow the map forever. */
    static final int MAX_STATIONS = 10_000;

    /** Fixture positions a station may report: a multi-up fixture of up to 64 boards. */
    public static final int MAX_POSITION = 64;

    /**
     * A step as reported: {@code devEui} null for {@code reserve} before the unit exists; {@code position} the
     * multi-up fixture position (1..{@value #MAX_POSITION}), null on a one-board station.
     */
    public record Step(String stationId, Eui64 devEui, String step, Instant at, Integer position) {
        public Step(String stationId, Eui64 devEui, String step, Instant at) {
            this(stationId, devEui, step, at, null);
        }

        public StationStepView view() {
            return new StationStepView(stationId, devEui == null ? null : devEui.toString(), step, at.toString(), position);
        }
    }

    private final Map<String, Step> latest = new ConcurrentHashMap<>();
    /** Per station, the latest step of each fixture position it reported one for (multi-up fixtures only). */
    private final Map<String, Map<Integer, Step>> byPosition = new ConcurrentHashMap<>();
    private final Clock clock;
    private final LineEvents events;

    public StationSteps(Clock clock, LineEvents events) {
        this.clock = clock;
        this.events = events;
    }

    /** Records that {@code stationId} began {@code step} of unit {@code devEui}; each value checked, with a one-line error. */
    public Step report(String stationId, String devEui, String step) {
        return report(stationId, devEui, step, null);
    }

    /**
     * Records that {@code stationId} began {@code step} of unit {@code devEui} in fixture position {@code position}
     * (null: a one-board station, as {@link #report(String, String, String)}).
     */
    public Step report(String stationId, String devEui, String step, Integer position) {
        String station = Names.require(stationId, "station id");
        String s = step == null ? "" : step.strip().toLowerCase(Locale.ROOT).replace('-', '_');
        if (!STEPS.contains(s)) {
            throw new StoreException(ErrorCode.INVALID_INPUT, "step: '" + shown(step) + "' is not a step (one of "
                    + String.join(", ", STEPS) + ")");
        }
        Eui64 eui = devEui == null || devEui.isBlank() ? null : Eui64.parse(devEui.strip());
        if (eui == null && !s.equals("reserve")) {
            throw new StoreException(ErrorCode.INVALID_INPUT, "devEui: missing (only the reserve step may come without it)");
        }
        if (position != null && (position < 1 || position > MAX_POSITION)) {
            throw new StoreException(ErrorCode.INVALID_INPUT, "position: " + position + " is not a fixture position (1.." + MAX_POSITION + ")");
        }
        if (latest.size() >= MAX_STATIONS && !latest.containsKey(station)) {
            latest.clear(); // live hints only: forgetting them costs the screens their finer step until the next report
            byPosition.clear();
        }
        Step recorded = new Step(station, eui, s, clock.instant(), position);
        latest.put(station, recorded);
        if (position != null) {
            byPosition.computeIfAbsent(station, k -> new ConcurrentHashMap<>()).put(position, recorded);
        }
        events.stationChanged(station);
        return recorded;
    }

    /** The step {@code stationId} last reported since this server started, if any. */
    public Optional<Step> latest(String stationId) {
        return Optional.ofNullable(stationId == null ? null : latest.get(stationId));
    }

    /** The latest step of each fixture position {@code stationId} reported, by position; empty for a one-board station. */
    public java.util.SortedMap<Integer, Step> positions(String stationId) {
        Map<Integer, Step> m = stationId == null ? null : byPosition.get(stationId);
        return m == null ? new java.util.TreeMap<>() : new java.util.TreeMap<>(m);
    }

    private static String shown(String s) {
        if (s == null) {
            return "";
        }
        String t = s.strip().replaceAll("[^\\x20-\\x7e]", "?");
        return t.length() > 40 ? t.substring(0, 40) + "..." : t;
    }
}
