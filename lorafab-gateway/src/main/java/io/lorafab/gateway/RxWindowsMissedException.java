package io.lorafab.gateway;

import java.time.Duration;

/**
 * A class-A downlink was not sent because both receive windows had passed (or could no longer be met with the
 * packet forwarder's lead time) by the time it was ready. Nothing was sent to the gateway.
 */
public final class RxWindowsMissedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final Duration sinceUplink;

    public RxWindowsMissedException(Duration sinceUplink, Duration leadTime, Duration rx2Delay) {
        super("RX2 (" + rx2Delay.toMillis() + " ms after the uplink) cannot be met: " + sinceUplink.toMillis()
                + " ms since the uplink plus a lead time of " + leadTime.toMillis() + " ms");
        this.sinceUplink = sinceUplink;
    }

    /** How long after the uplink arrived the downlink was ready. */
    public Duration sinceUplink() {
        return sinceUplink;
    }
}
