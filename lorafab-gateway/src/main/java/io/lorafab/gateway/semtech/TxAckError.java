package io.lorafab.gateway.semtech;

/**
 * The {@code error} (or {@code warn}) string of a TX_ACK. Strings this enum does not know decode as
 * {@link #UNKNOWN} rather than failing, so that the acknowledgement (and its token) still reaches the server;
 * encoding {@code UNKNOWN} writes {@code "UNKNOWN"}, which is also what reference forwarders send for an
 * unclassified failure.
 */
public enum TxAckError {
    /** Packet accepted for transmission (also the value when the TX_ACK carries no JSON). */
    NONE,
    /** Too late to program the packet for the requested timestamp. */
    TOO_LATE,
    /** Requested timestamp too far ahead. */
    TOO_EARLY,
    /** Collides with a packet already programmed. */
    COLLISION_PACKET,
    /** Collides with a beacon. */
    COLLISION_BEACON,
    /** Frequency not supported by the TX RF chain. */
    TX_FREQ,
    /** Power not supported (an error), or power adjusted (a warning, with the power used as value). */
    TX_POWER,
    /** GPS time requested but GPS not locked. */
    GPS_UNLOCKED,
    /** Any other string. */
    UNKNOWN;

    /** Never fails: unknown strings give {@link #UNKNOWN}. */
    public static TxAckError fromWire(String s) {
        for (TxAckError e : values()) {
            if (e.name().equals(s)) {
                return e;
            }
        }
        return UNKNOWN;
    }
}
