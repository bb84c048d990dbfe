package io.lorafab.gateway;

import io.lorafab.lorawan.types.Eui64;

/**
 * A class-A downlink (a join-accept, or the test downlink after the first uplink) was not sent because the gateway's
 * transmitter is already promised, in each window it could use, to other downlinks ({@link TransmitterPlan}); nothing
 * was sent to the gateway. The device hears nothing (and tries again): a fault of the test station's capacity, never
 * of the unit.
 */
public final class DownlinkNotScheduledException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Eui64 gatewayEui;

    public DownlinkNotScheduledException(Eui64 gatewayEui) {
        super("gateway " + gatewayEui + ": its transmitter is already planned for other downlinks in RX1 and in RX2");
        this.gatewayEui = gatewayEui;
    }

    public Eui64 gatewayEui() {
        return gatewayEui;
    }
}
