package io.lorafab.joinserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.testkit.ErrorCodeSource;
import io.lorafab.testkit.Javac;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The join server's two switches over ErrorCode — the Backend Interfaces ResultCode ({@code BiErrors.resultCode}) and
 * which store refusals are the device's ({@code JoinServer.isDeviceRefusal}) — do not compile once a code is added
 * without them, even when the code has its HTTP status; as written, they compile. Their real sources are compiled.
 */
class ErrorCodeMappingsCompileTest {

    static final String BI_ERRORS = "io/lorafab/joinserver/bi/BiErrors.java";
    static final String JOIN_SERVER = "io/lorafab/joinserver/JoinServer.java";

    @TempDir
    Path out;

    static String source(String path) {
        return Javac.repoFile("lorafab-joinserver/src/main/java/" + path);
    }

    @Test
    void aCodeWithoutABackendInterfacesResultCodeDoesNotCompile() {
        String biErrors = source(BI_ERRORS);
        Javac.Result r = Javac.compile(Map.of(ErrorCodeSource.PATH, ErrorCodeSource.withNewCodeAndItsStatus(), BI_ERRORS, biErrors), out);
        assertThat(r.errors()).as(r.toString()).singleElement().satisfies(e -> {
            assertThat(e.file()).isEqualTo("BiErrors.java");
            assertThat(e.line()).isEqualTo(Javac.lineOf(biErrors, "resultCode(ErrorCode code)", "return switch (code) {"));
            assertThat(e.message()).contains("does not cover all possible input values");
        });
    }

    @Test
    void aCodeNotDecidedForTheJoinStepsDoesNotCompile() {
        String joinServer = source(JOIN_SERVER);
        Javac.Result r = Javac.compile(Map.of(ErrorCodeSource.PATH, ErrorCodeSource.withNewCodeAndItsStatus(), JOIN_SERVER, joinServer),
                out);
        long switchLine = Javac.lineOf(joinServer, "static boolean isDeviceRefusal(", "return switch (code) {");
        assertThat(r.errors()).as(r.toString()).singleElement().satisfies(e -> {
            assertThat(e.file()).isEqualTo("JoinServer.java");
            assertThat(e.line()).isEqualTo(switchLine);
            assertThat(e.message()).contains("does not cover all possible input values");
        });
    }

    @Test
    void theMappingsAsWrittenCompile() {
        Javac.Result r = Javac.compile(Map.of(ErrorCodeSource.PATH, ErrorCodeSource.asWritten(), BI_ERRORS, source(BI_ERRORS),
                JOIN_SERVER, source(JOIN_SERVER)), out);
        assertThat(r.compiled()).as(r.toString()).isTrue();
    }
}
