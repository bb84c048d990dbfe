package io.lorafab.api.model;

import java.util.List;

/**
 * {@code GET /api/stations/{id}}: what a station's screen shows. {@code current} the unit it holds unfinished, if
 * any, with the step the server last saw it reach ({@code program}: reserved, being programmed and read back;
 * {@code join}: programmed, no join accepted yet; {@code uplink}: joined, first uplink not verified yet;
 * {@code finish}: uplink verified, verdict not recorded yet); {@code lastUnits} its latest test runs, newest first;
 * the counts of its runs since {@code since} (the shift's start) and units finished per hour over that time.
 */
public record StationActivity(String stationId, String since, String at, Current current, List<RecentRun> lastUnits,
        Counts counts, Double unitsPerHour) {

    public record Current(String devEui, String serial, String order, String state, String step, String since) {
    }

    /** A test run: {@code result} PASSED, FAILED or STATION_FAULT, with its reason explained (null when PASSED). */
    public record RecentRun(String devEui, String serial, String result, ReasonView reason, String at) {
    }

    public record Counts(long passed, long failed, long stationFaults) {
    }
}
