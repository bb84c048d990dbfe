package io.lorafab.jose;

/**
 * A recipient key, private key or JWE that lorafab refuses: one line for a person saying what is wrong and what to give
 * instead. The message never contains key material nor the library's exception text.
 */
public final class JweException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JweException(String message) {
        super(message);
    }
}
