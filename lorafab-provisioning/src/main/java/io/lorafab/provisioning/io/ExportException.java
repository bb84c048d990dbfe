package io.lorafab.provisioning.io;

/**
 * An export that cannot be written as asked: a format that cannot carry wrapped keys, a missing or malformed
 * option (application ID, device profile ID, frequency plan), or devices the target format cannot hold.
 * The message says what and, where it helps, which device (by DevEUI); it never contains key material.
 */
public final class ExportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ExportException(String message) {
        super(message);
    }
}
