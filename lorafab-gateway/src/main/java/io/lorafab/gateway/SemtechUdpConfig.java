package io.lorafab.gateway;

import io.lorafab.lorawan.types.Eui64;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * Settings of a {@link SemtechUdpConnector}.
 *
 * @param bindAddress      where to listen; port 0 picks an ephemeral port (see
 *                         {@link SemtechUdpConnector#localPort()})
 * @param ackTimeout       how long a {@code send} waits for the gateway's TX_ACK before it reports
 *                         {@link TxResult.Status#TIMEOUT} (default 2 s)
 * @param dedupWindow      how long after the first reception of a frame other gateways' receptions are still
 *                         merged into it (default 200 ms)
 * @param maxPendingFrames frames waiting in the deduplication window at most; more are dropped and counted
 * @param maxGateways      gateways tracked at most (the protocol is unauthenticated; see
 *                         {@link InMemoryGatewayRegistry})
 * @param maxDatagramBytes larger datagrams are dropped and counted (at most 65507, the UDP/IPv4 maximum)
 * @param allowedGateways  the only gateway EUIs served (their PUSH_DATA, PULL_DATA and TX_ACK); empty serves any
 */
public record SemtechUdpConfig(InetSocketAddress bindAddress, Duration ackTimeout, Duration dedupWindow,
        int maxPendingFrames, int maxGateways, int maxDatagramBytes, Set<Eui64> allowedGateways) {

    /** The port packet forwarders use by default. */
    public static final int DEFAULT_PORT = 1700;
    public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(2);
    public static final int MAX_UDP_PAYLOAD = 65_507;

    public SemtechUdpConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(ackTimeout, "ackTimeout");
        Objects.requireNonNull(dedupWindow, "dedupWindow");
        if (ackTimeout.isNegative() || ackTimeout.isZero()) {
            throw new IllegalArgumentException("ackTimeout must be positive, got " + ackTimeout);
        }
        if (dedupWindow.isNegative()) {
            throw new IllegalArgumentException("dedupWindow must not be negative, got " + dedupWindow);
        }
        if (maxPendingFrames < 1 || maxGateways < 1) {
            throw new IllegalArgumentException("maxPendingFrames and maxGateways must be positive");
        }
        allowedGateways = Set.copyOf(Objects.requireNonNull(allowedGateways, "allowedGateways"));
        if (maxDatagramBytes < 12 || maxDatagramBytes > MAX_UDP_PAYLOAD) {
            throw new IllegalArgumentException("maxDatagramBytes must be 12.." + MAX_UDP_PAYLOAD + ", got "
                    + maxDatagramBytes);
        }
    }

    /** Defaults, listening on {@code bindAddress}. */
    public static SemtechUdpConfig listeningOn(InetSocketAddress bindAddress) {
        return new SemtechUdpConfig(bindAddress, DEFAULT_ACK_TIMEOUT, Deduplicator.DEFAULT_WINDOW,
                Deduplicator.DEFAULT_MAX_PENDING, InMemoryGatewayRegistry.DEFAULT_MAX_GATEWAYS, MAX_UDP_PAYLOAD, Set.of());
    }

    /** Defaults: all interfaces, port 1700. */
    public static SemtechUdpConfig defaults() {
        return listeningOn(new InetSocketAddress(DEFAULT_PORT));
    }

    public SemtechUdpConfig withAckTimeout(Duration timeout) {
        return new SemtechUdpConfig(bindAddress, timeout, dedupWindow, maxPendingFrames, maxGateways,
                maxDatagramBytes, allowedGateways);
    }

    public SemtechUdpConfig withDedupWindow(Duration window) {
        return new SemtechUdpConfig(bindAddress, ackTimeout, window, maxPendingFrames, maxGateways,
                maxDatagramBytes, allowedGateways);
    }

    public SemtechUdpConfig withMaxPendingFrames(int max) {
        return new SemtechUdpConfig(bindAddress, ackTimeout, dedupWindow, max, maxGateways, maxDatagramBytes, allowedGateways);
    }

    public SemtechUdpConfig withMaxGateways(int max) {
        return new SemtechUdpConfig(bindAddress, ackTimeout, dedupWindow, maxPendingFrames, max, maxDatagramBytes, allowedGateways);
    }

    /** Serves only these gateways; an empty set serves any. */
    public SemtechUdpConfig withAllowedGateways(Set<Eui64> gateways) {
        return new SemtechUdpConfig(bindAddress, ackTimeout, dedupWindow, maxPendingFrames, maxGateways, maxDatagramBytes, gateways);
    }

    /** Whether {@code gateway} is served. */
    public boolean allows(Eui64 gateway) {
        return allowedGateways.isEmpty() || allowedGateways.contains(gateway);
    }

    public SemtechUdpConfig withMaxDatagramBytes(int max) {
        return new SemtechUdpConfig(bindAddress, ackTimeout, dedupWindow, maxPendingFrames, maxGateways, max, allowedGateways);
    }
}
