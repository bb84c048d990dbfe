package io.lorafab.gateway.semtech;

/**
 * The one exception {@link SemtechCodec#decode(byte[])} raises for anything it cannot accept: a short or
 * over-long datagram, an unsupported protocol version, an unknown identifier, invalid JSON, a missing or
 * out-of-range field, bad base64. The message says what is wrong and, for JSON, where (e.g.
 * {@code rxpk[0].data}).
 */
public final class SemtechProtocolException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SemtechProtocolException(String message) {
        super(message);
    }

    public SemtechProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
