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
    void newGatewaysBeyondTheCapAreNotTrackedButKnownOnesAre() {
        assertThat(registry.recordPullData(GW2, DOWN, T0)).isTrue();
        assertThat(registry.recordPullData(GW1, DOWN, T0)).isTrue();
        assertThat(registry.recordPullData(GW3, DOWN, T0)).isFalse();
        assertThat(registry.recordPushData(GW1, UP, T0, Optional.empty(), 1, 0)).isTrue();

        assertThat(registry.size()).isEqualTo(2);
        assertThat(registry.all()).extracting(GatewayState::eui).containsExactly(GW1, GW2);
        assertThat(registry.hasDownlinkRoute(GW3)).isFalse();
    }
}
