package io.lorafab.gateway.semtech;

import java.util.Optional;

/** The identifier byte (offset 3) of a protocol-version-2 datagram. */
public enum PacketType {
    /** Gateway to server: received packets and/or status, JSON required. */
    PUSH_DATA(0x00, true),
    /** Server to gateway: acknowledges a PUSH_DATA. */
    PUSH_ACK(0x01, false),
    /** Gateway to server: keep-alive that opens the downlink route. */
    PULL_DATA(0x02, true),
    /** Server to gateway: a packet to transmit, JSON required. */
    PULL_RESP(0x03, false),
    /** Server to gateway: acknowledges a PULL_DATA. */
    PULL_ACK(0x04, false),
    /** Gateway to server: outcome of a PULL_RESP, JSON optional. */
    TX_ACK(0x05, true);

    private final int id;
    private final boolean hasGatewayEui;

    PacketType(int id, boolean hasGatewayEui) {
        this.id = id;
        this.hasGatewayEui = hasGatewayEui;
    }

    /** The identifier byte value. */
    public int id() {
        return id;
    }

    /** Whether bytes 4..11 carry the gateway EUI. */
    public boolean hasGatewayEui() {
        return hasGatewayEui;
    }

    public static Optional<PacketType> fromId(int id) {
        for (PacketType t : values()) {
            if (t.id == id) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
