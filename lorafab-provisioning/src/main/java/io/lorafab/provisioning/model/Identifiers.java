package io.lorafab.provisioning.model;

import io.lorafab.lorawan.LorawanFormatException;
import java.util.regex.Pattern;

/**
 * The identifiers people give production records and that travel on into URLs, file names, label printers and web
 * pages: work order references and serial numbers. One rule for both, checked when a record is created (API, command
 * line, import): a letter or digit, then up to 63 letters, digits, '.', '_' or '-'. No path separators, quotes,
 * markup or spaces, so that a reference or serial is safe as a path segment and as a file name as it stands.
 * Messages do not repeat the rejected text (it may be markup meant for a page).
 */
public final class Identifiers {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final String RULE = "1-64 letters, digits, '.', '_' or '-', beginning with a letter or digit";

    private Identifiers() {
    }

    /** Whether {@code value} follows the rule. */
    public static boolean valid(String value) {
        return value != null && ID.matcher(value).matches();
    }

    /** A work order reference: required, and following the rule. */
    public static String workOrderReference(String value) {
        if (value == null || value.isBlank()) {
            throw new LorawanFormatException("work order reference: missing");
        }
        if (!valid(value)) {
            throw new LorawanFormatException("work order reference: expected " + RULE);
        }
        return value;
    }

    /** A serial number: optional (null or blank means none), else following the rule. */
    public static String serial(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (!valid(value)) {
            throw new LorawanFormatException("serial number: expected " + RULE);
        }
        return value;
    }
}
