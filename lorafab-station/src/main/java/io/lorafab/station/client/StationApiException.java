package io.lorafab.station.client;

import io.lorafab.api.ErrorCode;
import java.util.Objects;

/**
 * The server refused a station call (its {@link ErrorCode} and message), or could not be reached. A code this client
 * does not know (from a newer server) is {@link ErrorCode#UNKNOWN_ERROR}, with the word the server sent kept in
 * {@link #wireCode()} for the operator's line.
 */
public final class StationApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final ErrorCode code;
    private final String wireCode;

    public StationApiException(int status, ErrorCode code, String message) {
        this(status, code, code.code(), message);
    }

    /** A refusal as the server wrote it: {@code wireCode} is read into an {@link ErrorCode}, never failing on an unknown word. */
    public StationApiException(int status, String wireCode, String message) {
        this(status, ErrorCode.read(wireCode), wireCode, message);
    }

    private StationApiException(int status, ErrorCode code, String wireCode, String message) {
        super(message);
        this.status = status;
        this.code = Objects.requireNonNull(code, "code");
        this.wireCode = wireCode == null ? code.code() : wireCode;
    }

    /** HTTP status, or 0 when the server could not be reached. */
    public int status() {
        return status;
    }

    public ErrorCode code() {
        return code;
    }

    /** The code as the server wrote it (the same as {@link #code()} for every code this client knows). */
    public String wireCode() {
        return wireCode;
    }
}
