package io.lorafab.api.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * Typed, range-checked reads from one JSON object, each refusal the protocol's own exception naming the field by
 * its path ({@code rxpk[2].freq}, {@code AppSKey.AESKey}) with a one-line message: "missing", "expected a string,
 * got a number", "out of range 0..15: 16", "expected an integer, got 5.5".
 *
 * <p>The rules every protocol shares: JSON {@code null} counts as absent. A "string" is any JSON string, "" too; a
 * "text" is a string where "" counts as absent (The Things Stack writes {@code "CFList": ""} for none). Numbers
 * are read as exact decimals (the mapper should read floats as {@code BigDecimal}, so {@code 866.349812} stays
 * exact), and the range is checked before any conversion, so that an absurd exponent such as
 * {@code 1e999999999} is refused cheaply and never expanded: a message shows a number by
 * {@link BigDecimal#toString()}, never {@code toPlainString()}.
 *
 * @param <E> the protocol's exception, made by its {@link JsonProtocol}
 */
public final class JsonFields<E extends RuntimeException> {
    private static final BigDecimal HALF = new BigDecimal("0.5");

    private final JsonProtocol<E> protocol;
    private final JsonNode node;
    private final String path;

    private JsonFields(JsonProtocol<E> protocol, JsonNode node, String path) {
        this.protocol = protocol;
        this.node = node;
        this.path = path;
    }

    /** {@code n} as an object at {@code path} ("" for the document itself), or the protocol's refusal. */
    public static <E extends RuntimeException> JsonFields<E> object(JsonProtocol<E> protocol, JsonNode n, String path) {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(path, "path");
        if (n == null || !n.isObject()) {
            throw protocol.refuse(path.isEmpty() ? protocol.documentName() : path,
                    "expected a JSON object, got " + protocol.describe().apply(n));
        }
        return new JsonFields<>(protocol, n, path);
    }

    public JsonProtocol<E> protocol() {
        return protocol;
    }

    /** Where this object is: "" for the document, else e.g. {@code rxpk[0]} or {@code AppSKey}. */
    public String path() {
        return path;
    }

    /** The path of the field {@code name} of this object. */
    public String at(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** The protocol's refusal of the field {@code name}, for the codec's own rules. */
    public E refuse(String name, String message) {
        return protocol.refuse(at(name), message);
    }

    // ---------------------------------------------------------------- presence and structure

    /** The field, or null when absent or JSON null. */
    public JsonNode get(String name) {
        JsonNode n = node.get(name);
        return n == null || n.isNull() ? null : n;
    }

    public boolean has(String name) {
        return get(name) != null;
    }

    public JsonNode require(String name) {
        JsonNode n = get(name);
        if (n == null) {
            throw refuse(name, "missing");
        }
        return n;
    }

    public Optional<JsonFields<E>> optObject(String name) {
        JsonNode n = get(name);
        return n == null ? Optional.empty() : Optional.of(object(protocol, n, at(name)));
    }

    public JsonFields<E> reqObject(String name) {
        return object(protocol, require(name), at(name));
    }

    /** The elements of an array of objects ({@code rxpk[0]}, {@code rxpk[1]}, ...), empty when absent. */
    public List<JsonFields<E>> arrayOfObjects(String name) {
        JsonNode n = get(name);
        if (n == null) {
            return List.of();
        }
        if (!n.isArray()) {
            throw refuse(name, "expected an array, got " + describe(n));
        }
        List<JsonFields<E>> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            out.add(object(protocol, n.get(i), at(name) + "[" + i + "]"));
        }
        return out;
    }

    // ---------------------------------------------------------------- strings and booleans

    /** A string, "" included; empty when absent. */
    public Optional<String> optString(String name) {
        return optional(name, JsonNode::isTextual, "a string", JsonNode::textValue);
    }

    /** A string that must be there; "" is accepted. */
    public String reqString(String name) {
        require(name);
        return optString(name).orElseThrow();
    }

    /** A text field, "" when absent. */
    public String text(String name) {
        return optString(name).orElse("");
    }

    /** A text field; absent, null and "" are all empty. */
    public Optional<String> optText(String name) {
        return optString(name).filter(s -> !s.isEmpty());
    }

    /** A text field that must be there and not "". */
    public String reqText(String name) {
        require(name);
        String s = text(name);
        if (s.isEmpty()) {
            throw refuse(name, "empty");
        }
        return s;
    }

    public Optional<Boolean> optBool(String name) {
        return optional(name, JsonNode::isBoolean, "true or false", JsonNode::booleanValue);
    }

    private <T> Optional<T> optional(String name, Predicate<JsonNode> is, String expected, Function<JsonNode, T> value) {
        JsonNode n = get(name);
        if (n == null) {
            return Optional.empty();
        }
        if (!is.test(n)) {
            throw refuse(name, "expected " + expected + ", got " + describe(n));
        }
        return Optional.of(value.apply(n));
    }

    // ---------------------------------------------------------------- numbers

    public Optional<Long> optLong(String name, long min, long max) {
        JsonNode n = get(name);
        return n == null ? Optional.empty() : Optional.of(integer(name, n, min, max));
    }

    public long reqLong(String name, long min, long max) {
        return integer(name, require(name), min, max);
    }

    public Optional<Integer> optInt(String name, int min, int max) {
        return optLong(name, min, max).map(Long::intValue);
    }

    public int reqInt(String name, int min, int max) {
        return (int) reqLong(name, min, max);
    }

    /** An integer that some writers send with decimals (an RSSI of -35.5): rounded half away from zero. */
    public Optional<Integer> optRoundedInt(String name, int min, int max) {
        JsonNode n = get(name);
        return n == null ? Optional.empty() : Optional.of((int) rounded(name, n, min, max));
    }

    public int reqRoundedInt(String name, int min, int max) {
        return (int) rounded(name, require(name), min, max);
    }

    public Optional<Double> optDouble(String name, double min, double max) {
        JsonNode n = get(name);
        if (n == null) {
            return Optional.empty();
        }
        return Optional.of(decimal(name, n, new BigDecimal(min), new BigDecimal(max)).doubleValue());
    }

    /** The number {@code n} (the value of field {@code name}) as an exact decimal in {@code min..max}. */
    public BigDecimal decimal(String name, JsonNode n, BigDecimal min, BigDecimal max) {
        return inRange(name, decimal(name, n), min, max);
    }

    /** The number {@code n} (the value of field {@code name}) as an integer in {@code min..max}; 5.0 is 5. */
    public long integer(String name, JsonNode n, long min, long max) {
        return integer(name, decimal(name, n), min, max);
    }

    /** A number a codec has read its own way (e.g. from a string of digits) as an integer in {@code min..max}. */
    public long integer(String name, BigDecimal d, long min, long max) {
        BigDecimal exact = inRange(name, d, BigDecimal.valueOf(min), BigDecimal.valueOf(max)).stripTrailingZeros();
        if (exact.scale() > 0) {
            throw refuse(name, "expected an integer, got " + shown(exact));
        }
        return exact.longValueExact();
    }

    /** The number {@code n} (the value of field {@code name}) as an exact decimal, any value. */
    public BigDecimal decimal(String name, JsonNode n) {
        if (!n.isNumber()) {
            throw refuse(name, "expected a number, got " + describe(n));
        }
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
            // only from a mapper that reads floats as doubles and allows NaN and Infinity
            throw refuse(name, "not a finite number: " + protocol.shorten().apply(n.toString()));
        }
        return BigDecimal.valueOf(v);
    }

    private long rounded(String name, JsonNode n, long min, long max) {
        BigDecimal d = decimal(name, n, BigDecimal.valueOf(min), BigDecimal.valueOf(max));
        if (d.abs().compareTo(HALF) < 0) {
            // 1e-999999999 is 0 without asking setScale to walk its scale
            return 0;
        }
        return d.setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    private BigDecimal inRange(String name, BigDecimal d, BigDecimal min, BigDecimal max) {
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw refuse(name, "out of range " + min.toPlainString() + ".." + max.toPlainString() + ": " + shown(d));
        }
        return d;
    }

    private String shown(BigDecimal d) {
        // toString, not toPlainString: 1e-999999999 must not become a billion zeros
        return protocol.shorten().apply(d.toString());
    }

    private String describe(JsonNode n) {
        return protocol.describe().apply(n);
    }

    // ---------------------------------------------------------------- descriptions for messages

    /**
     * An ill-typed value by its type alone: "a string", "a number", "a boolean", "an array", "an object", "null",
     * or "nothing". For protocols whose values may be secrets.
     */
    public static String kind(JsonNode n) {
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
        if (n.isContainerNode()) {
            return "an " + typeName(n);
        }
        return typeName(n);
    }

    /**
     * An ill-typed value by its type and, unless it is an array or an object, its JSON text cut by {@code shorten}:
     * "string \"abc\"", "number 5", "boolean true", "an array", "nothing".
     */
    public static String kindAndValue(JsonNode n, UnaryOperator<String> shorten) {
        if (n == null || n.isMissingNode()) {
            return "nothing";
        }
        return n.isContainerNode() ? "an " + typeName(n) : typeName(n) + " " + shorten.apply(n.toString());
    }

    private static String typeName(JsonNode n) {
        return n.isTextual() ? "string" : n.isNumber() ? "number" : n.isBoolean() ? "boolean" : n.isArray() ? "array"
                : n.isObject() ? "object" : n.getNodeType().toString().toLowerCase(Locale.ROOT);
    }
}
