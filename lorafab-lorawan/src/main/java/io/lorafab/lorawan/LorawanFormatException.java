package io.lorafab.lorawan;

/**
 * The one exception the LoRaWAN core raises for malformed input: a frame of the wrong length, an unknown
 * message type, bad hex, a truncated FOpts field, an out-of-range identifier. The message says what is wrong
 * and never contains key material.
 */
public final class LorawanFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LorawanFormatException(String message) {
        super(message);
    }

    public LorawanFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
