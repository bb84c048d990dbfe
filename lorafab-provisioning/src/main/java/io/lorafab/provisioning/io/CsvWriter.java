package io.lorafab.provisioning.io;

import java.util.List;

/**
 * Writes RFC 4180 CSV: CRLF after every record, and a field in double quotes (inner quotes doubled) when it
 * contains the delimiter, a quote or a line break, or begins or ends with white space (which some readers,
 * such as The Things Stack's, would otherwise trim). A null field is written empty.
 */
final class CsvWriter {

    private final char delimiter;
    private final StringBuilder out = new StringBuilder();

    CsvWriter(char delimiter) {
        this.delimiter = delimiter;
    }

    CsvWriter row(List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                out.append(delimiter);
            }
            field(fields.get(i));
        }
        out.append("\r\n");
        return this;
    }

    CsvWriter row(String... fields) {
        return row(List.of(fields));
    }

    String text() {
        return out.toString();
    }

    private void field(String value) {
        if (value == null || value.isEmpty()) {
            return;
        }
        if (!needsQuotes(value)) {
            out.append(value);
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                out.append('"');
            }
            out.append(c);
        }
        out.append('"');
    }

    private boolean needsQuotes(String value) {
        if (Character.isWhitespace(value.charAt(0)) || Character.isWhitespace(value.charAt(value.length() - 1))
                || value.charAt(0) == '\uFEFF') {
            return true;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == delimiter || c == '"' || c == '\r' || c == '\n') {
                return true;
            }
        }
        return false;
    }
}
