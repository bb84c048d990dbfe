package io.lorafab.store.model;

import io.lorafab.lorawan.LorawanFormatException;
import java.util.Locale;

/**
 * API roles. Each role includes the rights of the ones it lists: an admin may do everything, an engineer
 * also what an operator may.
 */
public enum Role {
    OPERATOR, ENGINEER, ADMIN, NETWORK_SERVER;

    public boolean allows(Role needed) {
        if (this == needed || this == ADMIN) {
            return true;
        }
        return this == ENGINEER && needed == OPERATOR;
    }

    public static Role parse(String s) {
        try {
            return valueOf(s.strip().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (RuntimeException e) {
            throw new LorawanFormatException("role: unknown '" + s + "' (expected operator, engineer, admin or network-server)");
        }
    }

    public String display() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
