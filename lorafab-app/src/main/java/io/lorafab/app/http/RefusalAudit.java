package io.lorafab.app.http;

import io.lorafab.joinserver.RateLimiter;
import io.lorafab.store.jdbc.JdbcRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The audit of refused requests — unauthenticated (401) and forbidden (403) alike — at most
 * {@value #PER_MINUTE} a minute per client address, so that a flood of bad tokens or a sweep of one token over
 * every route cannot fill the audit log; the next refusal audited from that address says how many were left
 * out. One budget per address for both kinds: a sweep that mixes them is still one flood.
 */
final class RefusalAudit {
    static final int PER_MINUTE = 10;

    private final JdbcRegistry registry;
    private final RateLimiter limiter;
    private final Map<String, LongAdder> unaudited = new ConcurrentHashMap<>();

    RefusalAudit(JdbcRegistry registry, Clock clock) {
        this.registry = registry;
        this.limiter = new RateLimiter(PER_MINUTE, Duration.ofMinutes(1), clock);
    }

    /** Audits one refusal from {@code from} (a client address), or counts it as left out. */
    void refused(String from, String actor, String action, String subject, String details) {
        if (!limiter.tryAcquire(from)) {
            unaudited.computeIfAbsent(from, k -> new LongAdder()).increment();
            return;
        }
        LongAdder skipped = unaudited.remove(from);
        long n = skipped == null ? 0 : skipped.sum();
        registry.audit(actor, action, subject, details + (n == 0 ? "" : "; " + n + " more refused from this address were not audited"));
    }
}
