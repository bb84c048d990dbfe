package io.lorafab.sim;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Nearest-rank percentiles of a set of latencies. */
public record LatencyStats(int count, Duration p50, Duration p90, Duration p99, Duration max) {

    public static LatencyStats of(List<Duration> samples) {
        if (samples.isEmpty()) {
            return new LatencyStats(0, Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO);
        }
        List<Duration> s = new ArrayList<>(samples);
        Collections.sort(s);
        return new LatencyStats(s.size(), rank(s, 50), rank(s, 90), rank(s, 99), s.get(s.size() - 1));
    }

    /** The nearest-rank percentile: the smallest sample with at least {@code p}% of samples at or below it. */
    static Duration rank(List<Duration> sorted, int p) {
        int idx = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, idx)));
    }
}
