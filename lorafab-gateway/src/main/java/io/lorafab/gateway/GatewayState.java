package io.lorafab.gateway;

import io.lorafab.gateway.semtech.Stat;
import io.lorafab.lorawan.types.Eui64;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An immutable snapshot of what a connector knows about one gateway.
 *
 * @param eui         the gateway EUI
 * @param pushAddress source of its last PUSH_DATA (its uplink socket)
 * @param pullAddress source of its last PULL_DATA: where downlinks go; empty until it sent one
 * @param firstSeen   when it was first heard
 * @param lastSeen    when it was last heard (any datagram)
 * @param lastPull    when its last PULL_DATA arrived
 * @param lastStat    the last {@code stat} object it pushed
 * @param pushData    PUSH_DATA datagrams received
 * @param pullData    PULL_DATA datagrams received
 * @param rxOk        receptions accepted (CRC OK, LoRa) and handed to the deduplicator
 * @param rxDropped   receptions dropped (bad or no CRC, FSK, empty payload)
 * @param txSent      PULL_RESP datagrams sent
 * @param txAck       TX_ACK datagrams matched to a send (accepted or not)
 * @param txErrors    of those, the ones carrying an error
 * @param txTimeouts  sends that got no TX_ACK in time
 */
public record GatewayState(Eui64 eui, Optional<InetSocketAddress> pushAddress,
        Optional<InetSocketAddress> pullAddress, Instant firstSeen, Instant lastSeen, Optional<Instant> lastPull,
        Optional<Stat> lastStat, long pushData, long pullData, long rxOk, long rxDropped, long txSent, long txAck,
        long txErrors, long txTimeouts) {

    public GatewayState {
        Objects.requireNonNull(eui, "eui");
        Objects.requireNonNull(pushAddress, "pushAddress");
        Objects.requireNonNull(pullAddress, "pullAddress");
        Objects.requireNonNull(firstSeen, "firstSeen");
        Objects.requireNonNull(lastSeen, "lastSeen");
        Objects.requireNonNull(lastPull, "lastPull");
        Objects.requireNonNull(lastStat, "lastStat");
        if (pushData < 0 || pullData < 0 || rxOk < 0 || rxDropped < 0 || txSent < 0 || txAck < 0 || txErrors < 0
                || txTimeouts < 0) {
            throw new IllegalArgumentException("counters must not be negative");
        }
    }

    /** A gateway just heard for the first time, nothing counted yet. */
    public static GatewayState first(Eui64 eui, Instant now) {
        return new GatewayState(eui, Optional.empty(), Optional.empty(), now, now, Optional.empty(),
                Optional.empty(), 0, 0, 0, 0, 0, 0, 0, 0);
    }

    /** Whether downlinks can be addressed to it (it sent a PULL_DATA). */
    public boolean hasDownlinkRoute() {
        return pullAddress.isPresent();
    }

    /**
     * Whether its last PULL_DATA is at most {@code maxAge} old at {@code now}. Forwarders send one every 10 s
     * by default; a NAT mapping may be gone after a minute or so without.
     */
    public boolean pulledWithin(Duration maxAge, Instant now) {
        return lastPull.map(t -> !t.plus(maxAge).isBefore(now)).orElse(false);
    }

    GatewayState seen(Instant now) {
        return new GatewayState(eui, pushAddress, pullAddress, firstSeen, now, lastPull, lastStat, pushData,
                pullData, rxOk, rxDropped, txSent, txAck, txErrors, txTimeouts);
    }

    GatewayState pushed(InetSocketAddress from, Instant now, Optional<Stat> stat, int ok, int dropped) {
        return new GatewayState(eui, Optional.of(from), pullAddress, firstSeen, now, lastPull,
                stat.isPresent() ? stat : lastStat, pushData + 1, pullData, rxOk + ok, rxDropped + dropped, txSent,
                txAck, txErrors, txTimeouts);
    }

    GatewayState pulled(InetSocketAddress from, Instant now) {
        return new GatewayState(eui, pushAddress, Optional.of(from), firstSeen, now, Optional.of(now), lastStat,
                pushData, pullData + 1, rxOk, rxDropped, txSent, txAck, txErrors, txTimeouts);
    }

    GatewayState sent() {
        return new GatewayState(eui, pushAddress, pullAddress, firstSeen, lastSeen, lastPull, lastStat, pushData,
                pullData, rxOk, rxDropped, txSent + 1, txAck, txErrors, txTimeouts);
    }

    GatewayState acked(Instant now, boolean accepted) {
        return new GatewayState(eui, pushAddress, pullAddress, firstSeen, now, lastPull, lastStat, pushData,
                pullData, rxOk, rxDropped, txSent, txAck + 1, txErrors + (accepted ? 0 : 1), txTimeouts);
    }

    GatewayState timedOut() {
        return new GatewayState(eui, pushAddress, pullAddress, firstSeen, lastSeen, lastPull, lastStat, pushData,
                pullData, rxOk, rxDropped, txSent, txAck, txErrors, txTimeouts + 1);
    }
}
