package io.lorafab.joinserver.bi;

import java.util.Optional;

/**
 * The LoRaWAN Backend Interfaces version in a message's ProtocolVersion field: {@code "1.0"} (TS002-1.0) or
 * {@code "1.1"} (TS002-1.1). It is the version of the message format, not the device's MAC version: ChirpStack v4
 * sends "1.0" for every device, The Things Stack sends what its interop configuration says.
 */
public enum BiProtocolVersion {
    V1_0("1.0"),
    V1_1("1.1");

    private final String wire;

    BiProtocolVersion(String wire) {
        this.wire = wire;
    }

    /** The text in the ProtocolVersion field. */
    public String wire() {
        return wire;
    }

    /** The version written exactly as {@code text}, if any. */
    public static Optional<BiProtocolVersion> fromWire(String text) {
        for (BiProtocolVersion v : values()) {
            if (v.wire.equals(text)) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }

    /** Whether SenderNSID/ReceiverNSID belong to this version (they were introduced by 1.1). */
    public boolean hasNsIds() {
        return this == V1_1;
    }

    @Override
    public String toString() {
        return wire;
    }
}
