package io.lorafab.gateway.semtech;

import io.lorafab.lorawan.types.Eui64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A datagram of the Semtech UDP packet-forwarder protocol, version 2. Decode and encode with
 * {@link SemtechCodec}.
 */
public sealed interface SemtechPacket permits SemtechPacket.PushData, SemtechPacket.PushAck,
        SemtechPacket.PullData, SemtechPacket.PullAck, SemtechPacket.PullResp, SemtechPacket.TxAck {

    /** The random token (bytes 1..2). */
    Token token();

    /** The identifier (byte 3). */
    PacketType type();

    /** The token as a little-endian uint16 (ChirpStack's reading). */
    default int tokenLe() {
        return token().tokenLe();
    }

    /** Gateway to server: received packets and/or gateway status. Both may be absent ({@code {}}). */
    record PushData(Token token, Eui64 gatewayEui, List<Rxpk> rxpk, Optional<Stat> stat) implements SemtechPacket {
        public PushData {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(gatewayEui, "gatewayEui");
            rxpk = List.copyOf(Objects.requireNonNull(rxpk, "rxpk"));
            Limits.present(stat, "stat");
        }

        @Override
        public PacketType type() {
            return PacketType.PUSH_DATA;
        }
    }

    /** Server to gateway: acknowledges a PUSH_DATA with the same token. */
    record PushAck(Token token) implements SemtechPacket {
        public PushAck {
            Objects.requireNonNull(token, "token");
        }

        public static PushAck of(PushData pushData) {
            return new PushAck(pushData.token());
        }

        @Override
        public PacketType type() {
            return PacketType.PUSH_ACK;
        }
    }

    /** Gateway to server: keep-alive that opens the downlink route for {@code gatewayEui}. */
    record PullData(Token token, Eui64 gatewayEui) implements SemtechPacket {
        public PullData {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(gatewayEui, "gatewayEui");
        }

        @Override
        public PacketType type() {
            return PacketType.PULL_DATA;
        }
    }

    /** Server to gateway: acknowledges a PULL_DATA with the same token. */
    record PullAck(Token token) implements SemtechPacket {
        public PullAck {
            Objects.requireNonNull(token, "token");
        }

        public static PullAck of(PullData pullData) {
            return new PullAck(pullData.token());
        }

        @Override
        public PacketType type() {
            return PacketType.PULL_ACK;
        }
    }

    /** Server to gateway: a packet to send. The token is chosen by the server and echoed by the TX_ACK. */
    record PullResp(Token token, Txpk txpk) implements SemtechPacket {
        public PullResp {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(txpk, "txpk");
        }

        @Override
        public PacketType type() {
            return PacketType.PULL_RESP;
        }
    }

    /**
     * Gateway to server: what became of the PULL_RESP with the same token.
     *
     * <p>The wire distinguishes an {@code "error"} (packet not sent) from a {@code "warn"} (packet sent, with a
     * caveat: {@code {"warn":"TX_POWER","value":14}} means sent at 14 dBm instead of the requested power), so
     * this record keeps them apart: {@code error} and {@code warning} are {@link TxAckError#NONE} when absent,
     * and {@code warnValue} is only allowed with a warning.
     */
    record TxAck(Token token, Eui64 gatewayEui, TxAckError error, TxAckError warning, Optional<Integer> warnValue)
            implements SemtechPacket {
        public TxAck {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(gatewayEui, "gatewayEui");
            Objects.requireNonNull(error, "error");
            Objects.requireNonNull(warning, "warning");
            Limits.present(warnValue, "warnValue");
            if (warnValue.isPresent() && warning == TxAckError.NONE) {
                throw new IllegalArgumentException("a warnValue needs a warning");
            }
        }

        /** An acknowledgement with only an error ({@link TxAckError#NONE} for success). */
        public TxAck(Token token, Eui64 gatewayEui, TxAckError error) {
            this(token, gatewayEui, error, TxAckError.NONE, Optional.empty());
        }

        /** The acknowledgement of {@code pullResp} by gateway {@code gatewayEui}. */
        public static TxAck of(PullResp pullResp, Eui64 gatewayEui, TxAckError error) {
            return new TxAck(pullResp.token(), gatewayEui, error);
        }

        /** Whether the packet was accepted for transmission (no error; a warning may be present). */
        public boolean accepted() {
            return error == TxAckError.NONE;
        }

        @Override
        public PacketType type() {
            return PacketType.TX_ACK;
        }
    }
}
