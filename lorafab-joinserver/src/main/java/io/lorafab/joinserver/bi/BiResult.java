package io.lorafab.joinserver.bi;

import java.util.Objects;

/** The Result object of an answer: ResultCode and an optional Description ("" when absent). */
public record BiResult(BiResultCode code, String description) {

    public BiResult {
        Objects.requireNonNull(code, "code");
        description = description == null ? "" : description;
    }

    public static BiResult success() {
        return new BiResult(BiResultCode.SUCCESS, "");
    }

    public static BiResult of(BiResultCode code, String description) {
        return new BiResult(code, description);
    }

    public boolean isSuccess() {
        return code.isSuccess();
    }
}
