package io.lorafab.app.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.logging.LogManager;

/**
 * For a command whose output is its result: the log notices of the libraries and of lorafab's own modules
 * (connection pool start and stop, "listening on" of the UDP connector) stay off the console, warnings and
 * errors still reach stderr. Covers both back ends in use: SLF4J (simple logger) and java.util.logging, where
 * the {@link System.Logger}s of the gateway, join server and simulator modules end up. An explicit setting wins:
 * {@code -Dorg.slf4j.simpleLogger.defaultLogLevel=...}, {@code -Djava.util.logging.config.file=...} (or
 * {@code .class}).
 */
final class QuietLogs {

    static final String SLF4J_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";
    static final String JUL_CONFIG = "quiet-logging.properties";

    private QuietLogs() {
    }

    static void apply() {
        if (System.getProperty(SLF4J_LEVEL) == null) {
            System.setProperty(SLF4J_LEVEL, "warn");
        }
        if (System.getProperty("java.util.logging.config.file") == null
                && System.getProperty("java.util.logging.config.class") == null) {
            try (InputStream in = QuietLogs.class.getResourceAsStream(JUL_CONFIG)) {
                if (in == null) {
                    throw new IllegalStateException(JUL_CONFIG + " is missing from the jar");
                }
                LogManager.getLogManager().readConfiguration(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
