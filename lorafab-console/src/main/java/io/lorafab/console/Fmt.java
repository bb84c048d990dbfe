package io.lorafab.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** How the console's pages write figures and times for people; templates call these. */
public final class Fmt {
    private Fmt() {
    }

    /** A ratio as a percentage with one decimal ({@code 0.875} → {@code 87.5 %}); none yet: a dash. */
    public static String pct(Double ratio) {
        return ratio == null ? "–" : String.format(Locale.ROOT, "%.1f %%", ratio * 100);
    }

    /** A number with at most one decimal, no trailing {@code .0}. */
    public static String num(Double v) {
        if (v == null) {
            return "–";
        }
        return v == Math.rint(v) ? Long.toString((long) (double) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    public static String num(Long v) {
        return v == null ? "–" : Long.toString(v);
    }

    /** An ISO-8601 instant as {@code 2026-06-01 07:00:00 UTC}; null: a dash; anything else as given. */
    public static String time(String iso) {
        if (iso == null) {
            return "–";
        }
        try {
            Instant t = Instant.parse(iso);
            String s = t.toString();
            return s.substring(0, 10) + " " + s.substring(11, 19) + " UTC";
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    /** How long before {@code now} the ISO instant was: {@code 42 s ago}, {@code 5 min ago}, {@code 3 h ago}, {@code 2 d ago}. */
    public static String ago(String iso, Instant now) {
        if (iso == null) {
            return "never";
        }
        try {
            long s = Math.max(0, Duration.between(Instant.parse(iso), now).toSeconds());
            return s < 60 ? s + " s ago" : s < 3600 ? s / 60 + " min ago" : s < 86_400 ? s / 3600 + " h ago" : s / 86_400 + " d ago";
        } catch (DateTimeParseException e) {
            return iso;
        }
    }

    /** A value for a URL's query. */
    public static String q(String v) {
        return v == null ? "" : URLEncoder.encode(v, StandardCharsets.UTF_8);
    }

    /** A path segment (a work order reference may hold characters a URL reserves). */
    public static String seg(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
