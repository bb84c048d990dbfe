package io.lorafab.station.at;

import java.time.Duration;

/**
 * How often a unit tries to join and how far apart the tries are: {@code attempts} join-requests and the
 * {@code period} between them. Where the period runs from depends on who repeats the join: a module that retries
 * by itself (RUI3) starts the period when an attempt has failed, the station repeating a one-shot join command
 * starts it when the previous attempt started. How long the attempts take at most, for either, is here, so that
 * the station's join deadline is the module's own schedule and never cuts its last attempt off.
 */
public record JoinAttempts(int attempts, Duration period) {

    /** One join-request; the period does not matter. */
    public static final JoinAttempts ONCE = new JoinAttempts(1, Duration.ofSeconds(10));

    /**
     * The longest one attempt lasts, from the join command to the module's verdict: the join-request on air (at most
     * ~1.5 s, 23 bytes at SF12/125 kHz), JOIN_ACCEPT_DELAY2 (6 s in every region of RP002) until the second receive
     * window opens, and a join-accept received in it (~1.8 s at SF12, RX2's data rate in EU868): 9.3 s, rounded up.
     */
    public static final Duration ATTEMPT_TIME = Duration.ofSeconds(10);

    public JoinAttempts {
        if (attempts < 1 || attempts > 255) {
            throw new IllegalArgumentException("join attempts must be 1..255, got " + attempts);
        }
        if (period == null || period.isNegative()) {
            throw new IllegalArgumentException("join period must not be negative");
        }
    }

    /** Time from the first join-request to the start of the last one, the period counted from each start. */
    public Duration untilLastAttempt() {
        return period.multipliedBy(attempts - 1L);
    }

    /** The attempts after the first: RUI3's {@code AT+JOIN} Param4 ("0" joins once). */
    public int retries() {
        return attempts - 1;
    }

    /**
     * The longest the attempts take when each next one starts {@code period} after the previous one failed, i.e.
     * after its receive windows closed (RUI3: {@code attempts · ATTEMPT_TIME + (attempts − 1) · period}; 3 attempts
     * 10 s apart: 50 s).
     */
    public Duration longestSpacedAfterFailure() {
        return ATTEMPT_TIME.multipliedBy(attempts).plus(period.multipliedBy(attempts - 1L));
    }

    /**
     * The longest the attempts take when each next one starts {@code period} after the previous one started, or when
     * it has ended if that is later (the station repeating a one-shot join: {@code (attempts − 1) · max(period,
     * ATTEMPT_TIME) + ATTEMPT_TIME}; 3 attempts 10 s apart: 30 s).
     */
    public Duration longestSpacedFromStart() {
        Duration step = period.compareTo(ATTEMPT_TIME) > 0 ? period : ATTEMPT_TIME;
        return step.multipliedBy(attempts - 1L).plus(ATTEMPT_TIME);
    }
}
