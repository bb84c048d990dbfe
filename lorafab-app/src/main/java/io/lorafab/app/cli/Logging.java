package io.lorafab.app.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * One log format for every source: lorafab's modules log through SLF4J (app, store) or {@link System.Logger}
 * (gateway, join server, simulator — which the JDK sends to java.util.logging, as it does pgjdbc's and its own).
 * java.util.logging is handed to SLF4J here, so that every line is written by the one back end, Logback, in the one
 * format of {@code logback.xml}. The levels live in Logback; its {@link LevelChangePropagator} copies them to
 * java.util.logging, so that a record below the level is not even built there. An explicit
 * {@code -Djava.util.logging.config.file} (or {@code .class}) keeps its handlers: then nothing is bridged (its levels
 * still follow Logback's, which {@code -Dlorafab.log.level} or a Logback file of one's own then chooses).
 */
final class Logging {

    /** Chooses the root level instead of the defaults ({@code info}, {@code warn} for quiet commands). */
    static final String LEVEL_PROPERTY = "lorafab.log.level";

    private Logging() {
    }

    /** Routes java.util.logging to SLF4J, with the levels Logback has now. Safe to call again. */
    static void routeJavaUtilLogging() {
        if (System.getProperty("java.util.logging.config.file") != null
                || System.getProperty("java.util.logging.config.class") != null) {
            return;
        }
        SLF4JBridgeHandler.removeHandlersForRootLogger(); // the JDK's two-line console handler
        SLF4JBridgeHandler.install();
        // Starting the propagator again copies every level to java.util.logging anew: the levels may have been
        // reset there since Logback started (by LogManager.readConfiguration, as a test does).
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
            context.getCopyOfListenerList().stream().filter(LevelChangePropagator.class::isInstance)
                    .forEach(l -> ((LevelChangePropagator) l).start());
        }
    }

    /**
     * Whoever runs lorafab chose the levels: {@code -Dlorafab.log.level} or a configuration file of their own
     * ({@code -Dlogback.configurationFile}); then no command changes them.
     */
    static boolean levelsChosenByUser() {
        return System.getProperty(LEVEL_PROPERTY) != null || System.getProperty("logback.configurationFile") != null;
    }

    /** Sets the root level; java.util.logging follows through the propagator. */
    static void rootLevel(Level level) {
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(level);
        }
    }
}
