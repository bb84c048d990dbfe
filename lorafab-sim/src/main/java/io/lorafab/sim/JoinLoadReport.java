package io.lorafab.sim;

import java.time.Duration;
import java.util.Map;

/**
 * What a join load run measured: how many devices joined, were refused (by the device: bad MIC, stale
 * JoinNonce) or heard no join-accept, the joins per second over the whole run and the join latency (join-request
 * pushed to join-accept accepted) of the joined devices, and the downlinks the gateways refused with their TX_ACK
 * error (on air, a single-radio gateway fits a join-accept about every 83 ms at SF7: devices that join in
 * lockstep collide there, as they would on a real one).
 */
public record JoinLoadReport(int devices, int gateways, int joined, int noAnswer, Map<JoinRefusal, Integer> refused,
        Duration elapsed, LatencyStats latency, Map<io.lorafab.gateway.semtech.TxAckError, Long> downlinksRefused) {

    public JoinLoadReport {
        refused = Map.copyOf(refused);
        downlinksRefused = Map.copyOf(downlinksRefused);
    }

    public double joinsPerSecond() {
        return elapsed.isZero() ? 0 : joined / (elapsed.toNanos() / 1e9);
    }

    /** One line for a terminal. */
    public String summary() {
        return String.format(java.util.Locale.ROOT,
                "%d/%d joined via %d gateways in %.2f s: %.1f joins/s, latency p50 %d ms, p90 %d ms, p99 %d ms, max %d ms;"
                        + " no answer %d, refused %s%s",
                joined, devices, gateways, elapsed.toNanos() / 1e9, joinsPerSecond(), latency.p50().toMillis(),
                latency.p90().toMillis(), latency.p99().toMillis(), latency.max().toMillis(), noAnswer, refused,
                downlinksRefused.isEmpty() ? "" : "; downlinks refused by the gateways " + new java.util.TreeMap<>(downlinksRefused));
    }
}
