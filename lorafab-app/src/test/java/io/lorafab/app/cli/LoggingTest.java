package io.lorafab.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application's logging as configured by its {@code logback.xml}, each case in a JVM of its own (as the jar
 * starts): a java.util.logging record and an SLF4J record come out as the same one line, nothing else is printed
 * (no Logback status notices), the libraries' start notices are off, and a quiet command keeps warnings only.
 */
class LoggingTest {

    /** ISO time with offset, level, short logger name, message; then the rest, to compare across sources. */
    static final String STAMP = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d{4} ";

    @TempDir
    Path dir;

    @Test
    void julAndSlf4jRecordsComeOutInTheOneLineFormat() throws Exception {
        List<String> lines = run("default");
        assertThat(lines).allSatisfy(l -> assertThat(l).matches(STAMP + "(INFO|WARN|ERROR) [A-Za-z0-9_$]+ - \\S.*"));
        assertThat(withoutTime(lines)).containsExactly(
                "INFO FromJul - notice from java.util.logging",
                "INFO FromSlf4j - notice from slf4j",
                "WARN FromJul - warning from java.util.logging 42",
                "WARN FromSlf4j - warning from slf4j 42",
                "WARN FromSlf4j - a forged line? 2026-01-01T00:00:00.000+0000 ERROR Fake - no");
    }

    @Test
    void aQuietCommandShowsWarningsOnlyFromEitherSource() throws Exception {
        assertThat(withoutTime(run("quiet"))).containsExactly(
                "WARN FromJul - warning from java.util.logging 42",
                "WARN FromSlf4j - warning from slf4j 42",
                "WARN FromSlf4j - a forged line? 2026-01-01T00:00:00.000+0000 ERROR Fake - no");
    }

    @Test
    void anExplicitLevelWinsOverTheQuietCommand() throws Exception {
        assertThat(withoutTime(run("quiet", "-Dlorafab.log.level=debug")))
                .contains("DEBUG FromJul - detail from java.util.logging", "DEBUG FromSlf4j - detail from slf4j",
                        "INFO FromSlf4j - notice from slf4j");
    }

    private List<String> run(String mode, String... jvmOptions) throws Exception {
        Path err = dir.resolve(mode + ".err");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path")));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of(TwoSources.class.getName(), mode));
        Process p = new ProcessBuilder(command).redirectError(err.toFile()).redirectOutput(dir.resolve(mode + ".out").toFile()).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        return Files.readAllLines(err);
    }

    private static List<String> withoutTime(List<String> lines) {
        return lines.stream().map(l -> l.replaceFirst("^" + STAMP, "")).toList();
    }

    /** Logs the same records through java.util.logging and SLF4J, set up as {@link LorafabCommand#run} does. */
    public static final class TwoSources {
        public static void main(String[] args) {
            Logging.routeJavaUtilLogging();
            if (args[0].equals("quiet")) {
                QuietLogs.apply();
            }
            java.util.logging.Logger jul = java.util.logging.Logger.getLogger("io.lorafab.test.FromJul");
            org.slf4j.Logger slf4j = org.slf4j.LoggerFactory.getLogger("io.lorafab.test.FromSlf4j");
            jul.fine("detail from java.util.logging");
            slf4j.debug("detail from slf4j");
            jul.info("notice from java.util.logging");
            slf4j.info("notice from slf4j");
            jul.log(java.util.logging.Level.WARNING, "warning from java.util.logging {0}", 42);
            slf4j.warn("warning from slf4j {}", 42);
            slf4j.warn("a forged line?\n2026-01-01T00:00:00.000+0000 ERROR Fake - no");
            // the libraries' start notices, off by default
            org.slf4j.LoggerFactory.getLogger("org.eclipse.jetty.server.Server").info("Started Server");
            org.slf4j.LoggerFactory.getLogger("org.flywaydb.core.internal.command.DbMigrate").info("Schema is up to date");
            org.slf4j.LoggerFactory.getLogger("com.zaxxer.hikari.HikariDataSource").info("HikariPool-1 - Start completed.");
            org.slf4j.LoggerFactory.getLogger("io.javalin.Javalin").info("Javalin started");
        }
    }
}
