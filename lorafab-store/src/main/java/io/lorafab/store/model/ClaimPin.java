package io.lorafab.store.model;

import io.lorafab.lorawan.LorawanFormatException;
import java.util.Locale;

/**
 * The device PIN of a pre-provisioned LR11xx-style part (4 bytes, read from the chip by ReadDevicePin on an LR1110 or
 * computed by DeriveRootKeysAndGetPin on an LR1121): whoever holds it may claim the device on the vendor's join service,
 * so it is a claim credential. It is never logged and never shown: {@link #toString()} hides it, and only
 * {@link #hex()} — for the admin-only claim export — reveals it.
 */
public final class ClaimPin {

    private final String hex;

    private ClaimPin(String hex) {
        this.hex = hex;
    }

    /** Exactly 8 hex digits (either case); the message never repeats the input. */
    public static ClaimPin parse(String hex) {
        if (hex == null || !hex.matches("[0-9A-Fa-f]{8}")) {
            throw new LorawanFormatException("claim PIN: exactly 8 hex digits");
        }
        return new ClaimPin(hex.toUpperCase(Locale.ROOT));
    }

    /** The PIN as the vendor's join service takes it: 8 upper-case hex digits. */
    public String hex() {
        return hex;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClaimPin p && p.hex.equals(hex);
    }

    @Override
    public int hashCode() {
        return hex.hashCode();
    }

    @Override
    public String toString() {
        return "ClaimPin[redacted]";
    }
}
