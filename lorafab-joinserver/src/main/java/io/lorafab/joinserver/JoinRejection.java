package io.lorafab.joinserver;

import io.lorafab.api.ErrorCode;
import java.util.Objects;

/**
 * A join-request refused, with its {@link ErrorCode}: {@code malformed}, {@code unknown_device},
 * {@code net_id_not_allowed} (a network server's JoinReq for a device that does not allow its NetID),
 * {@code device_disabled}, {@code mic_mismatch}, {@code dev_nonce_reused}, {@code dev_nonce_too_small},
 * {@code join_nonce_exhausted}, {@code join_rate_limited}. The message never contains key material.
 */
public final class JoinRejection extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ErrorCode code;

    public JoinRejection(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public ErrorCode code() {
        return code;
    }
}
