package io.lorafab.store.model;

import io.lorafab.lorawan.types.Hex;
import java.util.Arrays;

/** A unit's root keys as stored: RFC 3394-wrapped under the KEK named by {@code kekLabel}; nwkKey only for 1.1. */
public record WrappedKeys(String kekLabel, byte[] appKey, byte[] nwkKey) {

    public WrappedKeys {
        appKey = appKey.clone();
        nwkKey = nwkKey == null ? null : nwkKey.clone();
    }

    @Override
    public byte[] appKey() {
        return appKey.clone();
    }

    @Override
    public byte[] nwkKey() {
        return nwkKey == null ? null : nwkKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WrappedKeys w && kekLabel.equals(w.kekLabel) && Arrays.equals(appKey, w.appKey)
                && Arrays.equals(nwkKey, w.nwkKey);
    }

    @Override
    public int hashCode() {
        return kekLabel.hashCode() * 31 + Arrays.hashCode(appKey);
    }

    @Override
    public String toString() {
        return "WrappedKeys[" + kekLabel + ", appKey=" + Hex.format(appKey) + (nwkKey == null ? "" : ", nwkKey=" + Hex.format(nwkKey)) + "]";
    }
}
