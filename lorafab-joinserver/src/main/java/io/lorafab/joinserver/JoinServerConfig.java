package io.lorafab.joinserver;

import io.lorafab.lorawan.types.NetId;
import java.time.Duration;

/**
 * The test network's join parameters: the NetID whose DevAddr prefix new sessions get, the RX1 data-rate
 * offset and RX1 delay (seconds) written into join-accepts, whether to send the region's default CFList, and
 * rate limits on join attempts over {@code rateWindow} (0 = unlimited): per device, counting only requests
 * whose MIC verifies (so forged frames cannot lock a real device out), and per gateway, counting every
 * join-request before the MIC (flood protection). {@code rejectionsRecorded} caps the rejection events recorded
 * in each window (0 = no cap) per gateway and code for requests whose MIC did not verify, per device and code for
 * those whose MIC did; those beyond it are counted, not recorded. {@code planDownlinks}: join-accepts are planned
 * against what each gateway's one transmitter is already promised to (RX2 when RX1 is taken, not sent when both are);
 * off only for load runs through simulated gateways that model no air time, where it would throttle the server to
 * what one real gateway can send.
 */
public record JoinServerConfig(NetId netId, int rx1DrOffset, int rxDelaySeconds, boolean sendCfList,
        int joinsPerDevice, int joinsPerGateway, Duration rateWindow, int rejectionsRecorded, boolean planDownlinks) {

    public static JoinServerConfig defaults() {
        return new JoinServerConfig(NetId.of(0x000000), 0, 1, true, 10, 600, Duration.ofMinutes(1), 60, true);
    }

    public JoinServerConfig withDownlinkPlanning(boolean plan) {
        return new JoinServerConfig(netId, rx1DrOffset, rxDelaySeconds, sendCfList, joinsPerDevice, joinsPerGateway, rateWindow,
                rejectionsRecorded, plan);
    }

    public JoinServerConfig withNetId(NetId id) {
        return new JoinServerConfig(id, rx1DrOffset, rxDelaySeconds, sendCfList, joinsPerDevice, joinsPerGateway, rateWindow,
                rejectionsRecorded, planDownlinks);
    }

    public JoinServerConfig withRateLimits(int perDevice, int perGateway) {
        return new JoinServerConfig(netId, rx1DrOffset, rxDelaySeconds, sendCfList, perDevice, perGateway, rateWindow,
                rejectionsRecorded, planDownlinks);
    }

    public JoinServerConfig withRejectionsRecorded(int cap) {
        return new JoinServerConfig(netId, rx1DrOffset, rxDelaySeconds, sendCfList, joinsPerDevice, joinsPerGateway, rateWindow,
                cap, planDownlinks);
    }
}
