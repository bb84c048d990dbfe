package io.lorafab.lorawan.frame;

/** The message type in bits 7..5 of the MHDR. */
public enum MType {
    JOIN_REQUEST(0, "JoinRequest", true),
    JOIN_ACCEPT(1, "JoinAccept", false),
    UNCONFIRMED_DATA_UP(2, "UnconfirmedDataUp", true),
    UNCONFIRMED_DATA_DOWN(3, "UnconfirmedDataDown", false),
    CONFIRMED_DATA_UP(4, "ConfirmedDataUp", true),
    CONFIRMED_DATA_DOWN(5, "ConfirmedDataDown", false),
    REJOIN_REQUEST(6, "RejoinRequest", true),
    PROPRIETARY(7, "Proprietary", true);

    private static final MType[] BY_CODE = values();
    private final int code;
    private final String displayName;
    private final boolean uplink;

    MType(int code, String displayName, boolean uplink) {
        this.code = code;
        this.displayName = displayName;
        this.uplink = uplink;
    }

    public static MType ofCode(int code) {
        return BY_CODE[code & 0x07];
    }

    public int code() {
        return code;
    }

    /** The name ChirpStack and TTS print, e.g. "UnconfirmedDataUp". */
    public String displayName() {
        return displayName;
    }

    /** Whether the message travels from device to network (proprietary counts as uplink here). */
    public boolean isUplink() {
        return uplink;
    }

    public boolean isDataFrame() {
        return this == UNCONFIRMED_DATA_UP || this == UNCONFIRMED_DATA_DOWN
                || this == CONFIRMED_DATA_UP || this == CONFIRMED_DATA_DOWN;
    }

    public boolean isConfirmed() {
        return this == CONFIRMED_DATA_UP || this == CONFIRMED_DATA_DOWN;
    }
}
