package io.lorafab.joinserver.bi;

import java.util.Optional;

/**
 * The MessageType values of LoRaWAN Backend Interfaces (TS002-1.0 and 1.1), each request paired with its
 * answer. {@link BiCodec} reads JoinReq, JoinAns, AppSKeyReq and AppSKeyAns fully, reads any other answer (and
 * ErrorNotif) as an {@link ErrorAnswer}, and refuses the other requests as unsupported.
 */
public enum BiMessageType {
    JOIN_REQ("JoinReq"),
    JOIN_ANS("JoinAns"),
    REJOIN_REQ("RejoinReq"),
    REJOIN_ANS("RejoinAns"),
    APP_S_KEY_REQ("AppSKeyReq"),
    APP_S_KEY_ANS("AppSKeyAns"),
    PR_START_REQ("PRStartReq"),
    PR_START_ANS("PRStartAns"),
    PR_STOP_REQ("PRStopReq"),
    PR_STOP_ANS("PRStopAns"),
    HR_START_REQ("HRStartReq"),
    HR_START_ANS("HRStartAns"),
    HR_STOP_REQ("HRStopReq"),
    HR_STOP_ANS("HRStopAns"),
    HOME_NS_REQ("HomeNSReq"),
    HOME_NS_ANS("HomeNSAns"),
    PROFILE_REQ("ProfileReq"),
    PROFILE_ANS("ProfileAns"),
    XMIT_DATA_REQ("XmitDataReq"),
    XMIT_DATA_ANS("XmitDataAns"),
    XMIT_LOC_REQ("XmitLocReq"),
    XMIT_LOC_ANS("XmitLocAns"),
    /** Backend Interfaces 1.1 error notification; read like an answer (header and Result). */
    ERROR_NOTIF("ErrorNotif");

    private final String wire;

    BiMessageType(String wire) {
        this.wire = wire;
    }

    /** The text in the MessageType field. */
    public String wire() {
        return wire;
    }

    public static Optional<BiMessageType> fromWire(String text) {
        for (BiMessageType t : values()) {
            if (t.wire.equals(text)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** Requests are the types ending in "Req"; each has an answer type. */
    public boolean isRequest() {
        return wire.endsWith("Req");
    }

    /** The answer type of a request (JoinReq to JoinAns), empty for answers and ErrorNotif. */
    public Optional<BiMessageType> answer() {
        return isRequest() ? Optional.of(values()[ordinal() + 1]) : Optional.empty();
    }

    @Override
    public String toString() {
        return wire;
    }
}
