package io.lorafab.store.model;

import io.lorafab.api.ErrorCode;
import io.lorafab.store.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A filter on the audit log, applied by the database; null fields do not filter. {@code actor} and
 * {@code action} match exactly, or as a prefix when they end with {@code *} ({@code unit.*}, {@code cli:*});
 * {@code subject} matches exactly (a unit's records have its DevEUI as subject); {@code since} is inclusive,
 * {@code until} exclusive. The newest {@code limit} matching records come first; {@code beforeId} (null: none)
 * keeps only records older than that one, to page back through a long log without the rows shifting when new
 * records arrive meanwhile.
 */
public record AuditQuery(String actor, String action, String subject, Instant since, Instant until, int limit,
        Long beforeId) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 10_000;

    private static final Pattern RELATIVE = Pattern.compile("(\\d{1,6})([smhd])");

    public AuditQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw invalid("limit must be 1.." + MAX_LIMIT);
        }
        if (since != null && until != null && !since.isBefore(until)) {
            throw invalid("since (" + since + ") must be before until (" + until + ")");
        }
        if (beforeId != null && beforeId < 1) {
            throw invalid("before must be a record id of 1 or more");
        }
    }

    /** The first page: the newest matching records. */
    public AuditQuery(String actor, String action, String subject, Instant since, Instant until, int limit) {
        this(actor, action, subject, since, until, limit, null);
    }

    public AuditQuery limitTo(int max) {
        return new AuditQuery(actor, action, subject, since, until, max, beforeId);
    }

    public static AuditQuery newest(int limit) {
        return new AuditQuery(null, null, null, null, null, limit);
    }

    /**
     * A time bound as a user gives it: an instant ({@code 2026-12-06T10:00:00Z}), a UTC day
     * ({@code 2026-12-06}, its first instant) or an age before {@code now} ({@code 90m}, {@code 24h},
     * {@code 7d}, also {@code s}). Null or blank is no bound.
     *
     * @param option the option's name, for the error
     */
    public static Instant parseTime(String text, Instant now, String option) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.strip();
        Matcher m = RELATIVE.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return now.minus(d);
        }
        try {
            return t.length() == 10 ? LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(t);
        } catch (DateTimeParseException e) {
            throw invalid(option + ": '" + shown(t) + "' is not a time (use 2026-12-06T10:00:00Z, 2026-12-06 or an age"
                    + " such as 24h, 7d)");
        }
    }

    /** The {@code before} record id as a user gives it (null or blank: none). */
    public static Long parseBefore(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            long id = Long.parseLong(text.strip());
            if (id >= 1) {
                return id;
            }
        } catch (NumberFormatException e) {
            // worded below
        }
        throw invalid("before must be a record id of 1 or more");
    }

    /** The limit as a user gives it (null: the default). */
    public static int parseLimit(String text) {
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw invalid("limit must be 1.." + MAX_LIMIT);
        }
    }

    private static String shown(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private static StoreException invalid(String message) {
        return new StoreException(ErrorCode.INVALID_INPUT, message);
    }
}
