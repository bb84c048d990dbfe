package io.lorafab.store.model;

import java.time.Instant;

/**
 * One end-of-line test of a unit: result, a stable snake_case reason code when it failed (e.g.
 * {@code readback_mismatch}, {@code join_timeout}, {@code rssi_below_threshold}), and the measurements as a
 * JSON object (RSSI, SNR, frequency, data rate, timings...).
 */
public record TestRun(long id, long unitId, String stationId, TestResult result, String reasonCode,
        String measurementsJson, Instant finishedAt) {
}
