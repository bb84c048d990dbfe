package io.lorafab.gateway;

import io.lorafab.lorawan.types.Eui64;

/**
 * A join-accept was not sent because the gateway's transmitter is already promised, in both receive windows, to
 * other downlinks ({@link TransmitterPlan}); nothing was sent to the gateway. The device hears nothing and tries
 * again: a fault of the test station's capacity, never of the unit.
 */
public final class JoinAcceptNotScheduledException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Eui64 gatewayEui;

    public JoinAcceptNotScheduledException(Eui64 gatewayEui) {
        super("gateway " + gatewayEui + ": its transmitter is already planned for other downlinks in RX1 and in RX2");
        this.gatewayEui = gatewayEui;
    }

    public Eui64 gatewayEui() {
        return gatewayEui;
    }
}
