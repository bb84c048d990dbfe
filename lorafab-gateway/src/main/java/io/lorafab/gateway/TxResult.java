package io.lorafab.gateway;

import io.lorafab.gateway.semtech.SemtechPacket.TxAck;
import io.lorafab.gateway.semtech.Token;
import io.lorafab.gateway.semtech.TxAckError;
import io.lorafab.lorawan.types.Eui64;
import java.util.Objects;
import java.util.Optional;

/**
 * What became of a downlink handed to a gateway.
 *
 * @param gatewayEui the gateway
 * @param token      the PULL_RESP / TX_ACK token (for correlation in logs)
 * @param status     accepted, refused by the gateway, or no answer in time
 * @param error      the TX_ACK error: {@link TxAckError#NONE} exactly when accepted; {@link TxAckError#UNKNOWN}
 *                   on timeout (there is no TIMEOUT error on the wire)
 * @param warning    the TX_ACK warning ({@link TxAckError#NONE} if none), e.g. TX_POWER when the power was
 *                   lowered
 * @param warnValue  the warning's value (for TX_POWER: the power used in dBm)
 */
public record TxResult(Eui64 gatewayEui, Token token, Status status, TxAckError error, TxAckError warning,
        Optional<Integer> warnValue) {

    public enum Status {
        /** The gateway accepted the packet for transmission. */
        ACCEPTED,
        /** The gateway refused it; {@link #error()} says why. */
        REJECTED,
        /** No TX_ACK arrived within the acknowledgement timeout. */
        TIMEOUT
    }

    public TxResult {
        Objects.requireNonNull(gatewayEui, "gatewayEui");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(error, "error");
        Objects.requireNonNull(warning, "warning");
        Objects.requireNonNull(warnValue, "warnValue");
        if ((status == Status.ACCEPTED) != (error == TxAckError.NONE)) {
            throw new IllegalArgumentException("status " + status + " does not fit error " + error);
        }
        if (status == Status.TIMEOUT && (error != TxAckError.UNKNOWN || warning != TxAckError.NONE
                || warnValue.isPresent())) {
            throw new IllegalArgumentException("a timeout has error UNKNOWN and no warning");
        }
    }

    /** The result a TX_ACK reports. */
    public static TxResult fromAck(TxAck ack) {
        return new TxResult(ack.gatewayEui(), ack.token(), ack.accepted() ? Status.ACCEPTED : Status.REJECTED,
                ack.error(), ack.warning(), ack.warnValue());
    }

    /** A plain acknowledgement: accepted when {@code error} is NONE, else rejected. */
    public static TxResult of(Eui64 gatewayEui, Token token, TxAckError error) {
        return new TxResult(gatewayEui, token, error == TxAckError.NONE ? Status.ACCEPTED : Status.REJECTED, error,
                TxAckError.NONE, Optional.empty());
    }

    /** No answer from the gateway in time. */
    public static TxResult timeout(Eui64 gatewayEui, Token token) {
        return new TxResult(gatewayEui, token, Status.TIMEOUT, TxAckError.UNKNOWN, TxAckError.NONE,
                Optional.empty());
    }

    /** Whether the gateway accepted the packet (a warning may still be present). */
    public boolean accepted() {
        return status == Status.ACCEPTED;
    }
}
