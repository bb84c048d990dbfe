package io.lorafab.provisioning.service;

import io.lorafab.lorawan.types.Eui64;
import io.lorafab.store.Registry;
import io.lorafab.store.model.AuditEvent;
import io.lorafab.store.model.AuditQuery;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Reading the audit trail: the one way {@code GET /api/audit} and {@code lorafab audit} turn what a user asked for
 * into a query. Writing it is each service's own business, in the transaction of the change it records.
 */
public final class AuditTrail {

    private final Registry registry;
    private final Clock clock;

    /** @param clock "now" for ages given as bounds ({@code 24h}, {@code 7d}) */
    public AuditTrail(Registry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /**
     * A filter as a user gives it. {@code actor} and {@code action} match exactly, or as a prefix when they end with
     * {@code *}; blank means no filter. {@code since} (inclusive) and {@code until} (exclusive) are an instant, a UTC
     * day or an age ({@link AuditQuery#parseTime}).
     *
     * @param limit null: {@link AuditQuery#DEFAULT_LIMIT}; else 1..{@link AuditQuery#MAX_LIMIT}
     * @param before a record id: only records older than it (the next page); null or blank: the newest
     */
    public record Filter(String actor, String action, Eui64 unit, String since, String until, Integer limit,
            String before) {

        /** The newest page. */
        public Filter(String actor, String action, Eui64 unit, String since, String until, Integer limit) {
            this(actor, action, unit, since, until, limit, null);
        }
    }

    /**
     * The newest records matching {@code filter}, newest first.
     *
     * @param parameterName how the caller's user names a filter field ({@code since} → {@code --since} on the command
     *        line), for the error about a bound that is not a time
     */
    public List<AuditEvent> find(Filter filter, UnaryOperator<String> parameterName) {
        Instant now = clock.instant();
        AuditQuery q = new AuditQuery(blankToNull(filter.actor()), blankToNull(filter.action()),
                filter.unit() == null ? null : filter.unit().toString(),
                AuditQuery.parseTime(filter.since(), now, parameterName.apply("since")),
                AuditQuery.parseTime(filter.until(), now, parameterName.apply("until")),
                filter.limit() == null ? AuditQuery.DEFAULT_LIMIT : filter.limit(), AuditQuery.parseBefore(filter.before()));
        return registry.auditLog(q);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
