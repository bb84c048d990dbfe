package io.lorafab.store.model;

import io.lorafab.lorawan.LorawanFormatException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How a product's allocated units are given serial numbers, e.g. {@code {product}-{yyMM}-{seq:06}}:
 * literal text and the placeholders {@code {product}} (the product's name, anything but letters, digits, '.',
 * '_' and '-' written as '-'), {@code {yyyy}}, {@code {yy}}, {@code {MM}}, {@code {dd}}, {@code {yyMM}}
 * (the reservation's date in UTC) and exactly one {@code {seq}} or {@code {seq:0N}} (the product's next
 * sequence number, zero-padded to N digits).
 *
 * <p>Every serial it makes is a valid TR005 SerNum (printable ASCII without spaces or ':'), because the serial
 * goes into the label's QR code; and the sequence number, never reused, makes it unique. Both are checked when
 * the template is parsed, so a product with a bad template cannot be created.
 */
public final class SerialTemplate {

    /** The template of a product created without one. */
    public static final String DEFAULT_TEXT = "{product}-{yyMM}-{seq:06}";

    /** Longest template accepted: the serial shares the label's QR code with the EUIs. */
    static final int MAX_LENGTH = 64;

    private static final String PLACEHOLDERS = "{product}, {yyyy}, {yy}, {MM}, {dd}, {yyMM}, {seq} or {seq:0N}";

    private sealed interface Part permits Literal, ProductName, Date, Seq {
    }

    private record Literal(String text) implements Part {
    }

    private record ProductName() implements Part {
    }

    private record Date(DateTimeFormatter format) implements Part {
    }

    private record Seq(int width) implements Part {
    }

    private final String text;
    private final List<Part> parts;

    private SerialTemplate(String text, List<Part> parts) {
        this.text = text;
        this.parts = List.copyOf(parts);
    }

    public static SerialTemplate defaultTemplate() {
        return parse(DEFAULT_TEXT);
    }

    /**
     * Templates already parsed, by their text. Every product row read (one per reservation) carries its template,
     * and parsing builds a {@code DateTimeFormatter} per date placeholder; a template is immutable and a line has a
     * handful of products, so each text is parsed once. Bounded in case something feeds it endless distinct texts.
     */
    private static final java.util.concurrent.ConcurrentHashMap<String, SerialTemplate> PARSED = new java.util.concurrent.ConcurrentHashMap<>();

    private static final int MAX_PARSED = 256;

    /** The template written as {@code text}; a fault is a {@link LorawanFormatException} that names it. */
    public static SerialTemplate parse(String text) {
        SerialTemplate known = text == null ? null : PARSED.get(text);
        if (known != null) {
            return known;
        }
        SerialTemplate parsed = parseNew(text);
        if (PARSED.size() < MAX_PARSED) {
            PARSED.putIfAbsent(text, parsed);
        }
        return parsed;
    }

    private static SerialTemplate parseNew(String text) {
        if (text == null || text.isBlank()) {
            throw fault("empty (e.g. " + DEFAULT_TEXT + ")");
        }
        String t = text.strip();
        if (t.length() > MAX_LENGTH) {
            throw fault("longer than " + MAX_LENGTH + " characters");
        }
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int seqs = 0;
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '}') {
                throw fault("'}' at position " + (i + 1) + " closes no placeholder");
            }
            if (c != '{') {
                if (c <= 0x20 || c >= 0x7f || c == ':') {
                    throw fault((c == ' ' ? "a space" : "'" + (Character.isISOControl(c) ? "\\u" + String.format("%04x", (int) c) : c) + "'")
                            + " at position " + (i + 1) + " cannot be in a serial number (TR005 SerNum: printable ASCII "
                            + "without spaces or ':')");
                }
                literal.append(c);
                continue;
            }
            int end = t.indexOf('}', i);
            if (end < 0) {
                throw fault("'{' at position " + (i + 1) + " is not closed");
            }
            String name = t.substring(i + 1, end);
            Part p = placeholder(name);
            if (literal.length() > 0) {
                parts.add(new Literal(literal.toString()));
                literal.setLength(0);
            }
            if (p instanceof Seq) {
                seqs++;
            }
            parts.add(p);
            i = end;
        }
        if (literal.length() > 0) {
            parts.add(new Literal(literal.toString()));
        }
        if (seqs != 1) {
            throw fault("needs exactly one {seq} or {seq:0N}, which makes each serial unique; it has " + seqs);
        }
        return new SerialTemplate(t, parts);
    }

    private static Part placeholder(String name) {
        switch (name) {
            case "product":
                return new ProductName();
            case "yyyy":
            case "yy":
            case "MM":
            case "dd":
            case "yyMM":
                return new Date(DateTimeFormatter.ofPattern(name, Locale.ROOT).withZone(ZoneOffset.UTC));
            case "seq":
                return new Seq(0);
            default:
                if (name.matches("seq:0[1-9][0-9]?")) {
                    int width = Integer.parseInt(name.substring(5));
                    if (width <= 18) {
                        return new Seq(width);
                    }
                }
                throw fault("unknown placeholder {" + name + "} (use " + PLACEHOLDERS + ")");
        }
    }

    private static LorawanFormatException fault(String what) {
        return new LorawanFormatException("serial template: " + what);
    }

    /** The serial of the unit with sequence number {@code seq} of product {@code productName}, reserved at {@code at}. */
    public String render(String productName, Instant at, long seq) {
        StringBuilder sb = new StringBuilder();
        for (Part p : parts) {
            if (p instanceof Literal l) {
                sb.append(l.text());
            } else if (p instanceof ProductName) {
                sb.append(productName.replaceAll("[^A-Za-z0-9._-]", "-"));
            } else if (p instanceof Date d) {
                sb.append(d.format().format(at));
            } else if (p instanceof Seq s) {
                String digits = Long.toString(seq);
                sb.append("0".repeat(Math.max(0, s.width() - digits.length()))).append(digits);
            }
        }
        return sb.toString();
    }

    /** The template as written. */
    public String text() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SerialTemplate s && s.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
