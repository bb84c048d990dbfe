package io.lorafab.gateway;

import static io.lorafab.gateway.Fixtures.GW1;
import static io.lorafab.gateway.Fixtures.GW2;
import static io.lorafab.gateway.Fixtures.GW3;
import static io.lorafab.gateway.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.gateway.semtech.Stat;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InMemoryGatewayRegistryTest {
    private static final InetSocketAddress UP = new InetSocketAddress("192.0.2.1", 40_001);
    private static final InetSocketAddress DOWN = new InetSocketAddress("192.0.2.1", 40_002);

    private final InMemoryGatewayRegistry registry = new InMemoryGatewayRegistry(2);

    @Test
    void recordsPushesPullsAndDownlinksAsSnapshots() {
        Stat stat = new Stat(Optional.empty(), Optional.of(52.5), Optional.of(13.4), Optional.of(40),
                Optional.of(10L), Optional.of(9L), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty());
        registry.recordPushData(GW1, UP, T0, Optional.of(stat), 2, 1);
        GatewayState afterPush = registry.get(GW1).orElseThrow();
        assertThat(registry.hasDownlinkRoute(GW1)).isFalse();

        registry.recordPullData(GW1, DOWN, T0.plusSeconds(1));
        registry.recordPushData(GW1, UP, T0.plusSeconds(2), Optional.empty(), 1, 0);
        registry.recordTxSent(GW1);
        registry.recordTxSent(GW1);
        registry.recordTxSent(GW1);
        registry.recordTxAck(GW1, T0.plusSeconds(3), true);
        registry.recordTxAck(GW1, T0.plusSeconds(4), false);
        registry.recordTxTimeout(GW1);

        GatewayState s = registry.get(GW1).orElseThrow();
        assertThat(s.pushAddress()).contains(UP);
        assertThat(s.pullAddress()).contains(DOWN);
        assertThat(s.firstSeen()).isEqualTo(T0);
        assertThat(s.lastSeen()).isEqualTo(T0.plusSeconds(4));
        assertThat(s.lastPull()).contains(T0.plusSeconds(1));
        assertThat(s.lastStat()).contains(stat);   // a PUSH_DATA without stat keeps the last one
        assertThat(s.pushData()).isEqualTo(2);
        assertThat(s.pullData()).isEqualTo(1);
        assertThat(s.rxOk()).isEqualTo(3);
        assertThat(s.rxDropped()).isEqualTo(1);
        assertThat(s.txSent()).isEqualTo(3);
        assertThat(s.txAck()).isEqualTo(2);
        assertThat(s.txErrors()).isEqualTo(1);
        assertThat(s.txTimeouts()).isEqualTo(1);
        assertThat(s.hasDownlinkRoute()).isTrue();
        assertThat(s.pulledWithin(Duration.ofSeconds(30), T0.plusSeconds(31))).isTrue();
        assertThat(s.pulledWithin(Duration.ofSeconds(30), T0.plusSeconds(32))).isFalse();
        // Snapshots do not change.
        assertThat(afterPush.pushData()).isEqualTo(1);
        assertThat(afterPush.pullAddress()).isEmpty();
    }

    @Test
    void downlinkEventsDoNotCreateGateways() {
        assertThat(registry.recordTxSent(GW1)).isFalse();
        assertThat(registry.recordTxAck(GW1, T0, true)).isFalse();
        assertThat(registry.recordSeen(GW1, T0)).isFalse();
        assertThat(registry.get(GW1)).isEmpty();
        assertThat(registry.all()).isEmpty();
    }

    @Test
    void beyondTheCapTheGatewayHeardLeastRecentlyIsEvicted() {
        java.util.List<GatewayState> evicted = new java.util.ArrayList<>();
        InMemoryGatewayRegistry r = new InMemoryGatewayRegistry(2, evicted::add);
        r.recordPullData(GW2, DOWN, T0);
        r.recordPullData(GW1, DOWN, T0.plusSeconds(1));
        r.recordTxSent(GW2);                                  // our own downlink is no sign of life
        r.recordPushData(GW2, UP, T0.plusSeconds(2), Optional.empty(), 1, 0); // a datagram is: GW1 is now the stalest
        assertThat(r.get(GW1)).isPresent();                   // nor is a read

        assertThat(r.recordPullData(GW3, DOWN, T0.plusSeconds(3))).isTrue();

        assertThat(evicted).extracting(GatewayState::eui).containsExactly(GW1);
        assertThat(r.size()).isEqualTo(2);
        assertThat(r.all()).extracting(GatewayState::eui).containsExactly(GW2, GW3);
        assertThat(r.hasDownlinkRoute(GW3)).isTrue();
    }

    // ---------------------------------------------------------------- address pinning (addr-change-block)

    private static final InetSocketAddress OTHER = new InetSocketAddress("198.51.100.7", 40_001);
    private static final Duration BLOCK = Duration.ofMinutes(1);

    @Test
    void aGatewayIsPinnedToItsAddressWhileThatAddressIsActive() {
        InMemoryGatewayRegistry r = new InMemoryGatewayRegistry();
        assertThat(r.admit(GW1, UP, T0, BLOCK).check()).isEqualTo(InMemoryGatewayRegistry.AddressCheck.NEW_GATEWAY);
        r.recordPullData(GW1, DOWN, T0);

        // rule -> outcome, in time order
        assertThat(r.admit(GW1, new InetSocketAddress("192.0.2.1", 50_000), T0.plusSeconds(5), BLOCK).check())
                .as("same address, other port (NAT, the forwarder's second socket)").isEqualTo(InMemoryGatewayRegistry.AddressCheck.SAME_ADDRESS);
        InMemoryGatewayRegistry.Admission first = r.admit(GW1, OTHER, T0.plusSeconds(10), BLOCK);
        assertThat(first.check()).as("another address within the block time").isEqualTo(InMemoryGatewayRegistry.AddressCheck.REFUSED);
        assertThat(first.newClaim()).isTrue();
        assertThat(first.pinned()).contains(UP.getAddress());
        assertThat(r.admit(GW1, OTHER, T0.plusSeconds(11), BLOCK).newClaim()).as("the same claim again is not new").isFalse();
        assertThat(r.admit(GW1, UP, T0.plusSeconds(20), BLOCK).check()).as("the real one keeps its pin fresh")
                .isEqualTo(InMemoryGatewayRegistry.AddressCheck.SAME_ADDRESS);
        assertThat(r.admit(GW1, OTHER, T0.plusSeconds(79), BLOCK).check()).as("59 s after the last sign of life")
                .isEqualTo(InMemoryGatewayRegistry.AddressCheck.REFUSED);
        assertThat(r.admit(GW1, OTHER, T0.plusSeconds(80), BLOCK).check()).as("a full block time of silence: moved")
                .isEqualTo(InMemoryGatewayRegistry.AddressCheck.MOVED);
        assertThat(r.admit(GW1, UP, T0.plusSeconds(81), BLOCK).check()).as("now the old address is the stranger")
                .isEqualTo(InMemoryGatewayRegistry.AddressCheck.REFUSED);

        GatewayState.AddressPin pin = r.get(GW1).orElseThrow().pin();
        assertThat(pin.address()).isEqualTo(OTHER.getAddress());
        assertThat(pin.changes()).isEqualTo(1);
        assertThat(pin.refused()).isEqualTo(4);
        assertThat(pin.lastRefusedFrom()).contains(UP);
        assertThat(pin.lastRefusedAt()).contains(T0.plusSeconds(81));
        assertThat(r.get(GW1).orElseThrow().pullAddress()).as("a refusal changes no route").contains(DOWN);
    }

    @Test
    void withoutABlockTimeAMoveIsAcceptedAtOnceButStillCounted() {
        InMemoryGatewayRegistry r = new InMemoryGatewayRegistry();
        r.recordPullData(GW1, DOWN, T0);
        assertThat(r.admit(GW1, OTHER, T0, Duration.ZERO).check()).isEqualTo(InMemoryGatewayRegistry.AddressCheck.MOVED);
        assertThat(r.get(GW1).orElseThrow().pin().changes()).isEqualTo(1);
    }
}
