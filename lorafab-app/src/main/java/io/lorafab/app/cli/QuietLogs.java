package io.lorafab.app.cli;

import ch.qos.logback.classic.Level;

/**
 * For a command whose output is its result: the log notices of the libraries and of lorafab's own modules
 * (connection pool start and stop, "listening on" of the UDP connector) stay off the console, warnings and errors
 * still reach stderr, in the one format of {@link Logging}. An explicit setting wins:
 * {@code -Dlorafab.log.level=...}, {@code -Dlogback.configurationFile=...}, and for java.util.logging
 * {@code -Djava.util.logging.config.file=...} (or {@code .class}).
 */
final class QuietLogs {

    private QuietLogs() {
    }

    static void apply() {
        Logging.routeJavaUtilLogging();
        if (!Logging.levelsChosenByUser()) {
            Logging.rootLevel(Level.WARN);
        }
    }
}
