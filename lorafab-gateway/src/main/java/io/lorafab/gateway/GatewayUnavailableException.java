package io.lorafab.gateway;

import io.lorafab.lorawan.types.Eui64;
import java.util.Objects;

/**
 * A downlink cannot be handed to a gateway at all: the connector has no downlink route to it (the gateway
 * never sent PULL_DATA) or is closed. Completes the future of {@link GatewayConnector#send}; never thrown by
 * it.
 */
public final class GatewayUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Eui64 gatewayEui;

    public GatewayUnavailableException(Eui64 gatewayEui, String reason) {
        super("gateway " + Objects.requireNonNull(gatewayEui, "gatewayEui") + " unavailable: " + reason);
        this.gatewayEui = gatewayEui;
    }

    public Eui64 gatewayEui() {
        return gatewayEui;
    }
}
