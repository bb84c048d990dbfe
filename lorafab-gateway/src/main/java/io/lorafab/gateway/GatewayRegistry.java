package io.lorafab.gateway;

import io.lorafab.lorawan.types.Eui64;
import java.util.List;
import java.util.Optional;

/** Read access to the gateways a connector has heard. Thread-safe; every value is an immutable snapshot. */
public interface GatewayRegistry {

    Optional<GatewayState> get(Eui64 gatewayEui);

    /** Every known gateway, ordered by EUI. */
    List<GatewayState> all();

    /** Whether a downlink can be addressed to this gateway (it sent a PULL_DATA). */
    default boolean hasDownlinkRoute(Eui64 gatewayEui) {
        return get(gatewayEui).map(GatewayState::hasDownlinkRoute).orElse(false);
    }
}
