package io.lorafab.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExternalJoinLoadTest {

    private static final List<InetSocketAddress> TWO = List.of(new InetSocketAddress("127.0.0.1", 1701),
            new InetSocketAddress("127.0.0.1", 1702));

    @Test
    void aGatewayIsKeptOnTheSameServerAcrossCallsAndListsOfEqualContent() {
        for (int g = 0; g < 64; g++) {
            InetSocketAddress first = ExternalJoinLoad.serverOf(JoinLoad.gatewayEui(g), TWO);
            assertThat(ExternalJoinLoad.serverOf(JoinLoad.gatewayEui(g), List.copyOf(TWO))).isEqualTo(first);
        }
    }

    @Test
    void thirtyTwoGatewaysAreSpreadOverBothServers() {
        Map<InetSocketAddress, Integer> per = new HashMap<>();
        for (int g = 0; g < 32; g++) {
            per.merge(ExternalJoinLoad.serverOf(JoinLoad.gatewayEui(g), TWO), 1, Integer::sum);
        }
        assertThat(per).containsOnlyKeys(TWO);
        assertThat(per.values()).allSatisfy(n -> assertThat(n).isBetween(8, 24));
    }

    @Test
    void aServerAddressWithoutAPortIsRefused() {
        assertThatThrownBy(() -> ExternalJoinLoad.address("127.0.0.1")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("expected HOST:PORT, got '127.0.0.1'");
        assertThat(ExternalJoinLoad.addresses("127.0.0.1:1701, 127.0.0.1:1702")).isEqualTo(TWO);
    }
}
