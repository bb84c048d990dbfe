package io.lorafab.provisioning.io;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads RFC 4180 CSV text into records. Fields are separated by one delimiter character; a field that
 * contains the delimiter, a quote or a line break is enclosed in double quotes, and a quote inside it is
 * doubled. Records end with CRLF, LF or a lone CR; a final line break is optional. A leading UTF-8 byte
 * order mark (U+FEFF) is skipped. Fields are returned exactly as written: no trimming.
 *
 * <p>Each record carries the line on which it starts, counting every line break, including those inside
 * quoted fields, so that error messages point at the line a text editor shows.
 */
final class CsvReader {

    private final String text;
    private final char delimiter;
    private int pos;
    private int line = 1;

    private CsvReader(String text, char delimiter) {
        this.text = text;
        this.delimiter = delimiter;
        this.pos = !text.isEmpty() && text.charAt(0) == '\uFEFF' ? 1 : 0;
    }

    /**
     * All records of {@code text}.
     *
     * @throws CsvSyntaxException for an unterminated quoted field, text after a closing quote, or a quote
     *     inside an unquoted field
     */
    static List<CsvRecord> read(String text, char delimiter) {
        CsvReader r = new CsvReader(text, delimiter);
        List<CsvRecord> records = new ArrayList<>();
        while (r.pos < r.text.length()) {
            records.add(r.record());
        }
        return records;
    }

    private CsvRecord record() {
        int start = line;
        List<String> fields = new ArrayList<>();
        while (true) {
            fields.add(atQuote() ? quotedField(fields.size() + 1) : plainField(fields.size() + 1));
            if (pos >= text.length()) {
                break;
            }
            char c = text.charAt(pos);
            if (c == delimiter) {
                pos++;
                continue;
            }
            lineBreak();
            break;
        }
        return new CsvRecord(start, fields);
    }

    private boolean atQuote() {
        return pos < text.length() && text.charAt(pos) == '"';
    }

    private String plainField(int fieldNo) {
        int begin = pos;
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == delimiter || c == '\r' || c == '\n') {
                break;
            }
            if (c == '"') {
                throw new CsvSyntaxException(line, "field " + fieldNo
                        + " has a quote but does not start with one (enclose the whole field in quotes and double the quote)");
            }
            pos++;
        }
        return text.substring(begin, pos);
    }

    private String quotedField(int fieldNo) {
        int openedOn = line;
        pos++; // the opening quote
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (pos >= text.length()) {
                throw new CsvSyntaxException(openedOn, "field " + fieldNo + ": quoted field opened on line " + openedOn
                        + " is never closed");
            }
            char c = text.charAt(pos);
            if (c == '"') {
                if (pos + 1 < text.length() && text.charAt(pos + 1) == '"') {
                    sb.append('"');
                    pos += 2;
                    continue;
                }
                pos++;
                break;
            }
            if (c == '\n' || (c == '\r' && !(pos + 1 < text.length() && text.charAt(pos + 1) == '\n'))) {
                line++;
            }
            sb.append(c);
            pos++;
        }
        if (pos < text.length()) {
            char c = text.charAt(pos);
            if (c != delimiter && c != '\r' && c != '\n') {
                throw new CsvSyntaxException(line, "field " + fieldNo
                        + ": text after the closing quote (a quote inside a quoted field must be doubled)");
            }
        }
        return sb.toString();
    }

    private void lineBreak() {
        char c = text.charAt(pos++);
        if (c == '\r' && pos < text.length() && text.charAt(pos) == '\n') {
            pos++;
        }
        line++;
    }
}
