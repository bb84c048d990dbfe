package io.lorafab.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.testkit.ErrorCodeSource;
import io.lorafab.testkit.Javac;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whether a refusal stops the station ({@link StationCommand#fatal}) is decided for every ErrorCode: the real
 * StationCommand.java does not compile against an ErrorCode with one more code (which has its HTTP status), and
 * does as written.
 */
class StationCommandCodesCompileTest {

    static final String STATION_COMMAND = "io/lorafab/app/cli/StationCommand.java";

    @TempDir
    Path out;

    @Test
    void aCodeNotDecidedForTheStationDoesNotCompile() {
        String source = Javac.repoFile("lorafab-app/src/main/java/" + STATION_COMMAND);
        Javac.Result r = Javac.compile(Map.of(ErrorCodeSource.PATH, ErrorCodeSource.withNewCodeAndItsStatus(), STATION_COMMAND, source),
                out);
        assertThat(r.errors()).as(r.toString()).singleElement().satisfies(e -> {
            assertThat(e.file()).isEqualTo("StationCommand.java");
            assertThat(e.line()).isEqualTo(Javac.lineOf(source, "static boolean fatal(", "return switch (e.code()) {"));
            assertThat(e.message()).contains("does not cover all possible input values");
        });
    }

    @Test
    void stationCommandAsWrittenCompiles() {
        Javac.Result r = Javac.compile(Map.of(ErrorCodeSource.PATH, ErrorCodeSource.asWritten(),
                STATION_COMMAND, Javac.repoFile("lorafab-app/src/main/java/" + STATION_COMMAND)), out);
        assertThat(r.compiled()).as(r.toString()).isTrue();
    }
}
