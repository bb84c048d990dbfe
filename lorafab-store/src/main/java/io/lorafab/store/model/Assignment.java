package io.lorafab.store.model;

import io.lorafab.lorawan.LorawanFormatException;
import java.util.Locale;

/**
 * IEEE registration-authority assignments: MA-L (24-bit OUI), MA-M (28 bits), MA-S (36 bits), each the
 * prefix of a space of EUI-64s. CUSTOM is any prefix length, for makers that received a sub-range.
 */
public enum Assignment {
    MA_L(24),
    MA_M(28),
    MA_S(36),
    CUSTOM(-1);

    private final int prefixBits;

    Assignment(int prefixBits) {
        this.prefixBits = prefixBits;
    }

    /** Prefix length in bits, or -1 for CUSTOM (taken from the prefix given). */
    public int prefixBits() {
        return prefixBits;
    }

    public static Assignment parse(String s) {
        String n = s == null ? "" : s.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return valueOf(n);
        } catch (IllegalArgumentException e) {
            throw new LorawanFormatException("assignment: unknown '" + s + "' (expected MA-L, MA-M, MA-S or CUSTOM)");
        }
    }

    public String display() {
        return name().replace('_', '-');
    }
}
