package io.lorafab.gateway;

import io.lorafab.gateway.semtech.Txpk;
import java.util.Objects;

/** One downlink handed to a gateway, in one receive window, and the gateway's answer. */
public record DownlinkAttempt(RxWindow window, Txpk txpk, TxResult result) {
    public DownlinkAttempt {
        Objects.requireNonNull(window, "window");
        Objects.requireNonNull(txpk, "txpk");
        Objects.requireNonNull(result, "result");
    }
}
