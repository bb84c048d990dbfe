package io.lorafab.app.cli;

import java.util.logging.Level;

/**
 * For a command whose output is its result: the log notices of the libraries and of lorafab's own modules
 * (connection pool start and stop, "listening on" of the UDP connector) stay off the console, warnings and errors
 * still reach stderr, in the one format of {@link Logging}. An explicit setting wins:
 * {@code -Dorg.slf4j.simpleLogger.defaultLogLevel=...}, {@code -Djava.util.logging.config.file=...} (or {@code .class}).
 */
final class QuietLogs {

    static final String SLF4J_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

    private QuietLogs() {
    }

    static void apply() {
        if (System.getProperty(SLF4J_LEVEL) == null) {
            System.setProperty(SLF4J_LEVEL, "warn");
        }
        Logging.routeJavaUtilLogging(Level.WARNING);
    }
}
