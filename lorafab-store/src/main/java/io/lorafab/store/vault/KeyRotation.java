package io.lorafab.store.vault;

import io.lorafab.store.Registry;
import io.lorafab.store.StoreException;
import io.lorafab.store.model.Unit;
import java.security.SecureRandom;
import java.util.List;

/**
 * Re-wraps every stored key under a new KEK while the registry stays in use: the new KEK becomes active
 * first (new keys are wrapped under it), then units are re-wrapped in batches, each batch one transaction;
 * readers unwrap whichever label a row carries, so they never wait. The KEK that was active before stays in
 * the key file until the next rotation (a server that had not yet seen the new file may still have wrapped
 * a key under it); KEKs older than that, which no unit uses any more, are dropped. Every rotation is audited.
 */
public final class KeyRotation {
    private static final int BATCH = 500;

    private KeyRotation() {
    }

    /** The outcome: the new label and how many units were re-wrapped. */
    public record Result(String newLabel, String previousLabel, long rewrapped) {
    }

    public static Result rotate(Registry registry, LocalKeyVault vault, String actor, String newLabel, SecureRandom random) {
        KekRing ring = vault.ring();
        if (!ring.fileBacked()) {
            throw new StoreException("kek_not_rotatable", "the KEK comes from " + KekRing.ENV
                    + "; rotate by listing NEWLABEL:NEWHEX first in " + KekRing.ENV + " and running 'lorafab keys rewrap'");
        }
        String previous = ring.active().label();
        java.util.Set<String> older = new java.util.HashSet<>();
        for (Kek k : ring.all()) {
            if (!k.label().equals(previous)) {
                older.add(k.label());
            }
        }
        if (ring.byLabel(newLabel) != null) {
            throw new StoreException("duplicate", "a KEK labelled '" + newLabel + "' already exists");
        }
        Kek next = Kek.generate(newLabel, random);
        registry.registerKek(next.label(), next.checkValue());
        vault.use(ring.withActive(next));
        long done = rewrapAll(registry, vault);
        older.removeAll(registry.kekLabelsInUse());
        vault.use(vault.ring().without(older));
        registry.audit(actor, "keys.rotate", "kek:" + newLabel, "previous=" + previous + " rewrapped=" + done);
        return new Result(newLabel, previous, done);
    }

    /** Re-wraps every unit not yet under the active KEK; returns how many were re-wrapped. */
    public static long rewrapAll(Registry registry, KeyVault vault) {
        String active = vault.activeLabel();
        long done = 0;
        while (true) {
            List<Unit> batch = registry.unitsNotWrappedUnder(active, BATCH);
            if (batch.isEmpty()) {
                return done;
            }
            done += registry.transaction(r -> {
                long n = 0;
                for (Unit u : batch) {
                    r.updateUnit(u.devEui(), cur -> cur.keys().kekLabel().equals(active) ? cur
                            : cur.withKeys(vault.rewrap(cur.keys()), cur.updatedAt()));
                    n++;
                }
                return n;
            });
        }
    }
}
