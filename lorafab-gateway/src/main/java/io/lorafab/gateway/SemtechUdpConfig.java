package io.lorafab.gateway;

import io.lorafab.lorawan.types.Eui64;
import java.net.InetAddress;
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
 * @param maxGateways      gateways tracked at most; beyond it the one heard least recently is forgotten (the
 *                         protocol is unauthenticated; see {@link InMemoryGatewayRegistry})
 * @param maxDatagramBytes larger datagrams are dropped and counted (default {@value #DEFAULT_MAX_DATAGRAM_BYTES};
 *                         at most 65507, the UDP/IPv4 maximum)
 * @param allowList        the only gateways served (their PUSH_DATA, PULL_DATA and TX_ACK), by EUI and optionally
 *                         source address; empty serves any
 * @param addrChangeBlock  how long a gateway stays pinned to its source address after it was last heard there:
 *                         datagrams claiming its EUI from another address are refused until then (The Things
 *                         Stack's {@code gs.udp.addr-change-block}); zero accepts a move at once (still logged)
 * @param maxRxpkPerPush   a PUSH_DATA with more receptions is dropped whole (default {@value #DEFAULT_MAX_RXPK})
 * @param rxpkPerSecondPerAddress receptions accepted per second per source IP address (one second's worth may
 *                         come at once); 0 = no limit
 */
public record SemtechUdpConfig(InetSocketAddress bindAddress, Duration ackTimeout, Duration dedupWindow,
        int maxPendingFrames, int maxGateways, int maxDatagramBytes, GatewayAllowList allowList,
        Duration addrChangeBlock, int maxRxpkPerPush, int rxpkPerSecondPerAddress) {

    /** The port packet forwarders use by default. */
    public static final int DEFAULT_PORT = 1700;
    public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(2);
    public static final int MAX_UDP_PAYLOAD = 65_507;
    /**
     * Semtech's SX1301 packet forwarder builds each PUSH_DATA in a 4,550-byte buffer, at most 8 receptions
     * ({@code NB_PKT_MAX}, {@code TX_BUFF_SIZE} in {@code lora_pkt_fwd.c}); it reserves 540 bytes per reception, so
     * 8 KiB still holds 15 receptions of the longest frames.
     */
    public static final int DEFAULT_MAX_DATAGRAM_BYTES = 8 * 1024;
    /**
     * A concentrator demodulates at most 8 (SX1301) to 16 (SX1302) LoRa frames at the same time, and the forwarder
     * empties it every 10 ms, so one PUSH_DATA carries a handful of receptions; 32 is twice the SX1302's bound.
     */
    public static final int DEFAULT_MAX_RXPK = 32;
    /**
     * The Things Stack's default for {@code addr-change-block} has been 5 min, 15 s and 0 (off) across releases; a
     * minute outlasts several missed 10 s keep-alives, yet lets a gateway that really moved (new DHCP lease, LTE
     * backhaul) back in soon.
     */
    public static final Duration DEFAULT_ADDR_CHANGE_BLOCK = Duration.ofMinutes(1);
    /**
     * A gateway cannot hear more than about 260 frames a second (16 demodulators, the shortest join-request at
     * SF7/125 kHz is 61.7 ms on air); 1,000 leaves room for several gateways behind one NAT address.
     */
    public static final int DEFAULT_RXPK_PER_SECOND_PER_ADDRESS = 1_000;

    public SemtechUdpConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(ackTimeout, "ackTimeout");
        Objects.requireNonNull(dedupWindow, "dedupWindow");
        Objects.requireNonNull(allowList, "allowList");
        Objects.requireNonNull(addrChangeBlock, "addrChangeBlock");
        if (ackTimeout.isNegative() || ackTimeout.isZero()) {
            throw new IllegalArgumentException("ackTimeout must be positive, got " + ackTimeout);
        }
        if (dedupWindow.isNegative()) {
            throw new IllegalArgumentException("dedupWindow must not be negative, got " + dedupWindow);
        }
        if (addrChangeBlock.isNegative()) {
            throw new IllegalArgumentException("addrChangeBlock must not be negative, got " + addrChangeBlock);
        }
        if (maxPendingFrames < 1 || maxGateways < 1 || maxRxpkPerPush < 1) {
            throw new IllegalArgumentException("maxPendingFrames, maxGateways and maxRxpkPerPush must be positive");
        }
        if (rxpkPerSecondPerAddress < 0) {
            throw new IllegalArgumentException("rxpkPerSecondPerAddress must not be negative");
        }
        if (maxDatagramBytes < 12 || maxDatagramBytes > MAX_UDP_PAYLOAD) {
            throw new IllegalArgumentException("maxDatagramBytes must be 12.." + MAX_UDP_PAYLOAD + ", got "
                    + maxDatagramBytes);
        }
    }

    /** Defaults, listening on {@code bindAddress}. */
    public static SemtechUdpConfig listeningOn(InetSocketAddress bindAddress) {
        return new SemtechUdpConfig(bindAddress, DEFAULT_ACK_TIMEOUT, Deduplicator.DEFAULT_WINDOW,
                Deduplicator.DEFAULT_MAX_PENDING, InMemoryGatewayRegistry.DEFAULT_MAX_GATEWAYS, DEFAULT_MAX_DATAGRAM_BYTES,
                GatewayAllowList.any(), DEFAULT_ADDR_CHANGE_BLOCK, DEFAULT_MAX_RXPK, DEFAULT_RXPK_PER_SECOND_PER_ADDRESS);
    }

    /** Defaults: loopback only (nothing off this machine can reach an unauthenticated listener by accident), port 1700. */
    public static SemtechUdpConfig defaults() {
        return listeningOn(new InetSocketAddress(InetAddress.getLoopbackAddress(), DEFAULT_PORT));
    }

    public SemtechUdpConfig withAckTimeout(Duration timeout) {
        return new SemtechUdpConfig(bindAddress, timeout, dedupWindow, maxPendingFrames, maxGateways, maxDatagramBytes,
                allowList, addrChangeBlock, maxRxpkPerPush, rxpkPerSecondPerAddress);
    }

    public SemtechUdpConfig withDedupWindow(Duration window) {
        return new SemtechUdpConfig(bindAddress, ackTimeout, window, maxPendingFrames, maxGateways, maxDatagramBytes,
                allowList, addrChangeBlock, maxRxpkPerPush, rxpkPerSecondPerAddress);
    }

    public SemtechUdpConfig withMaxPendingFrames(int max) {
        return new SemtechUdpConfig(bindAddress, ackTimeout, dedupWindow, max, maxGateways, maxDatagramBytes,
                allowList, addrChangeBlock, maxRxpkPerPush, rxpkPerSecondPerAddress);
    }

    public SemtechUdpConfig withMaxGateways(int max) {
        return new SemtechUdpConfig(bindAddress, ackTimeout, dedupWindow, maxPendingFrames, max, maxDatagramBytes,
                allowList, addrChangeBlock, maxRxpkPerPush, rxpkPerSecondPerAddress);
    }

    /** Serves only these gateways, from any address; an empty set serves any. */
    public SemtechUdpConfig withAllowedGateways(Set<Eui64> gateways) {
        return withAllowList(GatewayAllowList.of(gateways));
    }

    public SemtechUdpConfig withAllowList(GatewayAllowList list) {
        return new SemtechUdpConfig(bindAddress, ackTimeout, dedupWindow, maxPendingFrames, maxGateways, maxDatagramBytes,
                list, addrChangeBlock, maxRxpkPerPush, rxpkPerSecondPerAddress);
    }

    public SemtechUdpConfig withMaxDatagramBytes(int max) {
        return new SemtechUdpConfig(bindAddress, ackTimeout, dedupWindow, maxPendingFrames, maxGateways, max,
                allowList, addrChangeBlock, maxRxpkPerPush, rxpkPerSecondPerAddress);
    }

    public SemtechUdpConfig withAddrChangeBlock(Duration block) {
        return new SemtechUdpConfig(bindAddress, ackTimeout, dedupWindow, maxPendingFrames, maxGateways, maxDatagramBytes,
                allowList, block, maxRxpkPerPush, rxpkPerSecondPerAddress);
    }

    public SemtechUdpConfig withMaxRxpkPerPush(int max) {
        return new SemtechUdpConfig(bindAddress, ackTimeout, dedupWindow, maxPendingFrames, maxGateways, maxDatagramBytes,
                allowList, addrChangeBlock, max, rxpkPerSecondPerAddress);
    }

    /** 0 = no limit. */
    public SemtechUdpConfig withRxpkPerSecondPerAddress(int rate) {
        return new SemtechUdpConfig(bindAddress, ackTimeout, dedupWindow, maxPendingFrames, maxGateways, maxDatagramBytes,
                allowList, addrChangeBlock, maxRxpkPerPush, rate);
    }
}
