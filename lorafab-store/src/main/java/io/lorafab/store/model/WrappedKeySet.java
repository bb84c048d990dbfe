package io.lorafab.store.model;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One stored row's keys wrapped together under one KEK, whatever table holds them: a unit's root keys
 * (AppKey, NwkKey or null) or a join server session's four session keys. Used to re-wrap every stored key
 * on a KEK rotation. {@link #toString()} shows no key material.
 */
public record WrappedKeySet(Kind kind, long id, String kekLabel, List<byte[]> wrapped) {

    /** The tables that hold wrapped keys. */
    public enum Kind {
        /** {@code unit}: AppKey and NwkKey (null for LoRaWAN 1.0.x). */
        UNIT_ROOT_KEYS,
        /** {@code session}: AppSKey, FNwkSIntKey, SNwkSIntKey, NwkSEncKey. */
        SESSION_KEYS
    }

    public WrappedKeySet {
        wrapped = Collections.unmodifiableList(Arrays.asList(wrapped.toArray(new byte[0][])));
    }

    @Override
    public String toString() {
        return "WrappedKeySet[" + kind + " " + id + ", kek=" + kekLabel + ", " + wrapped.size() + " keys]";
    }
}
