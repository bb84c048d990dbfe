package io.lorafab.gateway.semtech;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.ResolverStyle;
import java.time.temporal.ChronoField;
import java.util.Locale;

/** The two time formats of the protocol. */
final class WireTime {
    /** rxpk {@code time}: ISO 8601 "compact", UTC, microseconds, e.g. {@code 2013-03-31T16:21:17.528002Z}. */
    private static final DateTimeFormatter COMPACT = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd'T'HH:mm:ss")
            .appendFraction(ChronoField.NANO_OF_SECOND, 6, 6, true)
            .appendLiteral('Z')
            .toFormatter(Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    /** stat {@code time}: "expanded", e.g. {@code 2014-01-12 08:59:28 GMT} (the zone suffix is handled apart). */
    private static final DateTimeFormatter EXPANDED = new DateTimeFormatterBuilder()
            .appendPattern("uuuu-MM-dd HH:mm:ss")
            .toFormatter(Locale.ROOT)
            .withResolverStyle(ResolverStyle.STRICT);

    private WireTime() {
    }

    static String formatCompact(Instant t) {
        return COMPACT.format(t);
    }

    /** Any ISO-8601 instant ({@code Z} or numeric offset, any number of fraction digits). */
    static Instant parseCompact(String s, String path) {
        try {
            return Instant.parse(s);
        } catch (DateTimeException e) {
            throw new SemtechProtocolException(path + ": not an ISO-8601 UTC time: " + SemtechJson.quote(s));
        }
    }

    static String formatExpanded(Instant t) {
        return EXPANDED.format(LocalDateTime.ofInstant(t, ZoneOffset.UTC)) + " GMT";
    }

    /** {@code yyyy-MM-dd HH:mm:ss GMT} (or {@code UTC}), or else an ISO-8601 instant. */
    static Instant parseExpanded(String s, String path) {
        try {
            if (s.endsWith(" GMT") || s.endsWith(" UTC")) {
                return LocalDateTime.parse(s.substring(0, s.length() - 4), EXPANDED).toInstant(ZoneOffset.UTC);
            }
            return Instant.parse(s);
        } catch (DateTimeException e) {
            throw new SemtechProtocolException(path + ": not a time like \"2014-01-12 08:59:28 GMT\": "
                    + SemtechJson.quote(s));
        }
    }
}
