package io.lorafab.gateway;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One distinct frame, with every reception of it that arrived within the deduplication window.
 *
 * @param phyPayload the PHYPayload bytes (copied in and out)
 * @param receptions at least one, sorted best first ({@link RxInfo#BEST_FIRST}) by the constructor
 * @param receivedAt when the connector received the first reception (its clock, not the gateway's)
 */
public record Uplink(byte[] phyPayload, List<RxInfo> receptions, Instant receivedAt) {

    public Uplink {
        phyPayload = Objects.requireNonNull(phyPayload, "phyPayload").clone();
        List<RxInfo> sorted = new ArrayList<>(Objects.requireNonNull(receptions, "receptions"));
        if (sorted.isEmpty()) {
            throw new IllegalArgumentException("an uplink needs at least one reception");
        }
        sorted.forEach(r -> Objects.requireNonNull(r, "reception"));
        sorted.sort(RxInfo.BEST_FIRST);
        receptions = List.copyOf(sorted);
        Objects.requireNonNull(receivedAt, "receivedAt");
    }

    /** A copy of the payload. */
    @Override
    public byte[] phyPayload() {
        return phyPayload.clone();
    }

    /** The best reception: the one a downlink should go through. */
    public RxInfo best() {
        return receptions.get(0);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Uplink u && Arrays.equals(phyPayload, u.phyPayload) && receptions.equals(u.receptions)
                && receivedAt.equals(u.receivedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(phyPayload), receptions, receivedAt);
    }

    /** Without the payload bytes (only their count), so that an uplink can be logged. */
    @Override
    public String toString() {
        return "Uplink[" + phyPayload.length + " bytes, receptions=" + receptions + ", receivedAt=" + receivedAt + "]";
    }
}
