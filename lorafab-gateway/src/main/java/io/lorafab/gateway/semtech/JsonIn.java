package io.lorafab.gateway.semtech;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Typed, range-checked reads from one JSON object, every failure a {@link SemtechProtocolException} naming the
 * field by its path (e.g. {@code rxpk[2].freq}). JSON {@code null} counts as absent. Numbers arrive as exact
 * decimals (the mapper reads floats as {@link BigDecimal}); range checks come before any conversion, so
 * absurd exponents such as {@code 1e999999999} are refused cheaply.
 */
final class JsonIn {
    private static final BigDecimal HALF = new BigDecimal("0.5");
    private static final BigDecimal MIN_MHZ = BigDecimal.valueOf(Limits.MIN_FREQUENCY_HZ, 6);
    private static final BigDecimal MAX_MHZ = BigDecimal.valueOf(Limits.MAX_FREQUENCY_HZ, 6);

    private final JsonNode node;
    private final String path;

    private JsonIn(JsonNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /** {@code n} as an object; {@code path} is "" for the root. */
    static JsonIn object(JsonNode n, String path) {
        if (n == null || !n.isObject()) {
            throw err(path.isEmpty() ? "JSON" : path, "expected a JSON object, got " + describe(n));
        }
        return new JsonIn(n, path);
    }

    String path() {
        return path;
    }

    String at(String name) {
        return path.isEmpty() ? name : path + "." + name;
    }

    /** The field, or null when absent or JSON null. */
    JsonNode get(String name) {
        JsonNode n = node.get(name);
        return n == null || n.isNull() ? null : n;
    }

    JsonNode require(String name) {
        JsonNode n = get(name);
        if (n == null) {
            throw err(at(name), "missing");
        }
        return n;
    }

    Optional<JsonIn> optObject(String name) {
        JsonNode n = get(name);
        return n == null ? Optional.empty() : Optional.of(object(n, at(name)));
    }

    /** The elements of an array of objects, empty when absent. */
    List<JsonIn> arrayOfObjects(String name) {
        JsonNode n = get(name);
        if (n == null) {
            return List.of();
        }
        if (!n.isArray()) {
            throw err(at(name), "expected an array, got " + describe(n));
        }
        List<JsonIn> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            out.add(object(n.get(i), at(name) + "[" + i + "]"));
        }
        return out;
    }

    Optional<String> optString(String name) {
        JsonNode n = get(name);
        if (n == null) {
            return Optional.empty();
        }
        if (!n.isTextual()) {
            throw err(at(name), "expected a string, got " + describe(n));
        }
        return Optional.of(n.textValue());
    }

    String reqString(String name) {
        require(name);
        return optString(name).orElseThrow();
    }

    Optional<Boolean> optBool(String name) {
        JsonNode n = get(name);
        if (n == null) {
            return Optional.empty();
        }
        if (!n.isBoolean()) {
            throw err(at(name), "expected true or false, got " + describe(n));
        }
        return Optional.of(n.booleanValue());
    }

    Optional<Long> optLong(String name, long min, long max) {
        JsonNode n = get(name);
        return n == null ? Optional.empty() : Optional.of(toLong(n, at(name), min, max));
    }

    long reqLong(String name, long min, long max) {
        return toLong(require(name), at(name), min, max);
    }

    Optional<Integer> optInt(String name, int min, int max) {
        return optLong(name, min, max).map(Long::intValue);
    }

    int reqInt(String name, int min, int max) {
        return (int) reqLong(name, min, max);
    }

    /** An integer field that some forwarders write with decimals (RSSI): rounded half-up to an integer. */
    Optional<Integer> optRoundedInt(String name, int min, int max) {
        JsonNode n = get(name);
        return n == null ? Optional.empty() : Optional.of((int) toRoundedLong(n, at(name), min, max));
    }

    int reqRoundedInt(String name, int min, int max) {
        return (int) toRoundedLong(require(name), at(name), min, max);
    }

    Optional<Double> optDouble(String name, double min, double max) {
        JsonNode n = get(name);
        if (n == null) {
            return Optional.empty();
        }
        BigDecimal d = inRange(n, at(name), new BigDecimal(min), new BigDecimal(max));
        return Optional.of(d.doubleValue());
    }

    /** A frequency in MHz (1..10000) converted exactly to Hz, rounded half-up below 1 Hz. */
    long reqFrequencyHz(String name) {
        JsonNode n = require(name);
        BigDecimal mhz = inRange(n, at(name), MIN_MHZ, MAX_MHZ);
        // mhz >= 1, so its scale is bounded by its (bounded) precision: the rounding is cheap.
        return mhz.movePointRight(6).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    Optional<Instant> optCompactTime(String name) {
        return optString(name).map(s -> WireTime.parseCompact(s, at(name)));
    }

    Optional<Instant> optExpandedTime(String name) {
        return optString(name).map(s -> WireTime.parseExpanded(s, at(name)));
    }

    static long toLong(JsonNode n, String path, long min, long max) {
        BigDecimal d = inRange(n, path, BigDecimal.valueOf(min), BigDecimal.valueOf(max)).stripTrailingZeros();
        if (d.scale() > 0) {
            throw err(path, "expected an integer, got " + text(n));
        }
        return d.longValueExact();
    }

    static long toRoundedLong(JsonNode n, String path, long min, long max) {
        BigDecimal d = inRange(n, path, BigDecimal.valueOf(min), BigDecimal.valueOf(max));
        if (d.abs().compareTo(HALF) < 0) {
            return 0;
        }
        return d.setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    private static BigDecimal inRange(JsonNode n, String path, BigDecimal min, BigDecimal max) {
        BigDecimal d = decimal(n, path);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw err(path, "out of range " + min.toPlainString() + ".." + max.toPlainString() + ": " + text(n));
        }
        return d;
    }

    private static BigDecimal decimal(JsonNode n, String path) {
        if (!n.isNumber()) {
            throw err(path, "expected a number, got " + describe(n));
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
            throw err(path, "not a finite number: " + text(n));
        }
        return BigDecimal.valueOf(v);
    }

    static SemtechProtocolException err(String path, String message) {
        return new SemtechProtocolException(path + ": " + message);
    }

    static String describe(JsonNode n) {
        if (n == null || n.isMissingNode()) {
            return "nothing";
        }
        String type = n.isTextual() ? "string" : n.isNumber() ? "number" : n.isBoolean() ? "boolean"
                : n.isArray() ? "array" : n.isObject() ? "object" : n.isNull() ? "null" : n.getNodeType().toString();
        return n.isContainerNode() ? "an " + type : type + " " + text(n);
    }

    static String text(JsonNode n) {
        return abbreviate(n.toString());
    }

    static String quote(String s) {
        return "\"" + abbreviate(s) + "\"";
    }

    private static String abbreviate(String s) {
        return s.length() <= 48 ? s : s.substring(0, 45) + "...";
    }
}
