package io.lorafab.store.vault;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.crypto.KeyWrap;
import io.lorafab.lorawan.types.Hex;
import java.security.SecureRandom;

/**
 * A key-encryption key (128, 192 or 256 bits) with its label. Its check value — the first three bytes of the
 * wrap of sixteen zero bytes — identifies it without revealing it. {@link #toString()} shows only the label.
 */
public final class Kek {
    private final String label;
    private final byte[] key;

    public Kek(String label, byte[] key) {
        if (label == null || !label.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new LorawanFormatException("KEK label: 1..64 characters of A-Z a-z 0-9 . _ -");
        }
        if (key.length != 16 && key.length != 24 && key.length != 32) {
            throw new LorawanFormatException("KEK '" + label + "': must be 16, 24 or 32 bytes, got " + key.length);
        }
        this.label = label;
        this.key = key.clone();
    }

    /** A fresh 256-bit KEK from a CSPRNG. */
    public static Kek generate(String label, SecureRandom random) {
        byte[] k = new byte[32];
        random.nextBytes(k);
        return new Kek(label, k);
    }

    public String label() {
        return label;
    }

    byte[] key() {
        return key;
    }

    /** A copy of the key, for handing to a wrapping exporter. */
    public byte[] keyBytes() {
        return key.clone();
    }

    public String checkValue() {
        return Hex.format(java.util.Arrays.copyOf(KeyWrap.wrap(key, new byte[16]), 3));
    }

    /** The hex form, for writing the key file only. */
    String toHex() {
        return Hex.format(key);
    }

    @Override
    public String toString() {
        return "Kek[" + label + "]";
    }
}
