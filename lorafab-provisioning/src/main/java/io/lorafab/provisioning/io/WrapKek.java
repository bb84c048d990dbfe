package io.lorafab.provisioning.io;

import io.lorafab.lorawan.crypto.KeyWrap;
import io.lorafab.lorawan.types.AesKey;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * A key-encryption key and the label under which the receiving side knows it (a TTS Join Server
 * {@code kek_label}, a LoRaWAN Backend Interfaces KEKLabel). Exports that carry it write every root key
 * RFC 3394-wrapped under the KEK, with the label, instead of in the clear.
 *
 * <p>The KEK is 16, 24 or 32 bytes; the label is 1 to 256 characters without control characters or
 * surrounding blanks. The record holds a copy of the KEK and hands out copies; {@link #toString()} shows the
 * label only.
 */
public record WrapKek(String label, byte[] kek) {

    private static final int MAX_LABEL = 256;

    public WrapKek {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(kek, "kek");
        if (label.isBlank() || label.length() > MAX_LABEL || !label.equals(label.strip())
                || label.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("KEK label must be 1 to " + MAX_LABEL
                    + " characters, without control characters or surrounding blanks");
        }
        if (kek.length != 16 && kek.length != 24 && kek.length != 32) {
            throw new IllegalArgumentException("KEK must be 16, 24 or 32 bytes, got " + kek.length);
        }
        kek = kek.clone();
    }

    /** A copy of the KEK. */
    @Override
    public byte[] kek() {
        return kek.clone();
    }

    /** The 24-byte RFC 3394 wrapping of {@code key} under this KEK. */
    byte[] wrap(AesKey key) {
        return KeyWrap.wrap(kek, key.unsafeBytes());
    }

    /** Unwraps a 24-byte RFC 3394 wrapping back to the key. */
    AesKey unwrap(byte[] wrapped) {
        return AesKey.of(KeyWrap.unwrap(kek, wrapped));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WrapKek w && label.equals(w.label) && MessageDigest.isEqual(kek, w.kek);
    }

    @Override
    public int hashCode() {
        return 31 * label.hashCode() + Arrays.hashCode(kek);
    }

    @Override
    public String toString() {
        return "WrapKek[label=" + label + ", kek=redacted]";
    }
}
