package io.lorafab.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A gateway as lorafab knows it. {@code transport} is {@code "semtech-udp"} (a packet forwarder) or
 * {@code "basics-station"} (LoRa Basics Station over websockets). For a UDP gateway: times ISO-8601, {@code address}
 * the IP it is pinned to, other addresses' claims on its EUI refused while it was active, and its last {@code stat}
 * (null: none yet). For a Basics Station gateway: {@code connected} (its traffic socket is open), {@code address} the
 * remote end of that socket, {@code station} what its {@code version} message said, and the uplink and downlink
 * counters in {@code rxOk}, {@code txSent} (dnmsg sent), {@code txAck} (dntxed received), {@code txTimeouts} (no
 * dntxed in time) and {@code rxDropped} (malformed messages); the UDP-only fields are 0 or null.
 */
public record GatewayView(String eui, String firstSeen, String lastSeen, String lastPull, boolean downlinkRoute, long pushData,
        long pullData, long rxOk, long rxDropped, long txSent, long txAck, long txErrors, long txTimeouts, String address,
        long addressChanges, long addressClaimsRefused, String lastRefusedFrom, String lastRefusedAt, GatewayStat lastStat,
        String transport, @JsonInclude(JsonInclude.Include.NON_NULL) Boolean connected,
        @JsonInclude(JsonInclude.Include.NON_NULL) StationInfo station) {

    /** The two transports. */
    public static final String SEMTECH_UDP = "semtech-udp";
    public static final String BASICS_STATION = "basics-station";

    /**
     * A Basics Station's {@code version} message: its version string, model, protocol version and feature list,
     * and when it connected and (if it did) disconnected.
     */
    public record StationInfo(String version, String model, int protocol, String features, String firmware,
            String connectedAt, @JsonInclude(JsonInclude.Include.NON_NULL) String disconnectedAt) {
    }
}
