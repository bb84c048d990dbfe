package io.lorafab.sim;

/** Why a virtual device ignored a downlink offered as a join-accept. */
public enum JoinRefusal {
    /** Not a join-accept (another message type, or bytes that do not parse). */
    NOT_A_JOIN_ACCEPT("not_a_join_accept"),
    /** The device has not sent a join-request yet. */
    NO_PENDING_JOIN("no_pending_join"),
    /** The MIC does not verify with the device's key and its version's MIC layout. */
    MIC_MISMATCH("mic_mismatch"),
    /** 1.0.4/1.1: the JoinNonce is not greater than the last one accepted (replayed or old accept). */
    STALE_JOIN_NONCE("stale_join_nonce");

    private final String code;

    JoinRefusal(String code) {
        this.code = code;
    }

    public String code() {
        return code;
    }
}
