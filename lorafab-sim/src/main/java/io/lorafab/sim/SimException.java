package io.lorafab.sim;

/** Bad input to a virtual device or gateway, or a device state that cannot be read or written. */
public final class SimException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SimException(String message) {
        super(message);
    }

    public SimException(String message, Throwable cause) {
        super(message, cause);
    }
}
