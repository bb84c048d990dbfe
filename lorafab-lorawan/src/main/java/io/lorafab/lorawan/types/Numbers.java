package io.lorafab.lorawan.types;

import io.lorafab.lorawan.LorawanFormatException;

final class Numbers {
    private Numbers() {
    }

    /** Decimal, or hex with a 0x prefix; must lie in 0..max. */
    static long parseUnsigned(String text, String what, long max) {
        if (text == null || text.isBlank()) {
            throw new LorawanFormatException(what + ": missing value");
        }
        String s = text.strip();
        long v;
        try {
            if (s.startsWith("0x") || s.startsWith("0X")) {
                v = Long.parseLong(s.substring(2), 16);
            } else {
                v = Long.parseLong(s);
            }
        } catch (NumberFormatException e) {
            throw new LorawanFormatException(what + ": not a number: '" + s + "'");
        }
        if (v < 0 || v > max) {
            throw new LorawanFormatException(what + ": out of range 0.." + max + ": " + v);
        }
        return v;
    }
}
