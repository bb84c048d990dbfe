package io.lorafab.gateway.semtech;

import io.lorafab.gateway.semtech.SemtechPacket.PullAck;
import io.lorafab.gateway.semtech.SemtechPacket.PullData;
import io.lorafab.gateway.semtech.SemtechPacket.PullResp;
import io.lorafab.gateway.semtech.SemtechPacket.PushAck;
import io.lorafab.gateway.semtech.SemtechPacket.PushData;
import io.lorafab.gateway.semtech.SemtechPacket.TxAck;
import io.lorafab.lorawan.types.Eui64;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * Pure codec for the Semtech UDP packet-forwarder protocol, version 2: no sockets, no I/O, no logging, no
 * state; safe to call from any thread.
 *
 * <pre>
 * [0] version (2)  [1..2] token  [3] identifier  [4..11] gateway EUI, MSB first (PUSH_DATA, PULL_DATA, TX_ACK)
 * then JSON: PUSH_DATA (required), PULL_RESP (required, from byte 4), TX_ACK (optional)
 * </pre>
 *
 * <p>{@link #decode} either returns a fully validated packet or throws {@link SemtechProtocolException}; no other
 * exception escapes it, whatever the input. See the package documentation for the rules it applies.
 */
public final class SemtechCodec {

    /** The only protocol version accepted and written. */
    public static final int PROTOCOL_VERSION = 2;
    /** Version, token and identifier. */
    public static final int HEADER_SIZE = 4;
    /** Header plus gateway EUI. */
    public static final int HEADER_WITH_EUI_SIZE = 12;

    private SemtechCodec() {
    }

    /**
     * The fixed part of a datagram, readable even when its JSON is not (e.g. to still acknowledge a PUSH_DATA).
     *
     * @param gatewayEui present for PUSH_DATA, PULL_DATA and TX_ACK
     */
    public record Header(int version, Token token, PacketType type, Optional<Eui64> gatewayEui) {
    }

    // ---------------------------------------------------------------- decoding

    public static SemtechPacket decode(byte[] datagram) {
        if (datagram == null) {
            throw new SemtechProtocolException("datagram is null");
        }
        return decode(datagram, 0, datagram.length);
    }

    /** Decodes {@code length} bytes of {@code buf} from {@code offset} (e.g. a {@code DatagramPacket}'s data). */
    public static SemtechPacket decode(byte[] buf, int offset, int length) {
        checkSlice(buf, offset, length);
        try {
            return decodeChecked(buf, offset, length);
        } catch (SemtechProtocolException e) {
            throw e;
        } catch (RuntimeException e) {
            // Belt and braces: every path above validates before it converts, so this is not expected.
            throw new SemtechProtocolException("internal error decoding datagram: " + e, e);
        }
    }

    /** Reads and validates the header only (version, token, identifier, EUI); the JSON is not looked at. */
    public static Header decodeHeader(byte[] datagram) {
        if (datagram == null) {
            throw new SemtechProtocolException("datagram is null");
        }
        return decodeHeader(datagram, 0, datagram.length);
    }

    public static Header decodeHeader(byte[] buf, int offset, int length) {
        checkSlice(buf, offset, length);
        if (length < HEADER_SIZE) {
            throw new SemtechProtocolException("datagram too short: " + length
                    + " bytes, need at least 4 (version, token, identifier)");
        }
        int version = buf[offset] & 0xFF;
        if (version != PROTOCOL_VERSION) {
            throw new SemtechProtocolException("unsupported protocol version " + version
                    + " (only version 2 is supported)");
        }
        Token token = new Token(buf[offset + 1], buf[offset + 2]);
        int id = buf[offset + 3] & 0xFF;
        PacketType type = PacketType.fromId(id).orElseThrow(() -> new SemtechProtocolException(
                String.format("unknown packet identifier 0x%02x", id)));
        Optional<Eui64> eui = Optional.empty();
        if (type.hasGatewayEui()) {
            if (length < HEADER_WITH_EUI_SIZE) {
                throw new SemtechProtocolException(type + " too short: " + length
                        + " bytes, need at least 12 (header and gateway EUI)");
            }
            long v = 0;
            for (int i = 0; i < Eui64.SIZE; i++) {
                v = v << 8 | (buf[offset + HEADER_SIZE + i] & 0xFF);
            }
            eui = Optional.of(Eui64.of(v));
        }
        return new Header(version, token, type, eui);
    }

    private static SemtechPacket decodeChecked(byte[] buf, int offset, int length) {
        Header h = decodeHeader(buf, offset, length);
        Token token = h.token();
        switch (h.type()) {
            case PUSH_DATA: {
                SemtechJson.PushBody fast = fastPush(buf, offset + HEADER_WITH_EUI_SIZE, offset + length);
                if (fast != null) {
                    return new PushData(token, h.gatewayEui().orElseThrow(), fast.rxpk(), fast.stat());
                }
                String json = jsonText(buf, offset + HEADER_WITH_EUI_SIZE, offset + length, h.type());
                if (json == null) {
                    throw new SemtechProtocolException("PUSH_DATA: missing JSON payload");
                }
                SemtechJson.PushBody body = prefixed("PUSH_DATA",
                        () -> SemtechJson.readPush(SemtechJson.parseRoot(json, "PUSH_DATA")));
                return new PushData(token, h.gatewayEui().orElseThrow(), body.rxpk(), body.stat());
            }
            case PUSH_ACK:
                expectLength(h.type(), length, HEADER_SIZE);
                return new PushAck(token);
            case PULL_DATA:
                expectLength(h.type(), length, HEADER_WITH_EUI_SIZE);
                return new PullData(token, h.gatewayEui().orElseThrow());
            case PULL_ACK:
                expectLength(h.type(), length, HEADER_SIZE);
                return new PullAck(token);
            case PULL_RESP: {
                String json = jsonText(buf, offset + HEADER_SIZE, offset + length, h.type());
                if (json == null) {
                    throw new SemtechProtocolException("PULL_RESP: missing JSON payload");
                }
                return new PullResp(token, prefixed("PULL_RESP",
                        () -> SemtechJson.readTxpk(SemtechJson.parseRoot(json, "PULL_RESP"))));
            }
            case TX_ACK: {
                String json = jsonText(buf, offset + HEADER_WITH_EUI_SIZE, offset + length, h.type());
                SemtechJson.TxAckBody body = json == null ? SemtechJson.TxAckBody.NONE
                        : prefixed("TX_ACK", () -> SemtechJson.readTxAck(SemtechJson.parseRoot(json, "TX_ACK")));
                return new TxAck(token, h.gatewayEui().orElseThrow(), body.error(), body.warning(), body.warnValue());
            }
            default:
                throw new SemtechProtocolException("unhandled packet type " + h.type());
        }
    }

    private interface Read<T> {
        T read();
    }

    /** Runs {@code r}, prefixing JSON field errors (which name only the field path) with the packet type. */
    private static <T> T prefixed(String what, Read<T> r) {
        try {
            return r.read();
        } catch (SemtechProtocolException e) {
            if (e.getMessage().startsWith(what)) {
                throw e;
            }
            throw new SemtechProtocolException(what + ": " + e.getMessage(), e.getCause());
        }
    }

    private static void expectLength(PacketType type, int length, int expected) {
        if (length != expected) {
            throw new SemtechProtocolException(type + " must be exactly " + expected + " bytes, got " + length);
        }
    }

    /**
     * The common PUSH_DATA read by {@link PushDataStream} from the bytes, trimmed as {@link #jsonText} trims them;
     * null when that path gives up and the tree reader must read (and perhaps refuse) it.
     */
    private static SemtechJson.PushBody fastPush(byte[] buf, int from, int to) {
        int end = to;
        while (end > from && (buf[end - 1] == 0 || isJsonWhitespace(buf[end - 1]))) {
            end--;
        }
        return end == from ? null : PushDataStream.tryRead(buf, from, end);
    }

    /**
     * The JSON text of {@code buf[from, to)}, without surrounding whitespace and trailing NUL bytes (some
     * forwarders send a C string terminator or an uncleared buffer); null when nothing is left. Must be UTF-8.
     */
    private static String jsonText(byte[] buf, int from, int to, PacketType type) {
        int start = from;
        int end = to;
        while (end > start && (buf[end - 1] == 0 || isJsonWhitespace(buf[end - 1]))) {
            end--;
        }
        while (start < end && isJsonWhitespace(buf[start])) {
            start++;
        }
        if (start == end) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(buf, start, end - start))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new SemtechProtocolException(type + ": JSON payload is not valid UTF-8", e);
        }
    }

    private static boolean isJsonWhitespace(byte b) {
        return b == ' ' || b == '\t' || b == '\n' || b == '\r';
    }

    private static void checkSlice(byte[] buf, int offset, int length) {
        if (buf == null) {
            throw new SemtechProtocolException("datagram is null");
        }
        if (offset < 0 || length < 0 || offset > buf.length - length) {
            throw new SemtechProtocolException("invalid slice: offset " + offset + ", length " + length
                    + " of a " + buf.length + "-byte buffer");
        }
    }

    // ---------------------------------------------------------------- encoding

    /** The datagram for {@code packet}, always protocol version 2. */
    public static byte[] encode(SemtechPacket packet) {
        Objects.requireNonNull(packet, "packet");
        if (packet instanceof PushData p) {
            return frame(p.type(), p.token(), p.gatewayEui(), SemtechJson.writePush(p.rxpk(), p.stat()));
        } else if (packet instanceof PushAck p) {
            return frame(p.type(), p.token(), null, new byte[0]);
        } else if (packet instanceof PullData p) {
            return frame(p.type(), p.token(), p.gatewayEui(), new byte[0]);
        } else if (packet instanceof PullAck p) {
            return frame(p.type(), p.token(), null, new byte[0]);
        } else if (packet instanceof PullResp p) {
            return frame(p.type(), p.token(), null, SemtechJson.writePullResp(p.txpk()));
        } else if (packet instanceof TxAck p) {
            return frame(p.type(), p.token(), p.gatewayEui(),
                    SemtechJson.writeTxAck(p.error(), p.warning(), p.warnValue()));
        }
        throw new IllegalArgumentException("unknown packet " + packet.getClass());
    }

    private static byte[] frame(PacketType type, Token token, Eui64 eui, byte[] json) {
        int head = eui == null ? HEADER_SIZE : HEADER_WITH_EUI_SIZE;
        byte[] out = new byte[head + json.length];
        out[0] = (byte) PROTOCOL_VERSION;
        out[1] = token.first();
        out[2] = token.second();
        out[3] = (byte) type.id();
        if (eui != null) {
            System.arraycopy(eui.toBytes(), 0, out, HEADER_SIZE, Eui64.SIZE);
        }
        System.arraycopy(json, 0, out, head, json.length);
        return out;
    }

    // ---------------------------------------------------------------- tmst arithmetic

    /**
     * {@code tmst + micros} modulo 2^32: the concentrator counter {@code micros} µs later (or earlier, if
     * negative). E.g. {@code tmstPlus(0xFFFFFFFFL, 1_000_000) == 999_999}.
     *
     * @throws IllegalArgumentException if {@code tmst} is not a uint32
     */
    public static long tmstPlus(long tmst, long micros) {
        Limits.checkRange("tmst", tmst, 0, Limits.UINT32_MAX);
        return (tmst + micros) & Limits.UINT32_MAX;
    }

    /**
     * The signed distance {@code later - earlier} in µs, taking the shorter way round the 2^32 counter: in
     * {@code -2^31 .. 2^31-1}.
     */
    public static long tmstDelta(long later, long earlier) {
        Limits.checkRange("later", later, 0, Limits.UINT32_MAX);
        Limits.checkRange("earlier", earlier, 0, Limits.UINT32_MAX);
        return (int) (later - earlier);
    }

    /** {@code tmst} as 4 big-endian bytes (the uplink "context" a network server hands back for the downlink). */
    public static byte[] tmstContext(long tmst) {
        Limits.checkRange("tmst", tmst, 0, Limits.UINT32_MAX);
        return new byte[] {(byte) (tmst >>> 24), (byte) (tmst >>> 16), (byte) (tmst >>> 8), (byte) tmst};
    }

    /** The inverse of {@link #tmstContext(long)}. */
    public static long tmstFromContext(byte[] context) {
        if (context == null || context.length != 4) {
            throw new IllegalArgumentException("a tmst context is 4 bytes");
        }
        return (context[0] & 0xFFL) << 24 | (context[1] & 0xFFL) << 16 | (context[2] & 0xFFL) << 8
                | (context[3] & 0xFFL);
    }
}
