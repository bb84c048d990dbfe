package io.lorafab.store.model;

import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a production engineer reads off a work order's test runs, computed by the registry in one place for
 * every adapter.
 *
 * <ul>
 *   <li>{@code counts}: the order's units per current state;</li>
 *   <li>{@code testedUnits}: units with at least one verdict (a PASSED or FAILED run); {@code firstPassUnits}:
 *       those whose first verdict was PASSED (a unit that passed on its second run counts in the final yield, not
 *       here). A run the test station spoiled ({@code STATION_FAULT}) is no verdict on the unit: it counts neither
 *       for nor against the unit, only in {@code stationFaultRuns};</li>
 *   <li>{@code retestedUnits}: units with more than one verdict, and {@code extraRuns}: the verdicts beyond each
 *       unit's first;</li>
 *   <li>{@code stationFaultRuns}: runs ended by a fault of the test station (gateway, server), and
 *       {@code stationFaultUnits}: the units they hit;</li>
 *   <li>{@code failuresByReason} / {@code failuresByStation}: every unit that failed at least once counted
 *       once, under the reason code and the station of its <em>latest</em> failed run (also when it passed
 *       later), most frequent first.</li>
 * </ul>
 */
public record OrderYield(Map<UnitState, Long> counts, long testedUnits, long firstPassUnits, long retestedUnits,
        long extraRuns, long stationFaultRuns, long stationFaultUnits, List<FailureCount> failuresByReason,
        List<FailureCount> failuresByStation) {

    /** Units counted under one reason code or station ({@code key} null: the run named none). */
    public record FailureCount(String key, long units) {
    }

    /** Most units first, ties by key in code-point order (not the database's collation), no key last. */
    public static final Comparator<FailureCount> FAILURE_ORDER = Comparator.comparingLong(FailureCount::units).reversed()
            .thenComparing(FailureCount::key, Comparator.nullsLast(Comparator.naturalOrder()));

    public OrderYield {
        // in state order (RESERVED, PROGRAMMED, ...), as the views list them
        EnumMap<UnitState, Long> ordered = new EnumMap<>(UnitState.class);
        ordered.putAll(counts);
        counts = Collections.unmodifiableMap(ordered);
        failuresByReason = List.copyOf(failuresByReason);
        failuresByStation = List.copyOf(failuresByStation);
    }

    public long count(UnitState s) {
        return counts.getOrDefault(s, 0L);
    }

    public long units() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** passed / (passed + failed) by the units' current state; null before any unit passed or failed. */
    public Double finalYield() {
        return finalYield(counts);
    }

    /** The final yield from counts per state: the one definition, also for views that have only the counts. */
    public static Double finalYield(Map<UnitState, Long> counts) {
        long passed = counts.getOrDefault(UnitState.PASSED, 0L);
        long failed = counts.getOrDefault(UnitState.FAILED, 0L);
        return passed + failed == 0 ? null : (double) passed / (passed + failed);
    }

    /** Units that passed their first run / units tested; null before any unit was tested. */
    public Double firstPassYield() {
        return testedUnits == 0 ? null : (double) firstPassUnits / testedUnits;
    }

    /** Units counted in {@link #failuresByReason} (the same as in {@link #failuresByStation}). */
    public long failedAtLeastOnce() {
        return failuresByReason.stream().mapToLong(FailureCount::units).sum();
    }

    /**
     * Several orders' figures as one (the line over its open orders): counts and units added, each order's failure
     * counts added per key. A unit belongs to one order, so no unit is counted twice.
     */
    public static OrderYield sum(List<OrderYield> yields) {
        Map<UnitState, Long> counts = new EnumMap<>(UnitState.class);
        long tested = 0, firstPass = 0, retested = 0, extra = 0, faultRuns = 0, faultUnits = 0;
        Map<String, Long> byReason = new HashMap<>();
        Map<String, Long> byStation = new HashMap<>();
        for (OrderYield y : yields) {
            y.counts.forEach((s, n) -> counts.merge(s, n, Long::sum));
            tested += y.testedUnits;
            firstPass += y.firstPassUnits;
            retested += y.retestedUnits;
            extra += y.extraRuns;
            faultRuns += y.stationFaultRuns;
            faultUnits += y.stationFaultUnits;
            y.failuresByReason.forEach(f -> byReason.merge(f.key(), f.units(), Long::sum));
            y.failuresByStation.forEach(f -> byStation.merge(f.key(), f.units(), Long::sum));
        }
        return new OrderYield(counts, tested, firstPass, retested, extra, faultRuns, faultUnits, ordered(byReason), ordered(byStation));
    }

    private static List<FailureCount> ordered(Map<String, Long> units) {
        return units.entrySet().stream().map(e -> new FailureCount(e.getKey(), e.getValue())).sorted(FAILURE_ORDER).toList();
    }
}
