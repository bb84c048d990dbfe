package io.lorafab.api.model;

/**
 * A unit in a work order's table (never keys): its state, the station that holds it or last did, when it last changed,
 * how many test runs it has, and its latest run's result ({@code PASSED}, {@code FAILED}, {@code STATION_FAULT}; null
 * before any) with the reason explained ({@code reason} null when the run passed or named none).
 */
public record OrderUnitRow(long id, String devEui, String serial, String state, String stationId, String updatedAt, int testRuns,
        String lastResult, ReasonView reason, String lastRunAt) {
}
