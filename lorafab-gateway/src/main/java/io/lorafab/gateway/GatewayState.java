package io.lorafab.gateway;

import io.lorafab.gateway.semtech.Stat;
import io.lorafab.lorawan.types.Eui64;
import java.net.InetAddress;
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
 * @param pin         the source address the gateway is pinned to, and the claims of other addresses
 */
public record GatewayState(Eui64 eui, Optional<InetSocketAddress> pushAddress,
        Optional<InetSocketAddress> pullAddress, Instant firstSeen, Instant lastSeen, Optional<Instant> lastPull,
        Optional<Stat> lastStat, long pushData, long pullData, long rxOk, long rxDropped, long txSent, long txAck,
        long txErrors, long txTimeouts, AddressPin pin) {

    /**
     * The IP address a gateway's datagrams are accepted from. Only the address is pinned, not the port: a packet
     * forwarder sends from two sockets, and NAT may change ports at any time.
     *
     * @param address        where its datagrams come from
     * @param lastSeen       when a datagram from there was last accepted
     * @param changes        moves to another address accepted (the old one had been silent long enough)
     * @param refused        datagrams refused because they came from another address while this one was active
     * @param lastRefusedFrom the source of the last refused datagram
     * @param lastRefusedAt  when it came
     */
    public record AddressPin(InetAddress address, Instant lastSeen, long changes, long refused,
            Optional<InetSocketAddress> lastRefusedFrom, Optional<Instant> lastRefusedAt) {

        public AddressPin {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(lastSeen, "lastSeen");
            Objects.requireNonNull(lastRefusedFrom, "lastRefusedFrom");
            Objects.requireNonNull(lastRefusedAt, "lastRefusedAt");
        }

        static AddressPin first(InetAddress address, Instant now) {
            return new AddressPin(address, now, 0, 0, Optional.empty(), Optional.empty());
        }

        AddressPin seen(Instant now) {
            return new AddressPin(address, now, changes, refused, lastRefusedFrom, lastRefusedAt);
        }

        AddressPin movedTo(InetAddress to, Instant now) {
            return new AddressPin(to, now, changes + 1, refused, lastRefusedFrom, lastRefusedAt);
        }

        AddressPin refused(InetSocketAddress from, Instant now) {
            return new AddressPin(address, lastSeen, changes, refused + 1, Optional.of(from), Optional.of(now));
        }
    }

    public GatewayState {
        Objects.requireNonNull(eui, "eui");
        Objects.requireNonNull(pushAddress, "pushAddress");
        Objects.requireNonNull(pullAddress, "pullAddress");
        Objects.requireNonNull(firstSeen, "firstSeen");
        Objects.requireNonNull(lastSeen, "lastSeen");
        Objects.requireNonNull(lastPull, "lastPull");
        Objects.requireNonNull(lastStat, "lastStat");
        Objects.requireNonNull(pin, "pin");
        if (pushData < 0 || pullData < 0 || rxOk < 0 || rxDropped < 0 || txSent < 0 || txAck < 0 || txErrors < 0
                || txTimeouts < 0) {
            throw new IllegalArgumentException("counters must not be negative");
        }
    }

    /** A gateway just heard for the first time, from {@code address}; nothing counted yet. */
    public static GatewayState first(Eui64 eui, Instant now, InetAddress address) {
        return new GatewayState(eui, Optional.empty(), Optional.empty(), now, now, Optional.empty(),
                Optional.empty(), 0, 0, 0, 0, 0, 0, 0, 0, AddressPin.first(address, now));
    }

    GatewayState withPin(AddressPin p) {
        return new GatewayState(eui, pushAddress, pullAddress, firstSeen, lastSeen, lastPull, lastStat, pushData,
                pullData, rxOk, rxDropped, txSent, txAck, txErrors, txTimeouts, p);
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
                pullData, rxOk, rxDropped, txSent, txAck, txErrors, txTimeouts, pin);
    }

    GatewayState pushed(InetSocketAddress from, Instant now, Optional<Stat> stat, int ok, int dropped) {
        return new GatewayState(eui, Optional.of(from), pullAddress, firstSeen, now, lastPull,
                stat.isPresent() ? stat : lastStat, pushData + 1, pullData, rxOk + ok, rxDropped + dropped, txSent,
                txAck, txErrors, txTimeouts, pin);
    }

    GatewayState pulled(InetSocketAddress from, Instant now) {
        return new GatewayState(eui, pushAddress, Optional.of(from), firstSeen, now, Optional.of(now), lastStat,
                pushData, pullData + 1, rxOk, rxDropped, txSent, txAck, txErrors, txTimeouts, pin);
    }

    GatewayState sent() {
        return new GatewayState(eui, pushAddress, pullAddress, firstSeen, lastSeen, lastPull, lastStat, pushData,
                pullData, rxOk, rxDropped, txSent + 1, txAck, txErrors, txTimeouts, pin);
    }

    GatewayState acked(Instant now, boolean accepted) {
        return new GatewayState(eui, pushAddress, pullAddress, firstSeen, now, lastPull, lastStat, pushData,
                pullData, rxOk, rxDropped, txSent, txAck + 1, txErrors + (accepted ? 0 : 1), txTimeouts, pin);
    }

    GatewayState timedOut() {
        return new GatewayState(eui, pushAddress, pullAddress, firstSeen, lastSeen, lastPull, lastStat, pushData,
                pullData, rxOk, rxDropped, txSent, txAck, txErrors, txTimeouts + 1, pin);
    }
}
