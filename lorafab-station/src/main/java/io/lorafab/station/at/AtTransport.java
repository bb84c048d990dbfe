package io.lorafab.station.at;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

/**
 * A line-oriented serial link to a module. Implementations add the line terminator ({@code \r\n}) and strip
 * it (and empty lines) from what they return. Both methods throw {@link AtException} with code
 * {@code timeout} when nothing (or nothing matching) arrives in time.
 */
public interface AtTransport {

    /**
     * Sends one command line and returns the module's synchronous response lines, up to and including the
     * final status line of the dialect (e.g. {@code OK}, {@code AT_PARAM_ERROR}, {@code ok}, {@code +OK}).
     */
    List<String> command(String line, Duration timeout);

    /**
     * Sends a command line followed by raw payload bytes (Murata {@code AT+UTX <len>\r<bytes>}), and returns
     * the synchronous response lines.
     */
    List<String> commandWithData(String line, byte[] data, Duration timeout);

    /**
     * Waits for asynchronous lines; returns every line received, the last one being the first that matches
     * {@code until}.
     */
    List<String> awaitEvent(Predicate<String> until, Duration timeout);

    /**
     * Sends one command line and returns every line up to and including the first that matches {@code until},
     * rather than the dialect's final status line: for a command whose answer the module ends differently, e.g.
     * RUI3's {@code AT+NWM=1}, which reboots the module and is over with its boot banner.
     */
    List<String> commandUntil(String line, Predicate<String> until, Duration timeout);

    /**
     * The clock of this transport's timeouts, in nanoseconds from an arbitrary origin: a driver that schedules
     * around the module's own timing (RUI3's join attempts) reads it here, so that a scripted transport can move it.
     */
    default long nanoTime() {
        return System.nanoTime();
    }
}
