package io.lorafab.store;

import io.lorafab.lorawan.types.Eui64;
import io.lorafab.store.model.TestResult;
import io.lorafab.store.model.UnitState;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Read-only figures for the reports (line overview, work order and station pages): counted and grouped by the
 * database, so that an order of thousands of units is never loaded row by row to be counted. Each read is one
 * statement.
 *
 * <p>Times are compared as instants (the stored text's varying fraction of a second does not disturb the order).
 */
public interface ReportStore {

    /**
     * Which of an order's units a table shows; null fields do not filter. {@code reason} matches the reason of the
     * unit's latest FAILED run (as the failure Pareto counts it); {@code from} (inclusive) and {@code to} (exclusive)
     * bound when the unit last changed.
     */
    record UnitFilter(UnitState state, String reason, String stationId, Instant from, Instant to) {
        public static final UnitFilter NONE = new UnitFilter(null, null, null, null, null);
    }

    /** A unit in an order's table, never its keys: its latest test run's result and reason (null before any run). */
    record UnitRow(long id, Eui64 devEui, String serial, UnitState state, String stationId, Instant updatedAt, int testRuns,
            TestResult lastResult, String lastReason, Instant lastRunAt) {
    }

    /** The order's units matching {@code filter} with an id above {@code afterId}, by id, at most {@code limit}. */
    List<UnitRow> orderUnits(long workOrderId, UnitFilter filter, long afterId, int limit);

    long countOrderUnits(long workOrderId, UnitFilter filter);

    /** How many values {@code value} (after rounding down to the resolution asked for) stands for. */
    record ValueCount(double value, long count) {
    }

    /** What the join server measured of an accepted join-request. */
    enum JoinMetric {
        RSSI, SNR
    }

    /** {@code metric} of each unit's latest accepted join-request, of the order's units, counted per value. */
    List<ValueCount> joinMetric(long workOrderId, JoinMetric metric);

    /**
     * The {@code joinMs} the station measured in the order's test runs (those whose measurements hold one as a number),
     * rounded down to {@code resolutionMs} and counted per value.
     */
    List<ValueCount> joinLatencyMs(long workOrderId, int resolutionMs);

    /** Test runs with a verdict (PASSED or FAILED) in one UTC hour ({@code 2026-12-06T10}). */
    record HourCounts(String hour, long verdicts, long passed) {
    }

    /** The order's verdict runs per UTC hour, oldest first. */
    List<HourCounts> verdictsByHour(long workOrderId);

    /** A test run with its unit's identity. */
    record StationRun(long id, Eui64 devEui, String serial, TestResult result, String reasonCode, Instant at) {
    }

    /** The station's latest {@code limit} test runs, newest first. */
    List<StationRun> stationRuns(String stationId, int limit);

    /** The station's test runs finished at or after {@code since}, per result (results without runs left out). */
    Map<TestResult, Long> stationRunCounts(String stationId, Instant since);

    /** Test runs of any station with a verdict (PASSED or FAILED) finished at or after {@code since}. */
    long verdictsSince(Instant since);

    /** A station and the latest time a unit it holds changed or it finished a test run. */
    record StationLast(String stationId, Instant at) {
    }

    /** Stations that changed a unit or finished a test run at or after {@code since}, most recent first. */
    List<StationLast> stationsActiveSince(Instant since);
}
