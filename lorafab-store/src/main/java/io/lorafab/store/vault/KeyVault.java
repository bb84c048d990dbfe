package io.lorafab.store.vault;

import io.lorafab.lorawan.types.AesKey;
import io.lorafab.store.model.WrappedKeys;

/**
 * Custody of root keys: they are stored only wrapped (RFC 3394) under a key-encryption key named by a
 * label. This is the seam for an HSM or secure element: an implementation may refuse to unwrap.
 */
public interface KeyVault {

    /** The label of the KEK that new keys are wrapped under. */
    String activeLabel();

    /** Wraps a unit's root keys under the active KEK ({@code nwkKey} may be null). */
    WrappedKeys wrap(AesKey appKey, AesKey nwkKey);

    AesKey unwrapAppKey(WrappedKeys keys);

    /** The NwkKey, or null when the unit has none (LoRaWAN 1.0.x). */
    AesKey unwrapNwkKey(WrappedKeys keys);

    /** Keys wrapped together under one KEK. */
    record WrappedSet(String kekLabel, java.util.List<byte[]> wrapped) {
    }

    /** Wraps several keys (a session's) under the active KEK, all under the same label. */
    WrappedSet wrapAll(AesKey... keys);

    /** Unwraps one key stored with {@code kekLabel}. */
    AesKey unwrapKey(String kekLabel, byte[] wrapped);

    /** Re-wraps under the active KEK (no-op when already there). */
    default WrappedKeys rewrap(WrappedKeys keys) {
        if (keys.kekLabel().equals(activeLabel())) {
            return keys;
        }
        return wrap(unwrapAppKey(keys), unwrapNwkKey(keys));
    }
}
