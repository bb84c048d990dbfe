package io.lorafab.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lorafab demo} as a user runs it, in its own JVM (logging configured as at a terminal): standard error
 * stays empty, each FAIL line says why, counts read right, no DevEUI looks like the JoinEUI; and the help text
 * of the demo and of {@code sim joins} wraps between words only.
 */
class DemoCommandTest {

    @TempDir
    Path dir;

    @Test
    void theDemoPrintsOnlyItsOwnOutputAndSaysWhyUnitsFailed() throws Exception {
        // units 11 (a module that rejects its key) and 17 (out of radio range) fail by design
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "io.lorafab.app.Main", "demo", "--devices", "18", "--stations", "1",
                "--data-dir", dir.resolve("data").toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("demo still running after 3 minutes:\n" + read(out));
        }
        String text = read(out);
        assertThat(p.exitValue()).as(text).isZero();
        assertThat(read(err)).as("stderr").isEmpty();
        assertThat(text)
                .contains("work order DEMO-1: 18 units of demo-tracker, 1 station on a pseudo-terminal with a virtual RAK3172")
                // each unit with the serial its product's default template gave it
                .containsPattern("station 1  FAIL 00005eef10[0-9a-f]{6} demo-tracker-\\d{4}-0000\\d\\d  module_error: AT\\+APPKEY answered "
                        + "AT_PARAM_ERROR  \\(\\d+\\.\\d s\\)")
                .containsPattern("station 1  FAIL 00005eef10[0-9a-f]{6} demo-tracker-\\d{4}-0000\\d\\d  join_not_heard: module gave up after 1 "
                        + "join attempt \\(.+\\); server heard no join-request  \\(\\d+\\.\\d s\\)")
                .containsPattern("station 1  PASS 00005eef10[0-9a-f]{6} demo-tracker-\\d{4}-0000\\d\\d  \\(\\d+\\.\\d s\\)")
                .contains("units: 16 passed, 2 failed:\n  join_not_heard  1  (the server heard no join-request from the unit")
                .contains("station faults (the test station's, not the units'): 0 test runs, 0 re-tested units passed\n")
                .contains("\n  module_error    1  (the module answered a command with an error")
                .contains(" for 18 units on 1 station)")
                .doesNotContain("70b3d57ed0000001 ", "1 stations", "{");
        assertThat(text).as("no key").doesNotContainPattern("(?i)[0-9a-f]{32}");
    }

    @Test
    void theDemoWithAFourPositionFixtureRunsItsPositionsTogetherAndFailsTheBadBoardAlone() throws Exception {
        // units 11 (a module that rejects its key) and 17 (out of radio range) fail by design, each in its own position
        Path out = dir.resolve("out4.txt");
        Path err = dir.resolve("err4.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "io.lorafab.app.Main", "demo", "--devices", "18", "--positions", "4",
                "--data-dir", dir.resolve("data4").toString())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(3, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("demo still running after 3 minutes:\n" + read(out));
        }
        String text = read(out);
        assertThat(p.exitValue()).as(text).isZero();
        assertThat(read(err)).as("stderr").isEmpty();
        assertThat(text)
                .contains("work order DEMO-1: 18 units of demo-tracker, 1 station with a 4-position fixture of virtual RAK3172 modules")
                .containsPattern("station 1 position [1-4]  FAIL 00005eef10[0-9a-f]{6} demo-tracker-\\d{4}-0000\\d\\d  module_error: ")
                .containsPattern("station 1 position [1-4]  FAIL 00005eef10[0-9a-f]{6} demo-tracker-\\d{4}-0000\\d\\d  join_not_heard: ")
                .contains("units: 16 passed, 2 failed:")
                .contains(" for 18 units on 1 station of 4 positions)");
        for (int position = 1; position <= 4; position++) {
            assertThat(text).containsPattern("station 1 position " + position + "  PASS 00005eef10[0-9a-f]{6} ");
        }
        assertThat(text).as("no key").doesNotContainPattern("(?i)[0-9a-f]{32}");
    }

    @Test
    void theDemosHelpIsWrappedBetweenWords() {
        String help = Cli.raw("demo", "--help").out();
        assertThat(help).contains("\nRun a whole production line on this machine, end to end.\n");
        assertThat(Cli.raw("--help").out()).contains("  demo        Run a whole production line on this machine, end to end.\n");
        assertWrappedBetweenWords(help, List.of("pseudo-terminal", "RAK3172", "LoRa-E5"));
    }

    @Test
    void simJoinsHelpIsWrappedBetweenWords() {
        String help = Cli.raw("sim", "joins", "--help").out();
        assertThat(help).contains("\nJoin load generator: N virtual devices join through G virtual gateways.\n");
        assertWrappedBetweenWords(help, List.of("jdbc:postgresql://host/db?user=u", "lorafab.db", "00-00-5E-EF-10-xx-xx-xx",
                "--data-dir lorafab-sim-data", "--register"));
    }

    /** Each of {@code tokens} stands whole on one line; no format specifier is left in the text. */
    private static void assertWrappedBetweenWords(String help, List<String> tokens) {
        for (String t : tokens) {
            assertThat(help).as("'%s' unbroken in:%n%s", t, help).contains(t);
        }
        assertThat(help).doesNotContain("%n");
    }

    private static String read(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
    }
}
