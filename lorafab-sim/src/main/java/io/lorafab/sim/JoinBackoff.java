package io.lorafab.sim;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * The join-request retransmission duty cycle of TS001 1.0.4 §7 / 1.1 §6.2.5: counted from power-up, the
 * aggregated join-request airtime may not exceed 36 s in the first hour, 36 s in the next 10 hours, and 8.7 s in
 * each 24 hours after that. Windows are fixed: [0, 1 h), [1 h, 11 h), then [11 h + 24 h·k, 11 h + 24 h·(k+1));
 * a transmission counts in the window where it starts. Between attempts a random delay in
 * [{@code minRetryDelay}, {@code minRetryDelay + jitter}) is added so that devices powered up together spread out.
 * Pure logic on an injected clock; thread-safe.
 */
public final class JoinBackoff {

    public static final Duration FIRST_HOUR_BUDGET = Duration.ofSeconds(36);
    public static final Duration NEXT_10_HOURS_BUDGET = Duration.ofSeconds(36);
    public static final Duration DAILY_BUDGET = Duration.ofMillis(8_700);

    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration ELEVEN_HOURS = Duration.ofHours(11);
    private static final Duration DAY = Duration.ofHours(24);

    private final Clock clock;
    private final Instant powerUp;
    private final RandomGenerator random;
    private final Duration minRetryDelay;
    private final Duration jitter;
    private final List<Instant> starts = new ArrayList<>();
    private final List<Duration> airtimes = new ArrayList<>();

    public JoinBackoff(Clock clock, Instant powerUp, RandomGenerator random, Duration minRetryDelay, Duration jitter) {
        if (minRetryDelay.isNegative() || jitter.isNegative()) {
            throw new SimException("join back-off: negative retry delay or jitter");
        }
        this.clock = clock;
        this.powerUp = powerUp;
        this.random = random;
        this.minRetryDelay = minRetryDelay;
        this.jitter = jitter;
    }

    /** Powered up now, 1 s minimum between attempts plus up to 10 s of random delay. */
    public static JoinBackoff poweredUpNow(Clock clock, RandomGenerator random) {
        return new JoinBackoff(clock, clock.instant(), random, Duration.ofSeconds(1), Duration.ofSeconds(10));
    }

    /** The window a moment falls in: its start, end and airtime budget. */
    public record Window(Instant start, Instant end, Duration budget) {
        boolean contains(Instant t) {
            return !t.isBefore(start) && t.isBefore(end);
        }
    }

    public Window windowAt(Instant t) {
        Duration since = Duration.between(powerUp, t);
        if (since.isNegative()) {
            throw new SimException("join back-off: " + t + " is before power-up " + powerUp);
        }
        if (since.compareTo(HOUR) < 0) {
            return new Window(powerUp, powerUp.plus(HOUR), FIRST_HOUR_BUDGET);
        }
        if (since.compareTo(ELEVEN_HOURS) < 0) {
            return new Window(powerUp.plus(HOUR), powerUp.plus(ELEVEN_HOURS), NEXT_10_HOURS_BUDGET);
        }
        long k = since.minus(ELEVEN_HOURS).toNanos() / DAY.toNanos();
        Instant start = powerUp.plus(ELEVEN_HOURS).plus(DAY.multipliedBy(k));
        return new Window(start, start.plus(DAY), DAILY_BUDGET);
    }

    /** Join-request airtime already spent in the window containing {@code t}. */
    public synchronized Duration usedAt(Instant t) {
        Window w = windowAt(t);
        Duration used = Duration.ZERO;
        for (int i = 0; i < starts.size(); i++) {
            if (w.contains(starts.get(i))) {
                used = used.plus(airtimes.get(i));
            }
        }
        return used;
    }

    /** Whether a join-request of {@code airtime} may start at {@code now} without exceeding its window's budget. */
    public synchronized boolean mayTransmit(Instant now, Duration airtime) {
        Window w = windowAt(now);
        return usedAt(now).plus(airtime).compareTo(w.budget()) <= 0;
    }

    /** Records a join-request sent at {@code at}. */
    public synchronized void transmitted(Instant at, Duration airtime) {
        windowAt(at);
        starts.add(at);
        airtimes.add(airtime);
    }

    /** The earliest moment from {@code from} on at which a join-request of {@code airtime} may start. */
    public synchronized Instant earliestTransmit(Instant from, Duration airtime) {
        if (airtime.compareTo(DAILY_BUDGET) > 0) {
            throw new SimException("join back-off: one join-request of " + airtime + " exceeds the daily budget");
        }
        Instant t = from;
        while (!mayTransmit(t, airtime)) {
            t = windowAt(t).end();
        }
        return t;
    }

    /**
     * How long to wait from the clock's now before the next join-request of {@code airtime}: until the duty-cycle
     * budget allows it, and at least the randomized retry delay.
     */
    public Duration nextAttemptDelay(Duration airtime) {
        Instant now = clock.instant();
        Duration budgetWait = Duration.between(now, earliestTransmit(now, airtime));
        long jitterNanos = jitter.isZero() ? 0 : random.nextLong(jitter.toNanos());
        Duration randomDelay = minRetryDelay.plusNanos(jitterNanos);
        if (budgetWait.compareTo(randomDelay) >= 0) {
            // the window boundary: still add the random part so that devices do not all start at the boundary
            return budgetWait.plusNanos(jitterNanos);
        }
        Instant candidate = now.plus(randomDelay);
        return Duration.between(now, earliestTransmit(candidate, airtime));
    }
}
