package io.lorafab.app.wiring;

/**
 * A certificate, key or keystore that TLS cannot be set up with. The message is one line naming the file and
 * what is wrong with it (and how to fix it where that is known); it never holds key material.
 */
public final class TlsConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TlsConfigException(String message) {
        super(message);
    }
}
