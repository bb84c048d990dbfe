package io.lorafab.joinserver.bi;

import java.util.Optional;

/**
 * The Result.ResultCode values of LoRaWAN Backend Interfaces, written exactly as the specification spells them.
 *
 * <p>Two spellings need care. The specification (1.0 and 1.1) spells the unknown-receiver code
 * {@code UnkownReceiver}; that is what {@link #UNKNOWN_RECEIVER} writes (as The Things Stack does), and the
 * corrected {@code UnknownReceiver} is accepted too (ChirpStack and The Things Stack accept both). Malformed
 * input is {@code MalformedRequest} in 1.0 and {@code MalformedMessage} in 1.1: use {@link #malformed}.
 */
public enum BiResultCode {
    SUCCESS("Success"),
    /** Backend Interfaces 1.1. */
    NO_ACTION("NoAction"),
    MIC_FAILED("MICFailed"),
    /** Backend Interfaces 1.1. */
    FRAME_REPLAYED("FrameReplayed"),
    JOIN_REQ_FAILED("JoinReqFailed"),
    NO_ROAMING_AGREEMENT("NoRoamingAgreement"),
    DEV_ROAMING_DISALLOWED("DevRoamingDisallowed"),
    /** Also read as "RoamingActDisallowedA", a misspelling found in brocaar/lorawan (ChirpStack v3). */
    ROAMING_ACT_DISALLOWED("RoamingActDisallowed", "RoamingActDisallowedA"),
    ACTIVATION_DISALLOWED("ActivationDisallowed"),
    UNKNOWN_DEV_EUI("UnknownDevEUI"),
    UNKNOWN_DEV_ADDR("UnknownDevAddr"),
    UNKNOWN_SENDER("UnknownSender"),
    /** Written with the specification's spelling "UnkownReceiver"; "UnknownReceiver" is read as well. */
    UNKNOWN_RECEIVER("UnkownReceiver", "UnknownReceiver"),
    DEFERRED("Deferred"),
    XMIT_FAILED("XmitFailed"),
    INVALID_F_PORT("InvalidFPort"),
    INVALID_PROTOCOL_VERSION("InvalidProtocolVersion"),
    STALE_DEVICE_PROFILE("StaleDeviceProfile"),
    /** Malformed input, Backend Interfaces 1.0. */
    MALFORMED_REQUEST("MalformedRequest"),
    /** Malformed input, Backend Interfaces 1.1. */
    MALFORMED_MESSAGE("MalformedMessage"),
    FRAME_SIZE_ERROR("FrameSizeError"),
    OTHER("Other");

    private final String wire;
    private final String alias;

    BiResultCode(String wire) {
        this(wire, null);
    }

    BiResultCode(String wire, String alias) {
        this.wire = wire;
        this.alias = alias;
    }

    /** The text written in Result.ResultCode. */
    public String wire() {
        return wire;
    }

    /** The code written as {@code text} (exact, case-sensitive), including the accepted alternative spellings. */
    public static Optional<BiResultCode> fromWire(String text) {
        for (BiResultCode c : values()) {
            if (c.wire.equals(text) || (c.alias != null && c.alias.equals(text))) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** The code for a malformed message in {@code version}: MalformedRequest (1.0) or MalformedMessage (1.1). */
    public static BiResultCode malformed(BiProtocolVersion version) {
        return version == BiProtocolVersion.V1_1 ? MALFORMED_MESSAGE : MALFORMED_REQUEST;
    }

    public boolean isSuccess() {
        return this == SUCCESS;
    }

    @Override
    public String toString() {
        return wire;
    }
}
