package io.lorafab.store;

import io.lorafab.api.ErrorCode;
import java.util.Objects;

/**
 * A refusal or failure of the registry, with its {@link ErrorCode} that the HTTP API and the command line pass on
 * (for example {@code not_found}, {@code duplicate}, {@code eui_block_exhausted}, {@code illegal_transition}).
 * Messages never contain key material.
 */
public class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    public StoreException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public StoreException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }

    public static StoreException notFound(String what) {
        return new StoreException(ErrorCode.NOT_FOUND, what + " not found");
    }
}
