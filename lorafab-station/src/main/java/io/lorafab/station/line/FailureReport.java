package io.lorafab.station.line;

import io.lorafab.station.at.JoinAttempts;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How a station (and the demo) tells the operator why units failed: one FAIL line per unit naming the reason code and its
 * concrete cause (taken from the unit's measurements), and a summary table of the reasons with what each code
 * means. The codes are the station's ({@link UnitOutcome}): the AT driver's ({@code module_error},
 * {@code timeout}, {@code unexpected_response}, {@code unsupported}, {@code readback_mismatch}) and the
 * runner's ({@code join_failed}, {@code join_not_heard}, {@code uplink_not_verified},
 * {@code rssi_below_threshold}, {@code snr_below_threshold}). No key reaches the text: the drivers never put one
 * in a message, and anything that looks like one (32 or more hex digits) is redacted all the same.
 */
public final class FailureReport {

    private static final Pattern KEY_LIKE = Pattern.compile("(?i)(0x)?[0-9a-f]{32,}");

    private final JoinAttempts attempts;

    /** {@code attempts}: the join-requests the stations allow a unit, quoted where a join failed. */
    public FailureReport(JoinAttempts attempts) {
        this.attempts = attempts;
    }

    /** What a reason code means, in a few words; empty for a code no station produces. */
    public String meaning(String reasonCode) {
        return switch (reasonCode) {
            case "module_error" -> "the module answered a command with an error, e.g. it rejected its key";
            case "timeout" -> "the module did not answer a command in time";
            case "unexpected_response" -> "the module answered something its AT dialect does not document";
            case "unsupported" -> "the module cannot hold what the product needs, e.g. a NwkKey";
            case "readback_mismatch" -> "the identity read back from the module differs from the one written";
            case "join_failed" -> "no join-accept after " + Plural.count(attempts.attempts(), "attempt")
                    + ": board out of radio range, or keys the server does not know";
            case "join_not_heard" -> "the module said it joined, but the server recorded no join-accept";
            case "uplink_not_verified" -> "the server did not verify the unit's first uplink";
            case "rssi_below_threshold" -> "join-request RSSI below the product's minimum";
            case "snr_below_threshold" -> "join-request SNR below the product's minimum";
            default -> "";
        };
    }

    /** The concrete cause of one failed unit, e.g. {@code AT+APPKEY answered AT_PARAM_ERROR}; empty when unknown. */
    public String cause(UnitOutcome u) {
        Map<String, Object> m = u.measurements();
        String code = u.reasonCode();
        String cause;
        if (m.get("moduleError") instanceof String e) {
            cause = e.startsWith(code + ": ") ? e.substring(code.length() + 2) : e;
        } else {
            cause = switch (code) {
                case "readback_mismatch" -> m.get("readbackMismatch") instanceof List<?> fields && !fields.isEmpty()
                        ? "read back differs in " + String.join(", ", fields.stream().map(String::valueOf).toList())
                        : meaning(code);
                case "join_failed" -> joinFailed(m);
                case "rssi_below_threshold" -> below("RSSI", m.get("rssi"), m.get("rssiMinDbm"), "%.0f dBm");
                case "snr_below_threshold" -> below("SNR", m.get("snr"), m.get("snrMinDb"), "%.1f dB");
                default -> meaning(code);
            };
        }
        return KEY_LIKE.matcher(cause).replaceAll("<redacted>");
    }

    /** {@code FAIL <DevEUI> [serial]  <code>: <cause>  (<time> s)}; a passed unit keeps the station's line. */
    public String line(UnitOutcome u) {
        if (u.passed()) {
            return u.line();
        }
        String cause = cause(u);
        return "FAIL " + u.devEui() + (u.serial() == null ? "" : " " + u.serial()) + "  " + u.reasonCode()
                + (cause.isEmpty() ? "" : ": " + cause) + String.format(Locale.ROOT, "  (%.1f s)", u.elapsed().toMillis() / 1000.0);
    }

    /** One line per reason, codes and counts in columns, each with its meaning: {@code   join_failed   3  (...)}. */
    public List<String> summary(Map<String, Long> failuresByReason) {
        int codeWidth = failuresByReason.keySet().stream().mapToInt(String::length).max().orElse(0);
        int countWidth = failuresByReason.values().stream().mapToInt(n -> Long.toString(n).length()).max().orElse(0);
        List<String> lines = new ArrayList<>();
        failuresByReason.forEach((code, n) -> {
            String meaning = meaning(code);
            lines.add(String.format(Locale.ROOT, "  %-" + codeWidth + "s  %" + countWidth + "d%s", code, n,
                    meaning.isEmpty() ? "" : "  (" + meaning + ")"));
        });
        return lines;
    }

    private String joinFailed(Map<String, Object> m) {
        // a module that retries by itself reports only its last event; the station then allowed all attempts
        int made = m.get("joinAttempts") instanceof Integer i ? i : attempts.attempts();
        String cause = "no join-accept after " + Plural.count(made, "attempt");
        return m.get("joinEvent") instanceof String event && !event.isBlank() ? cause + " (module: " + event.strip() + ")" : cause;
    }

    /** {@code format} formats one value with its unit, e.g. {@code %.0f dBm}. */
    private static String below(String what, Object measured, Object minimum, String format) {
        if (!(measured instanceof Number v) || !(minimum instanceof Number min)) {
            return what + " below the product's minimum";
        }
        return what + " " + String.format(Locale.ROOT, format, v.doubleValue()) + ", minimum "
                + String.format(Locale.ROOT, format, min.doubleValue());
    }
}
