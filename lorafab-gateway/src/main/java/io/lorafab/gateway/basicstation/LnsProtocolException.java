package io.lorafab.gateway.basicstation;

/**
 * The one exception the Basics Station codec raises for a message it cannot accept: invalid JSON, a missing
 * {@code msgtype}, a missing or out-of-range field, bad hex, an EUI in no form the station uses. The message is one
 * line for a person and names the field ({@code upinfo.rssi}, {@code FOpts}); it never quotes key material (these
 * messages carry none) and never a Java class name.
 */
public final class LnsProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public LnsProtocolException(String message) {
        super(message);
    }

    public LnsProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
