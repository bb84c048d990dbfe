package io.lorafab.joinserver;

/**
 * A join-request refused, with a stable snake_case code: {@code malformed}, {@code unknown_device},
 * {@code net_id_not_allowed} (a network server's JoinReq for a device that does not allow its NetID),
 * {@code device_disabled}, {@code mic_mismatch}, {@code dev_nonce_reused}, {@code dev_nonce_too_small},
 * {@code join_nonce_exhausted}, {@code join_rate_limited}. The message never contains key material.
 */
public final class JoinRejection extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String code;

    public JoinRejection(String code, String message) {
        super(message);
        this.code = code;
    }

    public String code() {
        return code;
    }
}
