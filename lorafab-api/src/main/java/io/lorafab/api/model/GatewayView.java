package io.lorafab.api.model;

/**
 * A gateway as the UDP listener knows it: times ISO-8601, {@code address} the IP it is pinned to, other
 * addresses' claims on its EUI refused while it was active, and its last {@code stat} (null: none yet).
 */
public record GatewayView(String eui, String firstSeen, String lastSeen, String lastPull, boolean downlinkRoute, long pushData,
        long pullData, long rxOk, long rxDropped, long txSent, long txAck, long txErrors, long txTimeouts, String address,
        long addressChanges, long addressClaimsRefused, String lastRefusedFrom, String lastRefusedAt, GatewayStat lastStat) {
}
