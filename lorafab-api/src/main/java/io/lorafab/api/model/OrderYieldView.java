package io.lorafab.api.model;

import java.util.List;

/**
 * A work order's test figures (also {@code orders show --json}): first-pass and final yield (null before any
 * unit was tested), re-tests, runs the test station spoiled, and the units that failed at least once, each counted
 * once by the reason and station of its latest failed run.
 */
public record OrderYieldView(long testedUnits, long firstPassUnits, Double firstPassYield, long passed, long failed,
        Double finalYield, Retests retests, StationFaults stationFaults, Failures failures) {

    public record Retests(long units, long extraRuns) {
    }

    public record StationFaults(long runs, long units) {
    }

    public record Failures(long units, List<ByReason> byReason, List<ByStation> byStation) {
    }

    /** {@code reason} null: the failed run named none. */
    public record ByReason(String reason, long units) {
    }

    /** {@code station} null: the failed run named none. */
    public record ByStation(String station, long units) {
    }
}
