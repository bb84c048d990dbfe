package io.lorafab.api.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonFieldsTest {

    /** As the codecs read: floats as exact decimals. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS).build();

    /** A protocol's own exception, keeping the path apart to show that the reader hands it over apart. */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String path;
        final String text;

        Refused(String path, String text) {
            super(path + ": " + text);
            this.path = path;
            this.text = text;
        }
    }

    /** Quotes what it found, cut at 12 characters. */
    static final JsonProtocol<Refused> QUOTING = new JsonProtocol<>("doc", Refused::new,
            n -> JsonFields.kindAndValue(n, JsonFieldsTest::cut), JsonFieldsTest::cut);

    /** Names only the type of what it found (its values may be secrets). */
    static final JsonProtocol<Refused> TYPES_ONLY = new JsonProtocol<>("body", Refused::new, JsonFields::kind,
            JsonFieldsTest::cut);

    private static String cut(String s) {
        return s.length() <= 12 ? s : s.substring(0, 9) + "...";
    }

    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    static JsonFields<Refused> quoting(String text) {
        return JsonFields.object(QUOTING, json(text), "");
    }

    record Refusal(Function<JsonFields<Refused>, Object> read, String json, String path, String message) {
    }

    private static Arguments refusal(String name, String json, Function<JsonFields<Refused>, Object> read, String path,
            String message) {
        return Arguments.of(Named.of(name, new Refusal(read, json, path, message)));
    }

    /** Each kind of refusal, with the path and the one-line message it gives (the quoting protocol). */
    static Stream<Arguments> refusals() {
        return Stream.of(
                refusal("a missing field", "{}", o -> o.reqLong("n", 0, 9), "n", "missing"),
                refusal("null counts as missing", "{\"n\":null}", o -> o.reqString("n"), "n", "missing"),
                refusal("a missing nested object", "{}", o -> o.reqObject("o"), "o", "missing"),
                refusal("a field that is not an object", "{\"o\":5}", o -> o.optObject("o"), "o",
                        "expected a JSON object, got number 5"),
                refusal("a field that is not an array", "{\"a\":{}}", o -> o.arrayOfObjects("a"), "a",
                        "expected an array, got an object"),
                refusal("an array element that is not an object", "{\"a\":[{},true]}", o -> o.arrayOfObjects("a"),
                        "a[1]", "expected a JSON object, got boolean true"),
                refusal("a JSON null array element", "{\"a\":[null]}", o -> o.arrayOfObjects("a"), "a[0]",
                        "expected a JSON object, got null null"),
                refusal("a field that is not a string", "{\"s\":[1]}", o -> o.optString("s"), "s",
                        "expected a string, got an array"),
                refusal("a required text that is empty", "{\"s\":\"\"}", o -> o.reqText("s"), "s", "empty"),
                refusal("a field that is not a boolean", "{\"b\":\"yes\"}", o -> o.optBool("b"), "b",
                        "expected true or false, got string \"yes\""),
                refusal("a number written as a string", "{\"n\":\"5\"}", o -> o.reqLong("n", 0, 9), "n",
                        "expected a number, got string \"5\""),
                refusal("a long string is cut in the message", "{\"n\":\"abcdefghijklmnop\"}", o -> o.reqInt("n", 0, 9),
                        "n", "expected a number, got string \"abcdefgh..."),
                refusal("an integer above its range", "{\"n\":10}", o -> o.reqInt("n", 0, 9), "n",
                        "out of range 0..9: 10"),
                refusal("an integer below its range", "{\"n\":-1}", o -> o.optLong("n", 0, 9), "n",
                        "out of range 0..9: -1"),
                refusal("an absurd exponent, shown as written, not expanded", "{\"n\":1e999999999}",
                        o -> o.reqLong("n", 0, 9), "n", "out of range 0..9: 1E+999999999"),
                refusal("a long number is cut in the message", "{\"n\":12345678901234567890123}",
                        o -> o.reqLong("n", 0, 9), "n", "out of range 0..9: 123456789..."),
                refusal("a fraction where an integer is due", "{\"n\":1.50}", o -> o.reqLong("n", 0, 9), "n",
                        "expected an integer, got 1.5"),
                refusal("a tiny fraction, shown as written", "{\"n\":1e-999999999}", o -> o.reqLong("n", 0, 9), "n",
                        "expected an integer, got 1E-999999999"),
                refusal("a rounded integer out of its range", "{\"n\":-200.5}", o -> o.reqRoundedInt("n", -200, 0),
                        "n", "out of range -200..0: -200.5"),
                refusal("a decimal out of its range", "{\"d\":90.5}", o -> o.optDouble("d", -90.0, 90.0), "d",
                        "out of range -90..90: 90.5"),
                refusal("a decimal out of exact bounds", "{\"d\":0.5}",
                        o -> o.decimal("d", o.require("d"), new BigDecimal("1.000000"), BigDecimal.TEN), "d",
                        "out of range 1.000000..10: 0.5"),
                refusal("a deep path names every step", "{\"o\":{\"p\":{\"q\":true}}}",
                        o -> o.reqObject("o").reqObject("p").reqLong("q", 0, 1), "o.p.q",
                        "expected a number, got boolean true"),
                refusal("a codec's own rule on a field", "{\"o\":{\"m\":\"X\"}}",
                        o -> {
                            throw o.reqObject("o").refuse("m", "unknown mode");
                        }, "o.m", "unknown mode"));
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void eachRefusalNamesThePathAndSaysWhatIsWrongInOneLine(Refusal r) {
        assertRefused(QUOTING, r);
    }

    /** What a protocol that may carry secrets says instead: the type, never the value. */
    static Stream<Arguments> typeOnlyRefusals() {
        return Stream.of(
                refusal("a string where an object is due", "{\"o\":\"00112233445566778899aabbccddeeff\"}",
                        o -> o.reqObject("o"), "o", "expected a JSON object, got a string"),
                refusal("a number where a string is due", "{\"s\":5}", o -> o.reqText("s"), "s",
                        "expected a string, got a number"),
                refusal("a string where a boolean is due", "{\"b\":\"secret\"}", o -> o.optBool("b"), "b",
                        "expected true or false, got a string"),
                refusal("a boolean where a number is due", "{\"n\":false}", o -> o.reqLong("n", 0, 9), "n",
                        "expected a number, got a boolean"),
                refusal("an array element that is JSON null", "{\"a\":[null]}", o -> o.arrayOfObjects("a"), "a[0]",
                        "expected a JSON object, got null"));
    }

    @ParameterizedTest
    @MethodSource("typeOnlyRefusals")
    void aProtocolThatCarriesSecretsNamesOnlyTheType(Refusal r) {
        assertRefused(TYPES_ONLY, r);
    }

    /** The protocol's own exception, with the path and the message handed to it apart. */
    private static void assertRefused(JsonProtocol<Refused> protocol, Refusal r) {
        JsonFields<Refused> o = JsonFields.object(protocol, json(r.json()), "");
        assertThatThrownBy(() -> r.read().apply(o)).isInstanceOfSatisfying(Refused.class, e -> {
            assertThat(e.path).isEqualTo(r.path());
            assertThat(e.text).isEqualTo(r.message());
            assertThat(e).hasMessage(r.path() + ": " + r.message());
        });
    }

    @Nested
    class TheDocument {
        @Test
        void aDocumentThatIsNotAnObjectIsCalledByTheProtocolsName() {
            assertThatThrownBy(() -> JsonFields.object(QUOTING, json("[1]"), "")).isInstanceOf(Refused.class)
                    .hasMessage("doc: expected a JSON object, got an array");
            assertThatThrownBy(() -> JsonFields.object(TYPES_ONLY, json("\"k\""), "")).isInstanceOf(Refused.class)
                    .hasMessage("body: expected a JSON object, got a string");
            assertThatThrownBy(() -> JsonFields.object(QUOTING, null, "")).hasMessage("doc: expected a JSON object, got nothing");
        }

        @Test
        void anObjectBelowTheDocumentKeepsItsPath() {
            JsonFields<Refused> o = JsonFields.object(QUOTING, json("{\"n\":1}"), "rxpk[3]");
            assertThat(o.path()).isEqualTo("rxpk[3]");
            assertThat(o.at("n")).isEqualTo("rxpk[3].n");
            assertThatThrownBy(() -> o.reqLong("m", 0, 1)).hasMessage("rxpk[3].m: missing");
        }
    }

    @Nested
    class WhatIsRead {
        @Test
        void nullIsAbsentAndAnEmptyTextIsAbsentButAnEmptyStringIsAString() {
            JsonFields<Refused> o = quoting("{\"n\":null,\"s\":\"\"}");
            assertThat(o.has("n")).isFalse();
            assertThat(o.optLong("n", 0, 1)).isEmpty();
            assertThat(o.optObject("n")).isEmpty();
            assertThat(o.arrayOfObjects("n")).isEmpty();
            assertThat(o.optText("s")).isEmpty();
            assertThat(o.text("s")).isEmpty();
            assertThat(o.text("absent")).isEmpty();
            assertThat(o.optString("s")).contains("");
            assertThat(o.reqString("s")).isEmpty();
        }

        @Test
        void integersMayBeWrittenWithZeroDecimals() {
            JsonFields<Refused> o = quoting("{\"a\":5.0,\"b\":50.00,\"c\":1E2,\"d\":4294967295}");
            assertThat(o.reqLong("a", 0, 100)).isEqualTo(5);
            assertThat(o.reqLong("b", 0, 100)).isEqualTo(50);
            assertThat(o.reqInt("c", 0, 100)).isEqualTo(100);
            assertThat(o.reqLong("d", 0, 4294967295L)).isEqualTo(4294967295L);
        }

        @Test
        void roundedIntegersRoundHalfAwayFromZeroAndTinyValuesToZeroAtOnce() {
            JsonFields<Refused> o = quoting("{\"a\":-35.5,\"b\":-35.4,\"c\":0.4,\"d\":1e-999999999,\"e\":2.5}");
            assertThat(o.reqRoundedInt("a", -200, 0)).isEqualTo(-36);
            assertThat(o.reqRoundedInt("b", -200, 0)).isEqualTo(-35);
            assertThat(o.optRoundedInt("c", -1, 1)).contains(0);
            assertThat(o.reqRoundedInt("e", 0, 9)).isEqualTo(3);
            assertThat(quickly(() -> o.reqRoundedInt("d", -1, 1))).isZero();
        }

        @Test
        void decimalsStayExactUntilTheCodecConvertsThem() {
            JsonFields<Refused> o = quoting("{\"f\":866.349812,\"d\":-12.25,\"b\":true,\"a\":[{\"x\":1},{\"x\":2}]}");
            assertThat(o.decimal("f", o.require("f"), BigDecimal.ONE, BigDecimal.valueOf(10_000)))
                    .isEqualByComparingTo("866.349812");
            assertThat(o.optDouble("d", -20.0, 20.0)).contains(-12.25);
            assertThat(o.optBool("b")).contains(true);
            assertThat(o.arrayOfObjects("a")).extracting(x -> x.reqInt("x", 0, 9)).containsExactly(1, 2);
            assertThat(o.arrayOfObjects("a")).extracting(JsonFields::path).containsExactly("a[0]", "a[1]");
        }

        @Test
        void aNumberReadByTheCodecItselfIsCheckedTheSameWay() {
            JsonFields<Refused> o = quoting("{}");
            assertThat(o.integer("n", new BigDecimal("00012"), 0, 15)).isEqualTo(12);
            assertThatThrownBy(() -> o.integer("n", new BigDecimal("16"), 0, 15)).hasMessage("n: out of range 0..15: 16");
        }

        @Test
        void absurdExponentsAreRefusedWithoutExpandingThem() {
            JsonFields<Refused> o = quoting("{\"a\":1e999999999,\"b\":1e-999999999}");
            assertThat(quickly(() -> catchThrowable(() -> o.optDouble("a", 0, 1)))).hasMessage("a: out of range 0..1: 1E+999999999");
            assertThat(quickly(() -> catchThrowable(() -> o.reqLong("b", 0, 1)))).hasMessage("b: expected an integer, got 1E-999999999");
        }
    }

    /** A read that takes more than a second has expanded a number it should not have. */
    private static <T> T quickly(ThrowingSupplier<T> read) {
        return assertTimeoutPreemptively(Duration.ofSeconds(1), read);
    }
}
