package io.lorafab.provisioning.io;

import java.util.Objects;

/**
 * One problem in an imported file: the line it is on (1 = first line; for a row, the line the row starts
 * on), the column it concerns (a header name such as {@code app_key}, or null for the whole row or file) and
 * what is wrong. The message never repeats a key, nor any other cell text that could be one.
 */
public record ImportError(int line, String column, String message) {

    public ImportError {
        Objects.requireNonNull(message, "message");
    }

    /** "line 7, app_key: expected 16 bytes (32 hex digits), got 15 bytes (30 hex digits)". */
    @Override
    public String toString() {
        return "line " + line + (column == null ? "" : ", " + column) + ": " + message;
    }
}
