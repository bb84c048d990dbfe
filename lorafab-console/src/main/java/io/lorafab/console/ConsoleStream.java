package io.lorafab.console;

/** What serves a console event stream ({@link ConsoleRoutes#sse}). */
public interface ConsoleStream {
    /**
     * Before the stream is opened: throw {@link NotFound} (404) for a request that names nothing to stream. The
     * default accepts every request.
     */
    default void check(ConsoleEvents.Request request) {
    }

    /**
     * The browser is connected: send the first event (the whole current state, so that a browser reconnecting after a
     * restart is right at once) and keep {@code events} to send more; it is on a worker thread, not a request's.
     */
    void open(ConsoleEvents events) throws Exception;
}
