package io.lorafab.store.vault;

import io.lorafab.api.ErrorCode;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.store.Registry;
import io.lorafab.store.StoreException;
import io.lorafab.store.model.WrappedKeySet;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Re-wraps every stored key — units' root keys and join server sessions' keys, every table with wrapped keys —
 * under a new KEK while the registry stays in use: the new KEK becomes active first (new keys are wrapped
 * under it), then the stored keys are re-wrapped in batches, each batch one short transaction of
 * compare-and-set updates (a row changed meanwhile is left to the next pass); readers unwrap whichever label a
 * row carries, so they never wait. The KEK that was active before stays in the key file until the next
 * rotation (a server that had not yet seen the new file may still have wrapped a key under it); KEKs older
 * than that are dropped only when no stored key of any kind still uses them. Every rotation is audited.
 * The new KEK may be made in a PKCS#11 token or in the file ({@link Target}): rotating from a file KEK to a token
 * KEK and back is the same re-wrap. Dropping a token KEK removes its line from the key file, never the key from
 * the token (a backup of the registry may still need it; deleting it there is the token officer's decision).
 */
public final class KeyRotation {
    private static final int BATCH = 500;
    /** Passes over the tables until none finds a key left under an old KEK; more than this and the rest waits. */
    private static final int MAX_PASSES = 5;

    private KeyRotation() {
    }

    /** The outcome: the new label and how many key sets were re-wrapped (in all, and units and sessions). */
    public record Result(String newLabel, String previousLabel, long rewrapped, long units, long sessions) {
    }

    /** How many key sets of each kind were re-wrapped. */
    public record Counts(long units, long sessions) {
        public long total() {
            return units + sessions;
        }
    }

    /** Where a rotation makes the new KEK. */
    public enum Target {
        /** Where the active KEK is: in the token if it holds the active KEK, else in the key file. */
        AS_ACTIVE,
        /** In the key file (a rotation out of the token, or within the file). */
        FILE,
        /** Generated in the PKCS#11 token, which it never leaves (the file only names it). */
        TOKEN;

        /** The API's word for a target: {@code hsm}, {@code file}, or null/blank for {@link #AS_ACTIVE}. */
        public static Target parse(String word) {
            if (word == null || word.isBlank()) {
                return AS_ACTIVE;
            }
            return switch (word.strip()) {
                case "hsm" -> TOKEN;
                case "file" -> FILE;
                default -> throw new StoreException(ErrorCode.INVALID_INPUT, "to: hsm or file, got '" + word.strip() + "'");
            };
        }
    }

    public static Result rotate(Registry registry, LocalKeyVault vault, String actor, String newLabel, SecureRandom random) {
        return rotate(registry, vault, actor, newLabel, Target.AS_ACTIVE, random);
    }

    public static Result rotate(Registry registry, LocalKeyVault vault, String actor, String newLabel, Target target,
            SecureRandom random) {
        KekRing ring = vault.ring();
        if (!ring.fileBacked()) {
            throw new StoreException(ErrorCode.KEK_NOT_ROTATABLE, "the KEK comes from " + KekRing.ENV
                    + "; rotate by listing NEWLABEL:NEWHEX first in " + KekRing.ENV + " and running 'lorafab keys rewrap'");
        }
        String previous = ring.active().label();
        Set<String> older = new HashSet<>();
        for (Kek k : ring.all()) {
            if (!k.label().equals(previous)) {
                older.add(k.label());
            }
        }
        if (ring.byLabel(newLabel) != null) {
            throw new StoreException(ErrorCode.DUPLICATE, "a KEK labelled '" + newLabel + "' already exists");
        }
        boolean inToken = switch (target) {
            case AS_ACTIVE -> ring.active().inToken();
            case FILE -> false;
            case TOKEN -> true;
        };
        if (inToken && ring.token() == null) {
            throw new StoreException(ErrorCode.KEK_NOT_ROTATABLE, "no PKCS#11 token is configured: set " + Pkcs11Token.MODULE_ENV + ", "
                    + Pkcs11Token.SLOT_ENV + " and " + Pkcs11Token.PIN_FILE_ENV);
        }
        // the token refuses a label it already holds, so a KEK left there by an earlier, interrupted rotation is never reused
        Kek next = inToken ? ring.token().generateKek(newLabel) : Kek.generate(newLabel, random);
        registry.registerKek(next.label(), next.checkValue());
        vault.use(ring.withActive(next));
        Counts done = rewrapAllKinds(registry, vault);
        older.removeAll(registry.kekLabelsInUse());
        vault.use(vault.ring().without(older));
        // where the new KEK is held goes last: readers of the record's older fields find them where they were
        registry.audit(actor, "keys.rotate", "kek:" + newLabel, "previous=" + previous + " rewrapped=" + done.total()
                + " units=" + done.units() + " sessions=" + done.sessions() + " held=" + (inToken ? "pkcs11" : "file"));
        return new Result(newLabel, previous, done.total(), done.units(), done.sessions());
    }

    /** Re-wraps every stored key set not yet under the active KEK; returns how many were re-wrapped. */
    public static long rewrapAll(Registry registry, KeyVault vault) {
        return rewrapAllKinds(registry, vault).total();
    }

    /** Re-wraps every stored key set not yet under the active KEK, counting each kind. */
    public static Counts rewrapAllKinds(Registry registry, KeyVault vault) {
        String active = vault.activeLabel();
        Map<WrappedKeySet.Kind, Long> done = new EnumMap<>(WrappedKeySet.Kind.class);
        for (WrappedKeySet.Kind kind : WrappedKeySet.Kind.values()) {
            done.put(kind, 0L);
        }
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            boolean found = false;
            for (WrappedKeySet.Kind kind : WrappedKeySet.Kind.values()) {
                long after = 0;
                while (true) {
                    List<WrappedKeySet> batch = registry.wrappedKeysNotUnder(kind, active, after, BATCH);
                    if (batch.isEmpty()) {
                        break;
                    }
                    found = true;
                    after = batch.get(batch.size() - 1).id();
                    List<WrappedKeySet> rewrapped = new ArrayList<>(batch.size());
                    for (WrappedKeySet before : batch) {
                        rewrapped.add(rewrap(vault, before));
                    }
                    long n = registry.transaction(r -> {
                        long changed = 0;
                        for (int i = 0; i < batch.size(); i++) {
                            if (r.replaceWrappedKeys(batch.get(i), rewrapped.get(i))) {
                                changed++;
                            }
                        }
                        return changed;
                    });
                    done.merge(kind, n, Long::sum);
                }
            }
            if (!found) {
                break;
            }
        }
        return new Counts(done.get(WrappedKeySet.Kind.UNIT_ROOT_KEYS), done.get(WrappedKeySet.Kind.SESSION_KEYS));
    }

    /** The same keys wrapped under the active KEK (all under one label). */
    private static WrappedKeySet rewrap(KeyVault vault, WrappedKeySet before) {
        List<AesKey> clear = new ArrayList<>();
        for (byte[] w : before.wrapped()) {
            clear.add(w == null ? null : vault.unwrapKey(before.kekLabel(), w));
        }
        KeyVault.WrappedSet set = vault.wrapAll(clear.stream().filter(k -> k != null).toArray(AesKey[]::new));
        List<byte[]> out = new ArrayList<>();
        int j = 0;
        for (AesKey k : clear) {
            out.add(k == null ? null : set.wrapped().get(j++));
        }
        return new WrappedKeySet(before.kind(), before.id(), set.kekLabel(), out);
    }
}
