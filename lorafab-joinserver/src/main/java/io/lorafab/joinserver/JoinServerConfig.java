package io.lorafab.joinserver;

import io.lorafab.lorawan.types.NetId;
import java.time.Duration;

/**
 * The test network's join parameters: the NetID whose DevAddr prefix new sessions get, the RX1 data-rate
 * offset and RX1 delay (seconds) written into join-accepts, whether to send the region's default CFList, and
 * rate limits on join attempts per device and per gateway (0 = unlimited) over {@code rateWindow}.
 */
public record JoinServerConfig(NetId netId, int rx1DrOffset, int rxDelaySeconds, boolean sendCfList,
        int joinsPerDevice, int joinsPerGateway, Duration rateWindow) {

    public static JoinServerConfig defaults() {
        return new JoinServerConfig(NetId.of(0x000000), 0, 1, true, 10, 600, Duration.ofMinutes(1));
    }

    public JoinServerConfig withNetId(NetId id) {
        return new JoinServerConfig(id, rx1DrOffset, rxDelaySeconds, sendCfList, joinsPerDevice, joinsPerGateway, rateWindow);
    }

    public JoinServerConfig withRateLimits(int perDevice, int perGateway) {
        return new JoinServerConfig(netId, rx1DrOffset, rxDelaySeconds, sendCfList, perDevice, perGateway, rateWindow);
    }
}
