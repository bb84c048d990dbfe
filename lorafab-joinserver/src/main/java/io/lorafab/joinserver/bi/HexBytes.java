package io.lorafab.joinserver.bi;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.types.Hex;
import java.util.Arrays;

/**
 * An immutable byte string that Backend Interfaces writes as hex: PHYPayload, CFList, SessionKeyID,
 * SenderToken/ReceiverToken. Compared by content; {@link #toString()} is the lowercase hex, so never use it for
 * key material (see {@link KeyEnvelope}).
 */
public final class HexBytes {
    public static final HexBytes EMPTY = new HexBytes(new byte[0]);

    private final byte[] bytes;

    private HexBytes(byte[] bytes) {
        this.bytes = bytes;
    }

    public static HexBytes of(byte[] bytes) {
        return bytes.length == 0 ? EMPTY : new HexBytes(bytes.clone());
    }

    /**
     * Parses hex digits in either case, with an optional "0x" prefix. {@code field} names the value in the
     * {@link BiFormatException} message; the message never repeats the input.
     */
    public static HexBytes parse(String hex, String field) {
        try {
            return new HexBytes(Hex.parse(hex, field));
        } catch (LorawanFormatException e) {
            throw new BiFormatException(e.getMessage());
        }
    }

    /** A copy of the bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    public boolean isEmpty() {
        return bytes.length == 0;
    }

    /** Lowercase hex, no prefix. */
    public String toHex() {
        return Hex.format(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HexBytes h && Arrays.equals(bytes, h.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return toHex();
    }
}
