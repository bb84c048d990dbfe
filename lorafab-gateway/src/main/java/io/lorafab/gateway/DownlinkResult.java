package io.lorafab.gateway;

import io.lorafab.lorawan.types.Eui64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of scheduling a class-A downlink in RX1 with fallback to RX2.
 *
 * @param gatewayEui the gateway used
 * @param window     the window the gateway accepted the downlink for; empty if it accepted neither
 * @param attempts   one or two attempts, in order; the last one's result is the final answer
 */
public record DownlinkResult(Eui64 gatewayEui, Optional<RxWindow> window, List<DownlinkAttempt> attempts) {

    public DownlinkResult {
        Objects.requireNonNull(gatewayEui, "gatewayEui");
        Objects.requireNonNull(window, "window");
        attempts = List.copyOf(Objects.requireNonNull(attempts, "attempts"));
        if (attempts.isEmpty()) {
            throw new IllegalArgumentException("a downlink result needs at least one attempt");
        }
        DownlinkAttempt last = attempts.get(attempts.size() - 1);
        if (window.isPresent() != last.result().accepted()
                || window.isPresent() && window.get() != last.window()) {
            throw new IllegalArgumentException("window " + window + " does not fit the last attempt " + last);
        }
    }

    /** Whether the gateway accepted the downlink in one of the windows. */
    public boolean sent() {
        return window.isPresent();
    }

    /** The gateway's final answer: success, or the error that ended the attempts. */
    public TxResult finalResult() {
        return attempts.get(attempts.size() - 1).result();
    }
}
