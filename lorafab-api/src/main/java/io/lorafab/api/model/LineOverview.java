package io.lorafab.api.model;

import java.util.List;

/**
 * {@code GET /api/line}: the line as an engineer watches it, at {@code at}. {@code orders} the open work orders with
 * their progress; yields over those orders together (null before a unit was tested); {@code unitsPerHour} units
 * finished PASSED or FAILED in the last hour; {@code failuresByReason} (Pareto, most units first) and
 * {@code failuresByStation} over the open orders, each unit that failed counted once by its latest failed run;
 * {@code stations} those active in the last {@code activeMinutes}.
 */
public record LineOverview(String at, List<OrderProgress> orders, Double firstPassYield, Double finalYield, long unitsLastHour,
        List<ReasonCount> failuresByReason, List<StationCount> failuresByStation, int activeMinutes, List<StationSeen> stations) {

    /** An open order: units per state, how many of its {@code quantity} are done, its own yields. */
    public record OrderProgress(String reference, String product, int quantity, long reserved, long programmed, long passed,
            long failed, long voided, Double firstPassYield, Double finalYield) {
    }

    public record ReasonCount(ReasonView reason, long units) {
    }

    /** {@code station} null: the failed run named none. */
    public record StationCount(String station, long units) {
    }
}
