package io.lorafab.console;

/** Thrown by a page to answer with the 404 page: {@code message} says what was not found, in words. */
public final class NotFound extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NotFound(String message) {
        super(message, null, false, false);
    }
}
