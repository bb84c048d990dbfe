package io.lorafab.lorawan.types;

import io.lorafab.lorawan.LorawanFormatException;
import java.util.Arrays;

/**
 * An AES-128 key (root key, session key or KEK). {@link #toString()} never reveals the key: hex form only
 * through the explicit {@link #toHex()}, so a key that slips into a log line or an exception shows as
 * {@code AesKey[redacted]}.
 */
public final class AesKey {

    public static final int SIZE = 16;
    private final byte[] bytes;

    private AesKey(byte[] bytes) {
        this.bytes = bytes;
    }

    public static AesKey of(byte[] bytes) {
        if (bytes == null || bytes.length != SIZE) {
            throw new LorawanFormatException("AES-128 key: expected 16 bytes, got " + (bytes == null ? 0 : bytes.length));
        }
        return new AesKey(bytes.clone());
    }

    /** Parses 32 hex digits. The error message never repeats the input. */
    public static AesKey parse(String hex) {
        return new AesKey(Hex.parse(hex, "AES-128 key", SIZE));
    }

    /** A copy of the key bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The key bytes without a copy, for the crypto code in this module only. */
    public byte[] unsafeBytes() {
        return bytes;
    }

    public String toHex() {
        return Hex.format(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AesKey k && Bytes.constantTimeEquals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "AesKey[redacted]";
    }
}
