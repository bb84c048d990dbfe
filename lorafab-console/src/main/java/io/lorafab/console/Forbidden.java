package io.lorafab.console;

/** Thrown by a page (or {@link ConsoleContext#requireRole}) to answer with the 403 page. */
public final class Forbidden extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public Forbidden(String message) {
        super(message, null, false, false);
    }
}
