package io.lorafab.gateway;

import io.lorafab.gateway.semtech.Stat;
import io.lorafab.lorawan.types.Eui64;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * A thread-safe {@link GatewayRegistry} in memory, for connectors (and simulators) to record into.
 *
 * <p>The Semtech UDP protocol is unauthenticated, so anyone can announce any EUI: the number of gateways is
 * capped, and a new gateway beyond the cap is not recorded (the {@code record} methods return false; known
 * gateways are still updated).
 */
public final class InMemoryGatewayRegistry implements GatewayRegistry {

    public static final int DEFAULT_MAX_GATEWAYS = 10_000;

    private final ConcurrentHashMap<Eui64, GatewayState> states = new ConcurrentHashMap<>();
    private final int maxGateways;

    public InMemoryGatewayRegistry() {
        this(DEFAULT_MAX_GATEWAYS);
    }

    public InMemoryGatewayRegistry(int maxGateways) {
        if (maxGateways < 1) {
            throw new IllegalArgumentException("maxGateways must be positive, got " + maxGateways);
        }
        this.maxGateways = maxGateways;
    }

    @Override
    public Optional<GatewayState> get(Eui64 gatewayEui) {
        return Optional.ofNullable(states.get(Objects.requireNonNull(gatewayEui, "gatewayEui")));
    }

    @Override
    public List<GatewayState> all() {
        List<GatewayState> out = new ArrayList<>(states.values());
        out.sort(Comparator.comparing(GatewayState::eui));
        return List.copyOf(out);
    }

    public int size() {
        return states.size();
    }

    /** A PUSH_DATA from {@code from}: {@code rxOk} receptions accepted, {@code rxDropped} dropped. */
    public boolean recordPushData(Eui64 eui, InetSocketAddress from, Instant now, Optional<Stat> stat, int rxOk,
            int rxDropped) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(stat, "stat");
        return update(eui, now, true, s -> s.pushed(from, now, stat, rxOk, rxDropped));
    }

    /** A PULL_DATA from {@code from}: the gateway's downlink address from now on. */
    public boolean recordPullData(Eui64 eui, InetSocketAddress from, Instant now) {
        Objects.requireNonNull(from, "from");
        return update(eui, now, true, s -> s.pulled(from, now));
    }

    /** A PULL_RESP sent to the gateway. */
    public boolean recordTxSent(Eui64 eui) {
        return update(eui, null, false, GatewayState::sent);
    }

    /** A TX_ACK matched to a send. */
    public boolean recordTxAck(Eui64 eui, Instant now, boolean accepted) {
        return update(eui, now, false, s -> s.acked(now, accepted));
    }

    /** A send that got no TX_ACK in time. */
    public boolean recordTxTimeout(Eui64 eui) {
        return update(eui, null, false, GatewayState::timedOut);
    }

    /** Any other datagram from the gateway. */
    public boolean recordSeen(Eui64 eui, Instant now) {
        Objects.requireNonNull(now, "now");
        return update(eui, now, false, s -> s.seen(now));
    }

    private boolean update(Eui64 eui, Instant now, boolean mayCreate, UnaryOperator<GatewayState> change) {
        Objects.requireNonNull(eui, "eui");
        if (!states.containsKey(eui) && (!mayCreate || states.size() >= maxGateways)) {
            return false;
        }
        // The size check above races with concurrent creations; the cap may be exceeded by a few, which is fine.
        GatewayState updated = states.compute(eui, (k, old) -> {
            if (old == null) {
                return mayCreate ? change.apply(GatewayState.first(k, now)) : null;
            }
            return change.apply(old);
        });
        return updated != null;
    }
}
