package io.lorafab.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;

/**
 * The published LoRaWAN test vectors (resource {@code vectors/lorawan-vectors.json}, provenance in
 * {@code vectors/PROVENANCE.md}), for parameterized tests named by vector id:
 *
 * <pre>
 * static Stream&lt;Arguments&gt; joinRequests() { return Vectors.arguments("join_request"); }
 * &#64;ParameterizedTest(name = "{0}") &#64;MethodSource("joinRequests")
 * void mic(Vectors.Vector v) { ... v.in("key") ... v.out("mic") ... }
 * </pre>
 */
public final class Vectors {
    private static final String RESOURCE = "/vectors/lorawan-vectors.json";
    private static final List<Vector> ALL = load();

    private Vectors() {
    }

    /** One vector: its id, kind, inputs and expected outputs as JSON. */
    public record Vector(String id, String kind, String lorawanVersion, String notes, JsonNode inputs, JsonNode expected) {

        /** An input as text ("" when absent or JSON null). */
        public String in(String name) {
            JsonNode n = inputs.get(name);
            return n == null || n.isNull() ? "" : n.asText();
        }

        public boolean hasIn(String name) {
            JsonNode n = inputs.get(name);
            return n != null && !n.isNull() && !(n.isTextual() && n.asText().isEmpty());
        }

        public long inLong(String name) {
            return inputs.get(name).asLong();
        }

        /** An expected value as text ("" when absent or JSON null). */
        public String out(String name) {
            JsonNode n = expected.get(name);
            return n == null || n.isNull() ? "" : n.asText();
        }

        public boolean hasOut(String name) {
            JsonNode n = expected.get(name);
            return n != null && !n.isNull() && !(n.isTextual() && n.asText().isEmpty());
        }

        @Override
        public String toString() {
            return id;
        }
    }

    public static List<Vector> all() {
        return ALL;
    }

    public static List<Vector> ofKind(String kind) {
        List<Vector> out = new ArrayList<>();
        for (Vector v : ALL) {
            if (v.kind().equals(kind)) {
                out.add(v);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no vectors of kind " + kind);
        }
        return out;
    }

    public static Vector byId(String id) {
        for (Vector v : ALL) {
            if (v.id().equals(id)) {
                return v;
            }
        }
        throw new IllegalArgumentException("no vector " + id);
    }

    /** The vectors of one kind as JUnit arguments, each named by its vector id. */
    public static Stream<Arguments> arguments(String kind) {
        return ofKind(kind).stream().map(v -> Arguments.of(Named.of(v.id(), v)));
    }

    private static List<Vector> load() {
        try (InputStream in = Vectors.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + RESOURCE);
            }
            JsonNode root = new ObjectMapper().readTree(in);
            List<Vector> out = new ArrayList<>();
            for (JsonNode n : root) {
                out.add(new Vector(n.get("id").asText(), n.get("kind").asText(),
                        n.path("lorawan_version").asText(""), n.path("notes").asText(""),
                        n.get("inputs"), n.get("expected")));
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
