package io.lorafab.joinserver.bi;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.crypto.KeyWrap;
import io.lorafab.lorawan.types.AesKey;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A Backend Interfaces KeyEnvelope: {@code {"KEKLabel": ..., "AESKey": ...}}. With a KEKLabel, AESKey is the
 * session key wrapped under the key-encryption key of that label (RFC 3394 AES key wrap, default IV; 24 bytes
 * for a 128-bit session key). With an empty KEKLabel, AESKey is the plain 16-byte key.
 *
 * <p>{@link #toString()} never shows AESKey, wrapped or not; {@link #equals} compares it in constant time.
 *
 * @param kekLabel the label the receiver uses to find the KEK; "" for a plain key (null is read as "")
 * @param aesKey the wrapped key (24 bytes) or, with an empty label, the plain key (16 bytes)
 */
public record KeyEnvelope(String kekLabel, byte[] aesKey) {

    /** The size of a wrapped AES-128 key: the key plus the 8-byte integrity block. */
    public static final int WRAPPED_SIZE = AesKey.SIZE + 8;

    public KeyEnvelope {
        kekLabel = kekLabel == null ? "" : kekLabel;
        Objects.requireNonNull(aesKey, "aesKey");
        check(kekLabel, aesKey, "AESKey");
        aesKey = aesKey.clone();
    }

    /** Checks the AESKey length for the label; {@code field} names AESKey in the message. */
    static void check(String kekLabel, byte[] aesKey, String field) {
        if (kekLabel.isEmpty() && aesKey.length != AesKey.SIZE) {
            throw new BiFormatException(field + ": expected 16 bytes (a plain key, as KEKLabel is empty), got "
                    + aesKey.length);
        }
        if (!kekLabel.isEmpty() && aesKey.length != WRAPPED_SIZE) {
            throw new BiFormatException(field + ": expected 24 bytes (an AES-128 key wrapped under KEKLabel), got "
                    + aesKey.length);
        }
    }

    /** A key-encryption key and the label that names it to the receiver. Never shows the key. */
    public record Kek(String label, byte[] key) {
        public Kek {
            Objects.requireNonNull(label, "label");
            if (label.isEmpty()) {
                throw new IllegalArgumentException("KEK label must not be empty (an empty label means a plain key)");
            }
            if (key == null || (key.length != 16 && key.length != 24 && key.length != 32)) {
                throw new IllegalArgumentException("KEK must be 16, 24 or 32 bytes, got "
                        + (key == null ? 0 : key.length));
            }
            key = key.clone();
        }

        public static Kek of(String label, AesKey key) {
            return new Kek(label, key.bytes());
        }

        @Override
        public byte[] key() {
            return key.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Kek k && label.equals(k.label) && MessageDigest.isEqual(key, k.key);
        }

        @Override
        public int hashCode() {
            return label.hashCode() * 31 + Arrays.hashCode(key);
        }

        @Override
        public String toString() {
            return "Kek[label=" + label + ", key=redacted]";
        }
    }

    /** The key in the clear (empty KEKLabel). */
    public static KeyEnvelope plain(AesKey key) {
        return new KeyEnvelope("", key.bytes());
    }

    /** The key wrapped under {@code kek}, labelled with its label. */
    public static KeyEnvelope wrap(AesKey key, Kek kek) {
        return new KeyEnvelope(kek.label(), KeyWrap.wrap(kek.key, key.unsafeBytes()));
    }

    /** Wrapped under {@code kek} when one is configured for the receiver, otherwise plain. */
    public static KeyEnvelope wrap(AesKey key, Optional<Kek> kek) {
        return kek.map(k -> wrap(key, k)).orElseGet(() -> plain(key));
    }

    public boolean isWrapped() {
        return !kekLabel.isEmpty();
    }

    @Override
    public byte[] aesKey() {
        return aesKey.clone();
    }

    /**
     * The session key: unwrapped with {@code kek} when the envelope is wrapped; a plain envelope needs no KEK and
     * ignores it (it may be null).
     *
     * @throws BiFormatException when the integrity check fails (wrong KEK or altered AESKey) or the KEK size is
     *     not 16, 24 or 32 bytes
     */
    public AesKey unwrap(byte[] kek) {
        if (!isWrapped()) {
            return AesKey.of(aesKey);
        }
        Objects.requireNonNull(kek, "kek");
        try {
            return AesKey.of(KeyWrap.unwrap(kek, aesKey));
        } catch (LorawanFormatException e) {
            throw new BiFormatException("KeyEnvelope (KEKLabel " + abbreviate(kekLabel) + "): " + e.getMessage());
        }
    }

    /**
     * Like {@link #unwrap(byte[])}, first checking that {@code kek} carries this envelope's label.
     *
     * @throws BiFormatException when the labels differ
     */
    public AesKey unwrap(Kek kek) {
        if (isWrapped() && !kek.label().equals(kekLabel)) {
            throw new BiFormatException("KeyEnvelope: wrapped under KEKLabel " + abbreviate(kekLabel)
                    + ", not " + abbreviate(kek.label()));
        }
        return unwrap(kek.key);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KeyEnvelope k && kekLabel.equals(k.kekLabel) && MessageDigest.isEqual(aesKey, k.aesKey);
    }

    @Override
    public int hashCode() {
        return kekLabel.hashCode() * 31 + Arrays.hashCode(aesKey);
    }

    @Override
    public String toString() {
        return "KeyEnvelope[KEKLabel=" + kekLabel + ", AESKey=redacted (" + aesKey.length + " bytes)]";
    }

    private static String abbreviate(String s) {
        return "'" + (s.length() <= 40 ? s : s.substring(0, 37) + "...") + "'";
    }
}
