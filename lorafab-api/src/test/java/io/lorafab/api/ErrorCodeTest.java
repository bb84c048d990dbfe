package io.lorafab.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.testkit.ErrorCodeSource;
import io.lorafab.testkit.Javac;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ErrorCodeTest {

    @TempDir
    Path out;

    @Test
    void aCodeWithoutAnHttpStatusDoesNotCompile() {
        String source = ErrorCodeSource.withNewCode();
        Javac.Result r = Javac.compile(Map.of(ErrorCodeSource.PATH, source), out);
        long switchLine = Javac.lineOf(source, "return switch (this) {");
        assertThat(r.errors()).as(r.toString()).singleElement().satisfies(e -> {
            assertThat(e.file()).isEqualTo("ErrorCode.java");
            assertThat(e.line()).isEqualTo(switchLine);
            assertThat(e.message()).contains("does not cover all possible input values");
        });
    }

    @Test
    void errorCodeAsWrittenCompiles() {
        Javac.Result r = Javac.compile(Map.of(ErrorCodeSource.PATH, ErrorCodeSource.asWritten()), out);
        assertThat(r.compiled()).as(r.toString()).isTrue();
    }

    @Test
    void everyWireCodeIsSnakeCaseAndUnique() {
        assertThat(ErrorCode.values()).extracting(ErrorCode::code).allMatch(c -> c.matches("[a-z][a-z0-9]*(_[a-z0-9]+)*"))
                .doesNotHaveDuplicates();
    }

    @Test
    void theWireCodeIsTheConstantsNameInLowerCase() {
        // the wire words were there first; the constants are named after them, so a reader finds one from the other
        assertThat(ErrorCode.values()).allSatisfy(c -> assertThat(c.code()).isEqualTo(c.name().toLowerCase(java.util.Locale.ROOT)));
    }

    @Test
    void everyCodeIsReadBackFromItsWireWord() {
        for (ErrorCode c : ErrorCode.values()) {
            assertThat(ErrorCode.fromCode(c.code())).contains(c);
            assertThat(ErrorCode.read(c.code())).isEqualTo(c);
            assertThat(c).hasToString(c.code());
        }
    }

    @Test
    void aWordFromANewerServerIsReadAsUnknownNeverAFailure() {
        assertThat(ErrorCode.fromCode("quota_exceeded")).isEmpty();
        assertThat(ErrorCode.read("quota_exceeded")).isEqualTo(ErrorCode.UNKNOWN_ERROR);
        assertThat(ErrorCode.read(null)).isEqualTo(ErrorCode.UNKNOWN_ERROR);
        assertThat(ErrorCode.read("")).isEqualTo(ErrorCode.UNKNOWN_ERROR);
        assertThat(ErrorCode.read("NOT_FOUND")).as("exact, case-sensitive").isEqualTo(ErrorCode.UNKNOWN_ERROR);
    }

    @Test
    void everyTextIsOneLineForAPerson() {
        assertThat(Arrays.stream(ErrorCode.values()).map(ErrorCode::text)).allSatisfy(t -> {
            assertThat(t).isNotBlank().doesNotContain("\n").doesNotContain("Exception").doesNotEndWith(".");
            assertThat(t.length()).isLessThan(80);
        });
    }

    @Test
    void everyStatusIsAnHttpErrorStatus() {
        assertThat(ErrorCode.values()).allSatisfy(c -> assertThat(c.httpStatus()).isBetween(400, 599));
    }
}
