package io.lorafab.store.vault;

import io.lorafab.api.ErrorCode;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.store.Registry;
import io.lorafab.store.StoreException;
import io.lorafab.store.model.WrappedKeys;

/**
 * A {@link KeyVault} over a {@link KekRing}: KEKs in memory (from the environment or the key file) or, named by a
 * {@code LABEL=pkcs11} line, in a PKCS#11 token that does every operation with them ({@link Pkcs11Token}; the HSM
 * vault is this class over a ring whose active KEK the token holds, so that keys under a file KEK and under a token
 * KEK can be read side by side during a rotation between the two). On start it records
 * each KEK's label and check value in the registry, and refuses to run with a KEK that does not match the
 * one recorded under the same label. Before wrapping it checks whether the key file changed, and a label it
 * does not know makes it re-read the file, so a rotation done by another process is picked up without a
 * restart.
 */
public final class LocalKeyVault implements KeyVault {

    private volatile KekRing ring;

    public LocalKeyVault(KekRing ring, Registry registry) {
        this.ring = ring;
        if (registry != null) {
            for (Kek k : ring.all()) {
                registry.registerKek(k.label(), k.checkValue());
            }
        }
    }

    public KekRing ring() {
        return ring;
    }

    /** Replaces the ring (rotation); the caller has registered the new KEK. */
    public void use(KekRing next) {
        this.ring = next;
    }

    @Override
    public String activeLabel() {
        return ring.active().label();
    }

    @Override
    public WrappedKeys wrap(AesKey appKey, AesKey nwkKey) {
        ring = ring.reloadIfChanged();
        Kek k = ring.active();
        if (nwkKey == null) {
            return new WrappedKeys(k.label(), k.wrap(appKey.unsafeBytes()), null);
        }
        java.util.List<byte[]> w = k.wrapAll(java.util.List.of(appKey.unsafeBytes(), nwkKey.unsafeBytes()));
        return new WrappedKeys(k.label(), w.get(0), w.get(1));
    }

    @Override
    public WrappedSet wrapAll(AesKey... keys) {
        ring = ring.reloadIfChanged();
        Kek k = ring.active();
        java.util.List<byte[]> clear = new java.util.ArrayList<>(keys.length);
        for (AesKey key : keys) {
            clear.add(key.unsafeBytes());
        }
        return new WrappedSet(k.label(), k.wrapAll(clear));
    }

    @Override
    public AesKey unwrapKey(String kekLabel, byte[] wrapped) {
        return unwrap(kekLabel, wrapped);
    }

    @Override
    public AesKey unwrapAppKey(WrappedKeys keys) {
        return unwrap(keys.kekLabel(), keys.appKey());
    }

    @Override
    public AesKey unwrapNwkKey(WrappedKeys keys) {
        byte[] w = keys.nwkKey();
        return w == null ? null : unwrap(keys.kekLabel(), w);
    }

    private AesKey unwrap(String label, byte[] wrapped) {
        Kek k = ring.byLabel(label);
        if (k == null) {
            ring = ring.reload();
            k = ring.byLabel(label);
        }
        if (k == null) {
            throw new StoreException(ErrorCode.KEK_UNKNOWN, "no KEK with label '" + label + "' is configured");
        }
        try {
            return AesKey.of(k.unwrap(wrapped));
        } catch (StoreException e) {
            throw e; // the token failed (hsm_unavailable): not a key that does not unwrap
        } catch (RuntimeException e) {
            throw new StoreException(ErrorCode.KEY_UNWRAP_FAILED, "a stored key does not unwrap under KEK '" + label + "'");
        }
    }
}
