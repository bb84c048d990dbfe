package io.lorafab.lorawan.types;

import io.lorafab.lorawan.LorawanFormatException;

/** Unsigned integers written as text, for identifiers and command-line options. */
public final class Numbers {
    private Numbers() {
    }

    /**
     * Decimal digits [0-9], or hex digits [0-9a-fA-F] after a 0x prefix; no sign, no other Unicode digits. The
     * value must lie in 0..max. {@code what} names the value in the error message.
     */
    public static long parseUnsigned(String text, String what, long max) {
        if (text == null || text.isBlank()) {
            throw new LorawanFormatException(what + ": missing value");
        }
        String s = text.strip();
        boolean hex = s.startsWith("0x") || s.startsWith("0X");
        String digits = hex ? s.substring(2) : s;
        int radix = hex ? 16 : 10;
        if (digits.isEmpty()) {
            throw new LorawanFormatException(what + ": not a number: '" + s + "'");
        }
        long v = 0;
        boolean over = false;
        for (int i = 0; i < digits.length(); i++) {
            int d = Hex.digit(digits.charAt(i));
            if (d < 0 || d >= radix) {
                throw new LorawanFormatException(what + ": not a number: '" + s + "'");
            }
            if (!over) {
                over = v > (max - d) / radix;
                v = v * radix + d;
            }
        }
        if (over) {
            throw new LorawanFormatException(what + ": out of range 0.." + max + ": " + s);
        }
        return v;
    }
}
