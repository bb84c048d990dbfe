package io.lorafab.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Printing for the registry commands: JSON for scripts, aligned tables and key/value lists for people. */
final class Output {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Output() {
    }

    /** Prints {@code value} (maps, lists, strings, numbers) as indented JSON. */
    static void json(PrintWriter out, Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Prints one of the API's records as {@link #record(PrintWriter, Map)} does, under the names its JSON has. */
    static void record(PrintWriter out, Record view) {
        record(out, JSON.convertValue(view, new TypeReference<LinkedHashMap<String, Object>>() {
        }));
    }

    /** Prints one record as aligned {@code key  value} lines; a nested map becomes an indented section. */
    static void record(PrintWriter out, Map<String, ?> fields) {
        int width = 0;
        for (String k : fields.keySet()) {
            width = Math.max(width, k.length());
        }
        for (Map.Entry<String, ?> e : fields.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> m) {
                out.println(e.getKey() + ":");
                int sub = 0;
                for (Object k : m.keySet()) {
                    sub = Math.max(sub, String.valueOf(k).length());
                }
                for (Map.Entry<?, ?> s : m.entrySet()) {
                    out.println(("  " + pad(String.valueOf(s.getKey()), sub) + "  " + text(s.getValue())).stripTrailing());
                }
            } else {
                out.println((pad(e.getKey(), width) + "  " + text(e.getValue())).stripTrailing());
            }
        }
    }

    /** How a value reads in human output: "-" for none, yes/no for booleans, ISO-8601 for instants. */
    static String text(Object v) {
        if (v == null) {
            return "-";
        }
        if (v instanceof Boolean b) {
            return b ? "yes" : "no";
        }
        if (v instanceof Double d) {
            return d == Math.rint(d) && !Double.isInfinite(d) ? String.valueOf(d.longValue()) : String.valueOf(d);
        }
        return v.toString();
    }

    /** An instant as JSON text, or null. */
    static String iso(Instant t) {
        return t == null ? null : t.toString();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    private static String padLeft(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }

    /** A table with a header row and columns as wide as their widest cell; numeric columns right-aligned. */
    static final class Table {
        private final String[] headers;
        private final boolean[] right;
        private final List<String[]> rows = new ArrayList<>();

        Table(String... headers) {
            this.headers = headers.clone();
            this.right = new boolean[headers.length];
        }

        Table rightAligned(int... columns) {
            for (int c : columns) {
                right[c] = true;
            }
            return this;
        }

        Table row(Object... cells) {
            if (cells.length != headers.length) {
                throw new IllegalArgumentException("expected " + headers.length + " cells, got " + cells.length);
            }
            String[] r = new String[cells.length];
            for (int i = 0; i < cells.length; i++) {
                r[i] = text(cells[i]);
            }
            rows.add(r);
            return this;
        }

        boolean isEmpty() {
            return rows.isEmpty();
        }

        void print(PrintWriter out) {
            int[] width = new int[headers.length];
            for (int i = 0; i < headers.length; i++) {
                width[i] = headers[i].length();
                for (String[] r : rows) {
                    width[i] = Math.max(width[i], r[i].length());
                }
            }
            line(out, headers, width);
            for (String[] r : rows) {
                line(out, r, width);
            }
        }

        private void line(PrintWriter out, String[] cells, int[] width) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < cells.length; i++) {
                if (i > 0) {
                    sb.append("  ");
                }
                sb.append(right[i] ? padLeft(cells[i], width[i]) : pad(cells[i], width[i]));
            }
            out.println(sb.toString().stripTrailing());
        }
    }
}
