package io.lorafab.station.at;

import java.time.Duration;

/**
 * How often a unit tries to join and how far apart the tries start: {@code attempts} join-requests, the next one
 * {@code period} after the previous one started. A module that retries by itself (RUI3 {@code AT+JOIN=1:0:<period>:<attempts>})
 * is given both; for the others the station sends the join command again.
 */
public record JoinAttempts(int attempts, Duration period) {

    /** One join-request; the period does not matter. */
    public static final JoinAttempts ONCE = new JoinAttempts(1, Duration.ofSeconds(10));

    public JoinAttempts {
        if (attempts < 1 || attempts > 255) {
            throw new IllegalArgumentException("join attempts must be 1..255, got " + attempts);
        }
        if (period == null || period.isNegative()) {
            throw new IllegalArgumentException("join period must not be negative");
        }
    }

    /** Time from the first join-request to the start of the last one. */
    public Duration untilLastAttempt() {
        return period.multipliedBy(attempts - 1L);
    }
}
