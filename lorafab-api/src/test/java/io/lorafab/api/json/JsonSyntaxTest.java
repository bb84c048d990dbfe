package io.lorafab.api.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonSyntaxTest {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    record Refusal(String json, String problem) {
    }

    static Stream<Arguments> texts() {
        return Stream.of(
                Arguments.of("a bad token, never quoted", new Refusal("{\"k\": 00112233}", "syntax error at line 1, column 8")),
                Arguments.of("a bad token on a later line", new Refusal("{\n  \"k\":\n  secret}", "syntax error at line 3, column 3")),
                Arguments.of("the end before the value is complete", new Refusal("{\"k\": [1, 2", "unexpected end of input at line 1, column 12")),
                Arguments.of("a field twice", new Refusal("{\"k\":1,\"k\":2}", "duplicate field at line 1, column 11")),
                Arguments.of("more after the value", new Refusal("{} {}", "content after the value at line 1, column 4")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("texts")
    void aRefusedTextIsWordedByKindAndPositionWithoutRepeatingIt(String name, Refusal r) {
        JsonProcessingException e = catchThrowableOfType(JsonProcessingException.class, () -> MAPPER.readTree(r.json()));
        assertThat(JsonSyntax.problem(e)).isEqualTo(r.problem());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("texts")
    void theWordingNeverQuotesTheInput(String name, Refusal r) {
        JsonProcessingException e = catchThrowableOfType(JsonProcessingException.class, () -> MAPPER.readTree(r.json()));
        assertThat(JsonSyntax.problem(e)).doesNotContain("secret", "00112233", "Jackson", "Exception");
    }

    @org.junit.jupiter.api.Test
    void aTextBeyondTheParsersLimitsSaysSo() {
        ObjectMapper shallow = JsonMapper.builder(JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(3).build()).build()).build();
        JsonProcessingException e = catchThrowableOfType(JsonProcessingException.class,
                () -> shallow.readTree("[[[[[1]]]]]"));
        assertThat(JsonSyntax.problem(e)).startsWith("beyond the parser's limits (nesting depth, number or string length)");
    }
}
