package io.lorafab.joinserver.bi;

import java.util.Objects;
import java.util.Optional;

/**
 * The one exception {@link BiCodec#parse(byte[])} raises for a body it cannot accept: not JSON, not an object, a
 * missing or ill-typed field, bad hex, an out-of-range number, an unknown or unsupported message type, an unknown
 * protocol version. The message names the field (e.g. {@code NwkSKey.AESKey: expected 24 bytes ...}) and never
 * contains key material.
 *
 * <p>It also carries what the HTTP layer needs to answer: the {@link #resultCode()} to report
 * ({@code MalformedRequest}, or {@code InvalidProtocolVersion}) and, when the message header itself was readable,
 * that {@link #header()}, from which {@link #answer()} builds the failure answer (sender and receiver swapped,
 * TransactionID kept).
 */
public final class BiFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final BiResultCode resultCode;
    private final transient BiHeader header;

    public BiFormatException(String message) {
        this(message, BiResultCode.MALFORMED_REQUEST, null, null);
    }

    public BiFormatException(String message, Throwable cause) {
        this(message, BiResultCode.MALFORMED_REQUEST, null, cause);
    }

    BiFormatException(String message, BiResultCode resultCode, BiHeader header, Throwable cause) {
        super(message, cause);
        this.resultCode = Objects.requireNonNull(resultCode, "resultCode");
        this.header = header;
    }

    /**
     * The result code to answer with: {@link BiResultCode#INVALID_PROTOCOL_VERSION} for an unknown
     * ProtocolVersion, otherwise {@link BiResultCode#MALFORMED_REQUEST} (which {@link #answer()} turns into
     * {@code MalformedMessage} for a Backend Interfaces 1.1 request).
     */
    public BiResultCode resultCode() {
        return resultCode;
    }

    /**
     * The header of the refused message, when it could be read. For an unknown or missing ProtocolVersion the
     * header says 1.0, the version to answer in.
     */
    public Optional<BiHeader> header() {
        return Optional.ofNullable(header);
    }

    /**
     * The failure answer to send back: present when the header was readable and its MessageType is a request.
     * Its Result carries {@link #resultCode()} (as {@link BiResultCode#malformed} of the request's version for a
     * malformed request) and this exception's message as Description.
     */
    public Optional<BiMessage> answer() {
        if (header == null || header.messageType().answer().isEmpty()) {
            return Optional.empty();
        }
        BiResultCode code = resultCode == BiResultCode.MALFORMED_REQUEST
                ? BiResultCode.malformed(header.protocolVersion()) : resultCode;
        return Optional.of(BiMessage.failureAnswer(header, code, getMessage()));
    }

    /** The same failure, now knowing the header of the message it is about. */
    BiFormatException withHeader(BiHeader h) {
        BiFormatException e = new BiFormatException(getMessage(), resultCode, h, getCause());
        e.setStackTrace(getStackTrace());
        return e;
    }
}
