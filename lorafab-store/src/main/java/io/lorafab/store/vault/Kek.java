package io.lorafab.store.vault;

import io.lorafab.api.ErrorCode;
import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.store.StoreException;
import io.lorafab.lorawan.crypto.KeyWrap;
import io.lorafab.lorawan.types.Hex;
import java.security.SecureRandom;

/**
 * A key-encryption key (128, 192 or 256 bits) with its label, held either in this process's memory (from the
 * key file or the environment) or in a PKCS#11 token ({@link Pkcs11Token}), where this object only names it and
 * asks the token for each AES operation. Both wrap the same way (RFC 3394), so a stored key does not show where its
 * KEK is. Its check value — the first three bytes of the wrap of sixteen zero bytes — identifies it without
 * revealing it. {@link #toString()} shows only the label.
 */
public final class Kek {
    private final String label;
    /** The key's value, or null when the token holds it. */
    private final byte[] key;
    private final Pkcs11Token.Held held;

    public Kek(String label, byte[] key) {
        checkLabel(label);
        if (key.length != 16 && key.length != 24 && key.length != 32) {
            throw new LorawanFormatException("KEK '" + label + "': must be 16, 24 or 32 bytes, got " + key.length);
        }
        this.label = label;
        this.key = key.clone();
        this.held = null;
    }

    private Kek(String label, Pkcs11Token.Held held) {
        checkLabel(label);
        this.label = label;
        this.key = null;
        this.held = held;
    }

    static Kek held(String label, Pkcs11Token.Held held) {
        return new Kek(label, held);
    }

    private static void checkLabel(String label) {
        if (label == null || !label.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new LorawanFormatException("KEK label: 1..64 characters of A-Z a-z 0-9 . _ -");
        }
    }

    /** Whether a PKCS#11 token holds this KEK (its value is not in this process). */
    public boolean inToken() {
        return held != null;
    }

    /** Whether the KEK's value can be read out: always for a KEK in memory; for one in a token, as the token says. */
    public boolean extractable() {
        return held == null || held.extractable();
    }

    /** RFC 3394 wrap of {@code data} under this KEK (in the token when it holds the KEK). */
    byte[] wrap(byte[] data) {
        return held == null ? KeyWrap.wrap(key, data) : KeyWrap.wrap(held::encrypt, data);
    }

    /** Each key wrapped as {@link #wrap(byte[])} does; in the token, all of them together, step by step. */
    java.util.List<byte[]> wrapAll(java.util.List<byte[]> data) {
        if (held != null) {
            return KeyWrap.wrapAll(held::encrypt, data);
        }
        java.util.List<byte[]> out = new java.util.ArrayList<>(data.size());
        for (byte[] d : data) {
            out.add(KeyWrap.wrap(key, d));
        }
        return out;
    }

    /** RFC 3394 unwrap, integrity checked: a wrong KEK or altered data is a {@link LorawanFormatException}. */
    byte[] unwrap(byte[] wrapped) {
        return held == null ? KeyWrap.unwrap(key, wrapped) : KeyWrap.unwrap(held::decrypt, wrapped);
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

    /** A copy of the key, for handing to a wrapping exporter; refused for a KEK a token holds. */
    public byte[] keyBytes() {
        if (key == null) {
            throw new StoreException(ErrorCode.KEK_NOT_ROTATABLE, "KEK '" + label + "' is held in a PKCS#11 token and cannot be read out");
        }
        return key.clone();
    }

    public String checkValue() {
        return Hex.format(java.util.Arrays.copyOf(wrap(new byte[16]), 3));
    }

    /** The value as the key file writes it: HEX, or {@code pkcs11} for a KEK the token holds. */
    String toFileValue() {
        return key == null ? Pkcs11Token.MARKER : Hex.format(key);
    }

    @Override
    public String toString() {
        return "Kek[" + label + "]";
    }
}
