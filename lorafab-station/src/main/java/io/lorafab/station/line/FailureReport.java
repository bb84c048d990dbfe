package io.lorafab.station.line;

import io.lorafab.station.at.JoinAttempts;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * How a station (and the demo) tells the operator why units did not pass: one FAIL (or STATION FAULT) line per unit
 * naming the reason code and its concrete cause (taken from the unit's measurements: the module's error, or what the
 * server recorded for the unit, with the gateway's TX_ACK error), and a summary table of the reasons with what each
 * code means. The codes are the {@link Reason}s. No key reaches the text: the drivers never put one in a message, and
 * anything that looks like one (32 or more hex digits) is redacted all the same.
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
        return Reason.of(reasonCode).map(Reason::meaning).orElse("");
    }

    /**
     * The concrete cause of a unit that did not pass, e.g. {@code AT+APPKEY answered AT_PARAM_ERROR} or {@code module
     * gave up after 1 join attempt (+JOIN: Join failed); server heard 1 join-request (accepted); join-accept not sent:
     * gateway 00800000a0000001 answered RX1 COLLISION_PACKET, RX2 COLLISION_PACKET}; the meaning when nothing more
     * specific is known, empty for an unknown code.
     */
    public String cause(UnitOutcome u) {
        Map<String, Object> m = u.measurements();
        String code = u.reasonCode();
        String cause;
        if (m.get("moduleError") instanceof String e) {
            cause = e.startsWith(code + ": ") ? e.substring(code.length() + 2) : e;
        } else if (m.get("serverEvidence") instanceof String evidence) {
            cause = moduleGaveUp(m) + evidence;
        } else {
            cause = switch (code) {
                case "readback_mismatch" -> m.get("readbackMismatch") instanceof List<?> fields && !fields.isEmpty()
                        ? "read back differs in " + String.join(", ", fields.stream().map(String::valueOf).toList())
                        : meaning(code);
                case "rssi_below_threshold" -> below("RSSI", m.get("rssi"), m.get("rssiMinDbm"), "%.0f dBm");
                case "snr_below_threshold" -> below("SNR", m.get("snr"), m.get("snrMinDb"), "%.1f dB");
                default -> meaning(code);
            };
        }
        return KEY_LIKE.matcher(cause).replaceAll("<redacted>");
    }

    /**
     * {@code FAIL <DevEUI> [serial]  <code>: <cause>  (<time> s)}; a station fault says what the operator does (after
     * the automatic re-test: check the test gateway); a passed unit keeps the station's line, noting a re-test.
     */
    public String line(UnitOutcome u) {
        String retested = u.stationFaults().isEmpty() ? "" : "re-tested after " + String.join(", ", u.stationFaults());
        if (u.passed()) {
            return retested.isEmpty() ? u.line() : u.line() + "  " + retested;
        }
        String cause = cause(u);
        String head = u.stationFault() ? "STATION FAULT " : "FAIL ";
        String action = !u.stationFault() ? ""
                : "; " + (retested.isEmpty() ? "" : retested + ", the same again: ") + Reason.of(u.reasonCode()).map(Reason::action).orElse("");
        return head + u.devEui() + (u.serial() == null ? "" : " " + u.serial()) + "  " + u.reasonCode()
                + (cause.isEmpty() ? "" : ": " + cause) + action
                + String.format(Locale.ROOT, "  (%.1f s)", u.elapsed().toMillis() / 1000.0);
    }

    /** One line per reason, codes and counts in columns, each with its meaning: {@code   module_error   3  (...)}. */
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

    /** {@code module gave up after 1 join attempt (+JOIN: Join failed); } when the module reported its join failed. */
    private String moduleGaveUp(Map<String, Object> m) {
        if (!(m.get("joinEvent") instanceof String event)) {
            return "";
        }
        // a module that retries by itself reports only its last event; the station then allowed all attempts
        int made = m.get("joinAttempts") instanceof Integer i ? i : attempts.attempts();
        return "module gave up after " + Plural.count(made, "join attempt") + (event.isBlank() ? "" : " (" + event.strip() + ")") + "; ";
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
