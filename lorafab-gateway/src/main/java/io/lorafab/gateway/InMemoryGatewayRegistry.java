package io.lorafab.gateway;

import io.lorafab.gateway.GatewayState.AddressPin;
import io.lorafab.gateway.semtech.Stat;
import io.lorafab.lorawan.types.Eui64;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * A thread-safe {@link GatewayRegistry} in memory, for connectors (and simulators) to record into.
 *
 * <p>The Semtech UDP protocol is unauthenticated, so anyone can announce any EUI: the number of gateways is
 * capped, and beyond the cap the gateway heard least recently is forgotten to make room (its eviction is reported
 * to the listener). Refusing newcomers instead would let a burst of made-up EUIs keep every real gateway that comes
 * later out for good. Every operation is a hash lookup plus a move in the recency list: O(1).
 *
 * <p>Each gateway is pinned to the IP address it was first heard from ({@link #admit}).
 */
public final class InMemoryGatewayRegistry implements GatewayRegistry {

    public static final int DEFAULT_MAX_GATEWAYS = 10_000;

    /** What {@link #admit} decided about a datagram's source address. */
    public enum AddressCheck {
        /** A gateway not known yet; it will be pinned to this address when recorded. */
        NEW_GATEWAY,
        /** From the pinned address. */
        SAME_ADDRESS,
        /** From another address, the pinned one silent for the block time or longer: the gateway moved there. */
        MOVED,
        /** From another address while the pinned one is active: refused. */
        REFUSED
    }

    /**
     * @param check    the decision
     * @param pinned   the address the gateway was pinned to before this datagram (empty for a new gateway)
     * @param newClaim for {@link AddressCheck#REFUSED}: the first refusal from this source address in a row (to
     *                 log each claim once, not each datagram)
     */
    public record Admission(AddressCheck check, Optional<InetAddress> pinned, boolean newClaim) {
        public boolean admitted() {
            return check != AddressCheck.REFUSED;
        }
    }

    /**
     * In order of the last sign of life (a datagram from the gateway): iteration starts at the gateway heard least
     * recently. Reads do not reorder it. Guarded by itself.
     */
    private final LinkedHashMap<Eui64, GatewayState> states = new LinkedHashMap<>();
    private final int maxGateways;
    private final Consumer<GatewayState> onEvicted;

    public InMemoryGatewayRegistry() {
        this(DEFAULT_MAX_GATEWAYS);
    }

    public InMemoryGatewayRegistry(int maxGateways) {
        this(maxGateways, evicted -> { });
    }

    /** @param onEvicted told (under the registry's lock: keep it short) of each gateway forgotten to make room */
    public InMemoryGatewayRegistry(int maxGateways, Consumer<GatewayState> onEvicted) {
        if (maxGateways < 1) {
            throw new IllegalArgumentException("maxGateways must be positive, got " + maxGateways);
        }
        this.maxGateways = maxGateways;
        this.onEvicted = Objects.requireNonNull(onEvicted, "onEvicted");
    }

    @Override
    public Optional<GatewayState> get(Eui64 gatewayEui) {
        Objects.requireNonNull(gatewayEui, "gatewayEui");
        synchronized (states) {
            return Optional.ofNullable(states.get(gatewayEui));
        }
    }

    @Override
    public List<GatewayState> all() {
        List<GatewayState> out;
        synchronized (states) {
            out = new ArrayList<>(states.values());
        }
        out.sort(Comparator.comparing(GatewayState::eui));
        return List.copyOf(out);
    }

    public int size() {
        synchronized (states) {
            return states.size();
        }
    }

    /**
     * Decides whether a datagram claiming {@code eui} from {@code from} is taken, as The Things Stack's
     * {@code addr-change-block} does: a gateway stays pinned to its address while that address was heard within
     * {@code block}; after that, another address takes over (and the gateway is pinned there). Only the IP address
     * counts, not the port. A datagram from the pinned address refreshes it. Changes nothing for an unknown gateway.
     */
    public Admission admit(Eui64 eui, InetSocketAddress from, Instant now, Duration block) {
        Objects.requireNonNull(eui, "eui");
        InetAddress ip = from.getAddress();
        synchronized (states) {
            GatewayState s = states.get(eui);
            if (s == null) {
                return new Admission(AddressCheck.NEW_GATEWAY, Optional.empty(), false);
            }
            AddressPin pin = s.pin();
            Optional<InetAddress> before = Optional.of(pin.address());
            if (pin.address().equals(ip)) {
                touch(eui, s.withPin(pin.seen(now)));
                return new Admission(AddressCheck.SAME_ADDRESS, before, false);
            }
            if (!pin.lastSeen().plus(block).isAfter(now)) {
                touch(eui, s.withPin(pin.movedTo(ip, now)));
                return new Admission(AddressCheck.MOVED, before, false);
            }
            boolean newClaim = pin.lastRefusedFrom().map(f -> !f.getAddress().equals(ip)).orElse(true);
            states.put(eui, s.withPin(pin.refused(from, now)));
            return new Admission(AddressCheck.REFUSED, before, newClaim);
        }
    }

    /** A PUSH_DATA from {@code from}: {@code rxOk} receptions accepted, {@code rxDropped} dropped. */
    public boolean recordPushData(Eui64 eui, InetSocketAddress from, Instant now, Optional<Stat> stat, int rxOk,
            int rxDropped) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(stat, "stat");
        return update(eui, from, now, s -> s.pushed(from, now, stat, rxOk, rxDropped));
    }

    /** A PULL_DATA from {@code from}: the gateway's downlink address from now on. */
    public boolean recordPullData(Eui64 eui, InetSocketAddress from, Instant now) {
        Objects.requireNonNull(from, "from");
        return update(eui, from, now, s -> s.pulled(from, now));
    }

    /** A PULL_RESP sent to the gateway. */
    public boolean recordTxSent(Eui64 eui) {
        return update(eui, null, null, GatewayState::sent);
    }

    /** A TX_ACK matched to a send. */
    public boolean recordTxAck(Eui64 eui, Instant now, boolean accepted) {
        return update(eui, null, now, s -> s.acked(now, accepted));
    }

    /** A send that got no TX_ACK in time. */
    public boolean recordTxTimeout(Eui64 eui) {
        return update(eui, null, null, GatewayState::timedOut);
    }

    /** Any other datagram from the gateway. */
    public boolean recordSeen(Eui64 eui, Instant now) {
        Objects.requireNonNull(now, "now");
        return update(eui, null, now, s -> s.seen(now));
    }

    /**
     * Applies {@code change} to the gateway's state; creates the gateway (pinned to {@code from}) if it is new and
     * {@code from} is given, evicting the one heard least recently when full. False if the gateway is unknown and
     * was not created.
     */
    private boolean update(Eui64 eui, InetSocketAddress from, Instant now, UnaryOperator<GatewayState> change) {
        Objects.requireNonNull(eui, "eui");
        synchronized (states) {
            GatewayState old = states.get(eui);
            if (old == null) {
                if (from == null) {
                    return false;
                }
                if (states.size() >= maxGateways) {
                    Map.Entry<Eui64, GatewayState> eldest = states.entrySet().iterator().next();
                    states.remove(eldest.getKey());
                    onEvicted.accept(eldest.getValue());
                }
                states.put(eui, change.apply(GatewayState.first(eui, now, from.getAddress())));
                return true;
            }
            GatewayState updated = change.apply(old);
            if (now == null) {
                states.put(eui, updated); // our own downlink bookkeeping is no sign of life: keeps its place
            } else {
                touch(eui, updated);
            }
            return true;
        }
    }

    /** Stores {@code s} as the most recently heard gateway. */
    private void touch(Eui64 eui, GatewayState s) {
        states.remove(eui);
        states.put(eui, s);
    }
}
