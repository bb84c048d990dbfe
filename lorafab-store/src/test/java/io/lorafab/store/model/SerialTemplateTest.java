package io.lorafab.store.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.lorawan.LorawanFormatException;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Serial templates: what each placeholder writes, and the templates refused when a product is created. */
class SerialTemplateTest {

    static final Instant AT = Instant.parse("2026-03-09T23:59:59Z");

    static Stream<Arguments> rendered() {
        return Stream.of(
                Arguments.of("the default", SerialTemplate.DEFAULT_TEXT, "tracker", 42L, "tracker-2603-000042"),
                Arguments.of("product name outside [A-Za-z0-9._-] written as '-'", "{product}/{seq}", "Tracker Pro:2", 1L, "Tracker-Pro-2/1"),
                Arguments.of("every date placeholder, in UTC", "{yyyy}.{yy}.{MM}.{dd}.{yyMM}-{seq}", "p", 7L, "2026.26.03.09.2603-7"),
                Arguments.of("seq wider than its padding", "S{seq:03}", "p", 12345L, "S12345"),
                Arguments.of("seq padded to 12", "{seq:012}", "p", 5L, "000000000005"),
                Arguments.of("surrounding whitespace dropped", "  X{seq}  ", "p", 3L, "X3"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rendered")
    void aTemplateRendersItsPlaceholders(String name, String template, String product, long seq, String serial) {
        assertThat(SerialTemplate.parse(template).render(product, AT, seq)).isEqualTo(serial);
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("empty", " ", "serial template: empty (e.g. {product}-{yyMM}-{seq:06})"),
                Arguments.of("no sequence number", "{product}-{yyMM}", "serial template: needs exactly one {seq} or {seq:0N}, "
                        + "which makes each serial unique; it has 0"),
                Arguments.of("two sequence numbers", "{seq}-{seq:04}", "serial template: needs exactly one {seq} or {seq:0N}, "
                        + "which makes each serial unique; it has 2"),
                Arguments.of("unknown placeholder", "{product}-{week}-{seq}", "serial template: unknown placeholder {week} "
                        + "(use {product}, {yyyy}, {yy}, {MM}, {dd}, {yyMM}, {seq} or {seq:0N})"),
                Arguments.of("padding not written 0N", "{seq:6}", "serial template: unknown placeholder {seq:6} "
                        + "(use {product}, {yyyy}, {yy}, {MM}, {dd}, {yyMM}, {seq} or {seq:0N})"),
                Arguments.of("padding beyond 18 digits", "{seq:019}", "serial template: unknown placeholder {seq:019} "
                        + "(use {product}, {yyyy}, {yy}, {MM}, {dd}, {yyMM}, {seq} or {seq:0N})"),
                Arguments.of("unclosed brace", "SN-{seq", "serial template: '{' at position 4 is not closed"),
                Arguments.of("stray closing brace", "SN}{seq}", "serial template: '}' at position 3 closes no placeholder"),
                Arguments.of("a space (not in a TR005 SerNum)", "SN {seq}", "serial template: a space at position 3 cannot be in a "
                        + "serial number (TR005 SerNum: printable ASCII without spaces or ':')"),
                Arguments.of("a colon (separates TR005 fields)", "SN:{seq}", "serial template: ':' at position 3 cannot be in a "
                        + "serial number (TR005 SerNum: printable ASCII without spaces or ':')"),
                Arguments.of("non-ASCII", "Nº{seq}", "serial template: 'º' at position 2 cannot be in a serial number "
                        + "(TR005 SerNum: printable ASCII without spaces or ':')"),
                Arguments.of("too long", "X".repeat(60) + "{seq}", "serial template: longer than 64 characters"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void aBadTemplateIsRefusedWithItsFaultNamed(String name, String template, String message) {
        assertThatThrownBy(() -> SerialTemplate.parse(template)).isInstanceOf(LorawanFormatException.class).hasMessage(message);
    }
}
