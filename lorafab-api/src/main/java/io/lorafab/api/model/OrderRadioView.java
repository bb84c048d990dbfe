package io.lorafab.api.model;

import java.util.List;

/**
 * {@code GET /api/orders/{ref}/radio}: how the order's units were heard. {@code rssi} and {@code snr} count each unit
 * once, by its latest accepted join-request as the server heard it, against the product's minimum ({@code threshold},
 * null without one); {@code joinLatency} the station's join times ({@code joinMs} of its test runs);
 * {@code yieldByHour} the verdicts per UTC hour.
 */
public record OrderRadioView(String order, Histogram rssi, Histogram snr, Latency joinLatency, List<HourYield> yieldByHour) {

    /**
     * Counts per bin of {@code binWidth}, lowest first; with a threshold the bins are aligned on it, so no bin holds
     * values on both sides: a bin whose {@code lower} is below the threshold holds only failing values.
     * {@code belowThreshold} the values below it (0 without one).
     */
    public record Histogram(String unit, Double threshold, double binWidth, long count, long belowThreshold, List<Bin> bins) {
    }

    /** Values in {@code [lower, lower + binWidth)}. */
    public record Bin(double lower, long count) {
    }

    /** Percentiles by nearest rank, in milliseconds (null without any value), and their spread as a histogram. */
    public record Latency(long count, Long p50Ms, Long p90Ms, Long p99Ms, Long maxMs, Histogram histogram) {
    }

    /** One UTC hour ({@code 2026-12-06T10}): test runs with a verdict, those PASSED, and their ratio. */
    public record HourYield(String hour, long verdicts, long passed, Double yield) {
    }
}
