package io.lorafab.store.model;

import io.lorafab.lorawan.LorawanFormatException;

/** Checks on the free-text names users give things. */
public final class Names {
    private Names() {
    }

    /** 1..100 printable characters without control characters. */
    public static String require(String value, String what) {
        if (value == null || value.isBlank()) {
            throw new LorawanFormatException(what + ": missing");
        }
        String v = value.strip();
        if (v.length() > 100) {
            throw new LorawanFormatException(what + ": longer than 100 characters");
        }
        for (int i = 0; i < v.length(); i++) {
            if (Character.isISOControl(v.charAt(i))) {
                throw new LorawanFormatException(what + ": contains a control character");
            }
        }
        return v;
    }

    public static String optional(String value, String what) {
        return value == null || value.isBlank() ? null : require(value, what);
    }
}
