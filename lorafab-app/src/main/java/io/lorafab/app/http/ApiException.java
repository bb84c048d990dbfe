package io.lorafab.app.http;

import io.lorafab.api.ErrorCode;
import java.util.Objects;

/** An HTTP error with its {@link ErrorCode}; rendered as {"error":{"code":...,"message":...}} with the code's status. */
public final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    public ApiException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public int status() {
        return code.httpStatus();
    }

    public ErrorCode code() {
        return code;
    }

    public static ApiException badRequest(ErrorCode code, String message) {
        return new ApiException(code, message);
    }
}
