package io.lorafab.provisioning.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The RFC 4180 reader and writer against literal text. */
class CsvCodecTest {

    static Stream<Arguments> readable() {
        return Stream.of(
                read("plain fields", "a,b,c", List.of(List.of("a", "b", "c"))),
                read("empty fields", "a,,c,", List.of(List.of("a", "", "c", ""))),
                read("quoted comma", "\"a,b\",c", List.of(List.of("a,b", "c"))),
                read("doubled quote", "\"say \"\"hi\"\"\",x", List.of(List.of("say \"hi\"", "x"))),
                read("empty quoted field", "\"\",x", List.of(List.of("", "x"))),
                read("CRLF inside quotes", "\"one\r\ntwo\",x\r\ny,z", List.of(List.of("one\r\ntwo", "x"), List.of("y", "z"))),
                read("LF inside quotes", "\"one\ntwo\"", List.of(List.of("one\ntwo"))),
                read("CRLF records", "a,b\r\nc,d\r\n", List.of(List.of("a", "b"), List.of("c", "d"))),
                read("LF records", "a,b\nc,d\n", List.of(List.of("a", "b"), List.of("c", "d"))),
                read("CR records", "a,b\rc,d", List.of(List.of("a", "b"), List.of("c", "d"))),
                read("no final line break", "a\nb", List.of(List.of("a"), List.of("b"))),
                read("byte order mark skipped", "\uFEFFa,b", List.of(List.of("a", "b"))),
                read("blank line is one empty field", "a\n\nb", List.of(List.of("a"), List.of(""), List.of("b"))),
                read("blanks kept as written", " a , b ", List.of(List.of(" a ", " b "))),
                read("empty text", "", List.of()));
    }

    static Arguments read(String name, String text, List<List<String>> records) {
        return Arguments.of(name, text, records);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readable")
    void reads(String name, String text, List<List<String>> records) {
        assertThat(CsvReader.read(text, ',')).extracting(CsvRecord::fields).isEqualTo(records);
    }

    @Test
    void recordsKnowTheLineTheyStartOn() {
        List<CsvRecord> records = CsvReader.read("h1,h2\r\n\"a\r\nb\r\nc\",d\r\n\ne,f\r\ng,\"x\ry\"\nlast,z", ',');

        assertThat(records).extracting(CsvRecord::line).containsExactly(1, 2, 5, 6, 7, 9);
    }

    @Test
    void semicolonDelimiter() {
        assertThat(CsvReader.read("a;\"b;c,d\"", ';')).extracting(CsvRecord::fields)
                .containsExactly(List.of("a", "b;c,d"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unreadable")
    void refuses(String name, String text, int line, String message) {
        assertThatThrownBy(() -> CsvReader.read(text, ','))
                .isInstanceOfSatisfying(CsvSyntaxException.class, e -> assertThat(e.line()).isEqualTo(line))
                .hasMessage(message);
    }

    static Stream<Arguments> unreadable() {
        return Stream.of(
                Arguments.of("unterminated quote", "a,b\nc,\"d\ne", 2, "field 2: quoted field opened on line 2 is never closed"),
                Arguments.of("quote in unquoted field", "a,b\nc,d\"e\"", 2,
                        "field 2 has a quote but does not start with one (enclose the whole field in quotes and double the quote)"),
                Arguments.of("text after closing quote", "a,\"b\"c", 1,
                        "field 2: text after the closing quote (a quote inside a quoted field must be doubled)"),
                Arguments.of("text after quote on a later line", "\"a\nb\"c", 2,
                        "field 1: text after the closing quote (a quote inside a quoted field must be doubled)"));
    }

    static Stream<Arguments> writable() {
        return Stream.of(
                write("plain", List.of("a", "b"), "a,b\r\n"),
                write("null and empty", java.util.Arrays.asList(null, "", "x"), ",,x\r\n"),
                write("comma", List.of("a,b"), "\"a,b\"\r\n"),
                write("quote", List.of("say \"hi\""), "\"say \"\"hi\"\"\"\r\n"),
                write("line breaks", List.of("one\r\ntwo", "3\n4", "5\r6"), "\"one\r\ntwo\",\"3\n4\",\"5\r6\"\r\n"),
                write("leading blank", List.of(" a"), "\" a\"\r\n"),
                write("trailing tab", List.of("a\t"), "\"a\t\"\r\n"),
                write("byte order mark first", List.of("\uFEFFa"), "\"\uFEFFa\"\r\n"),
                write("semicolon is plain with commas", List.of("a;b"), "a;b\r\n"));
    }

    static Arguments write(String name, List<String> fields, String text) {
        return Arguments.of(name, fields, text);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("writable")
    void writes(String name, List<String> fields, String text) {
        assertThat(new CsvWriter(',').row(fields).text()).isEqualTo(text);
    }

    @Test
    void semicolonWriterQuotesSemicolonsNotCommas() {
        assertThat(new CsvWriter(';').row("a,b", "c;d").text()).isEqualTo("a,b;\"c;d\"\r\n");
    }
}
