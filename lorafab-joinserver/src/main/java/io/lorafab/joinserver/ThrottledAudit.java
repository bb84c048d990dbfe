package io.lorafab.joinserver;

import io.lorafab.store.AuditLog;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongFunction;

/**
 * Audit records of refusals, at most {@code perMinute} a minute per key, so that a caller repeating a refused
 * request cannot fill the append-only audit log; the next record written for a key says how many were left out
 * since the one before. The one mechanism for every refusal the API audits: 401 and 403 (key: the client address,
 * one budget for both kinds, since a sweep that mixes them is still one flood) and Backend Interfaces refusals
 * (key: the caller and what was refused).
 *
 * <p>It lives here, beside the {@link RateLimiter} it counts with, because this is the lowest module that both the
 * Backend Interfaces service and the HTTP server can use: lorafab-store holds the audit log but cannot see the
 * limiter, and moving the limiter down would move the join server's own rate limits with it.
 */
public final class ThrottledAudit {

    private final AuditLog registry;
    private final RateLimiter limiter;
    private final LongFunction<String> leftOutNote;
    private final Map<String, LongAdder> leftOut = new ConcurrentHashMap<>();

    /** @param leftOutNote what is appended to a record's details after {@code n} were left out, e.g. "; n more ..." */
    public ThrottledAudit(AuditLog registry, int perMinute, Clock clock, LongFunction<String> leftOutNote) {
        this.registry = registry;
        this.limiter = new RateLimiter(perMinute, Duration.ofMinutes(1), clock);
        this.leftOutNote = leftOutNote;
    }

    /** Audits the refusal unless {@code key} is over its limit; returns whether it was written. */
    public boolean audit(String key, String actor, String action, String subject, String details) {
        if (!limiter.tryAcquire(key)) {
            leftOut.computeIfAbsent(key, k -> new LongAdder()).increment();
            return false;
        }
        LongAdder skipped = leftOut.remove(key);
        long n = skipped == null ? 0 : skipped.sum();
        registry.audit(actor, action, subject, details + (n == 0 ? "" : leftOutNote.apply(n)));
        return true;
    }
}
