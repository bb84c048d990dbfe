package io.lorafab.joinserver;

import io.lorafab.api.ErrorCode;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/**
 * The join server's meters: {@code lorafab_joins_total{result, code, path}} and
 * {@code lorafab_join_duration_seconds{result, path}}. Tags are words from closed sets (the outcome, an
 * {@link ErrorCode} word, the transport), never a DevEUI. Every meter is looked up once and kept in an array, so a
 * join costs two increments and no lookup; the meters of a code are registered when the code first occurs.
 */
final class JoinMeters {
    static final String UDP = "udp";
    static final String BI = "bi";

    private static final ErrorCode[] CODES = ErrorCode.values();
    /** The receive window's first second is where an answer must fall; beyond five it is useless. */
    private static final Duration[] SLOS = {Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(5)};

    private final MeterRegistry registry;
    /** [path][0]: accepted; [path][1 + code ordinal]: rejected with that code. */
    private final Counter[][] counters = new Counter[2][1 + CODES.length];
    private final Timer[][] timers = new Timer[2][2];

    JoinMeters(MeterRegistry registry) {
        this.registry = registry;
        for (int p = 0; p < 2; p++) {
            counters[p][0] = counter(p, "accepted", "none");
            timers[p][0] = timer(p, "accepted");
            timers[p][1] = timer(p, "rejected");
        }
    }

    void accepted(boolean backendInterfaces, long startNanos) {
        int p = backendInterfaces ? 1 : 0;
        counters[p][0].increment();
        timers[p][0].record(System.nanoTime() - startNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    void rejected(boolean backendInterfaces, ErrorCode code, long startNanos) {
        int p = backendInterfaces ? 1 : 0;
        int i = 1 + code.ordinal();
        Counter c = counters[p][i];
        if (c == null) {
            // a benign race: the registry hands both threads the same counter
            c = counter(p, "rejected", code.code());
            counters[p][i] = c;
        }
        c.increment();
        timers[p][1].record(System.nanoTime() - startNanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    private Counter counter(int path, String result, String code) {
        return Counter.builder("lorafab.joins").description("Join-requests handled, by outcome, refusal code and transport")
                .tag("result", result).tag("code", code).tag("path", path == 1 ? BI : UDP).register(registry);
    }

    private Timer timer(int path, String result) {
        return Timer.builder("lorafab.join.duration").description("From a join-request's receipt to its accept or refusal")
                .tag("result", result).tag("path", path == 1 ? BI : UDP).serviceLevelObjectives(SLOS).register(registry);
    }
}
