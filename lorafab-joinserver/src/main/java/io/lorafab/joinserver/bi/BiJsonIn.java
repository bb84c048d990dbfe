package io.lorafab.joinserver.bi;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Typed reads from one JSON object of a Backend Interfaces body; each failure is a {@link BiFormatException}
 * naming the field by its path (e.g. {@code AppSKey.AESKey}). JSON null counts as absent, and so does "" for
 * optional text fields (The Things Stack writes {@code "CFList": ""} when there is none). Messages state the
 * JSON type of an ill-typed value but never the value itself, which could be key material.
 */
final class BiJsonIn {
    private static final Pattern DECIMAL = Pattern.compile("[0-9]{1,20}");

    private final JsonNode node;
    private final String path;

    private BiJsonIn(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    static BiJsonIn object(JsonNode n, String path) {
        if (n == null || !n.isObject()) {
            throw new BiFormatException((path.isEmpty() ? "body" : path) + ": expected a JSON object, got "
                    + type(n));
        }
        return new BiJsonIn(n, path);
    }

    String at(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** The field, or null when absent or JSON null. */
    JsonNode get(String name) {
        JsonNode n = node.get(name);
        return n == null || n.isNull() ? null : n;
    }

    boolean has(String name) {
        return get(name) != null;
    }

    JsonNode require(String name) {
        JsonNode n = get(name);
        if (n == null) {
            throw err(name, "missing");
        }
        return n;
    }

    Optional<BiJsonIn> optObject(String name) {
        JsonNode n = get(name);
        return n == null ? Optional.empty() : Optional.of(object(n, at(name)));
    }

    BiJsonIn reqObject(String name) {
        return object(require(name), at(name));
    }

    /** A text field, "" when absent. */
    String text(String name) {
        JsonNode n = get(name);
        if (n == null) {
            return "";
        }
        if (!n.isTextual()) {
            throw err(name, "expected a string, got " + type(n));
        }
        return n.textValue();
    }

    Optional<String> optText(String name) {
        String s = text(name);
        return s.isEmpty() ? Optional.empty() : Optional.of(s);
    }

    String reqText(String name) {
        require(name);
        String s = text(name);
        if (s.isEmpty()) {
            throw err(name, "empty");
        }
        return s;
    }

    Optional<HexBytes> optHex(String name) {
        return optText(name).map(s -> HexBytes.parse(s, at(name)));
    }

    HexBytes reqHex(String name) {
        return HexBytes.parse(reqText(name), at(name));
    }

    /**
     * An unsigned integer up to {@code max}, written as a JSON number (integral; 5.0 is 5) or as a string of
     * decimal digits, both of which servers send for TransactionID and RxDelay.
     */
    long reqUnsigned(String name, long max) {
        return unsigned(require(name), name, max);
    }

    Optional<Long> optUnsigned(String name, long max) {
        JsonNode n = get(name);
        if (n == null || (n.isTextual() && n.textValue().isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(unsigned(n, name, max));
    }

    long unsigned(JsonNode n, String name, long max) {
        BigDecimal d;
        if (n.isNumber()) {
            d = decimal(n, name);
        } else if (n.isTextual() && DECIMAL.matcher(n.textValue().strip()).matches()) {
            d = new BigDecimal(n.textValue().strip());
        } else {
            throw err(name, "expected an unsigned integer, got " + type(n));
        }
        // Range first: cheap even for absurd exponents such as 1e999999999.
        if (d.signum() < 0 || d.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw err(name, "out of range 0.." + max + ": " + abbreviate(d.toString()));
        }
        d = d.stripTrailingZeros();
        if (d.scale() > 0) {
            // toString, not toPlainString: 1e-999999999 must not become a billion zeros.
            throw err(name, "expected an integer, got " + abbreviate(d.toString()));
        }
        return d.longValueExact();
    }

    private BigDecimal decimal(JsonNode n, String name) {
        if (n.isBigDecimal()) {
            return n.decimalValue();
        }
        if (n.isBigInteger()) {
            return new BigDecimal(n.bigIntegerValue());
        }
        if (n.isIntegralNumber()) {
            return BigDecimal.valueOf(n.longValue());
        }
        double v = n.doubleValue();
        if (!Double.isFinite(v)) {
            throw err(name, "not a finite number");
        }
        return BigDecimal.valueOf(v);
    }

    BiFormatException err(String name, String message) {
        return new BiFormatException(at(name) + ": " + message);
    }

    static String type(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "nothing";
        }
        if (n.isTextual()) {
            return "a string";
        }
        if (n.isNumber()) {
            return "a number";
        }
        if (n.isBoolean()) {
            return "a boolean";
        }
        if (n.isArray()) {
            return "an array";
        }
        if (n.isObject()) {
            return "an object";
        }
        return n.isNull() ? "null" : n.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }

    /** A short quote of a non-secret value (a MessageType, a version, a result code) for a message. */
    static String quote(String s) {
        return "'" + abbreviate(s) + "'";
    }

    static String abbreviate(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && b.length() < 32; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return s.length() > 32 ? b + "..." : b.toString();
    }
}
