package io.lorafab.app.cli;

import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * One log format for every source: lorafab's modules log through SLF4J (app, store) or {@link System.Logger}
 * (gateway, join server, simulator — which the JDK sends to java.util.logging, as it does its own HTTP server's
 * logs). java.util.logging is handed to SLF4J here, so that every line is written by the one SLF4J back end, in its
 * one format (timestamp, level, logger's short name, message; {@code simplelogger.properties}). A back end that
 * replaces slf4j-simple keeps this bridge. An explicit {@code -Djava.util.logging.config.file} (or {@code .class})
 * wins: then java.util.logging is left as configured.
 */
final class Logging {

    private Logging() {
    }

    /**
     * Routes java.util.logging to SLF4J, passing records from {@code level} up (finer ones are not even built, which
     * keeps the per-datagram DEBUG and TRACE calls of the gateway free).
     */
    static void routeJavaUtilLogging(Level level) {
        if (System.getProperty("java.util.logging.config.file") != null
                || System.getProperty("java.util.logging.config.class") != null) {
            return;
        }
        LogManager.getLogManager().reset(); // drops the JDK's two-line console handler
        SLF4JBridgeHandler.install();
        Logger.getLogger("").setLevel(level);
    }
}
