package io.lorafab.provisioning.service;

import io.lorafab.store.Registry;
import io.lorafab.store.vault.KeyRotation;
import io.lorafab.store.vault.LocalKeyVault;
import java.security.SecureRandom;
import java.time.Clock;
import io.lorafab.store.model.WrappedKeySet;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The key-encryption keys that wrap every stored root and session key: rotation to a new KEK and the re-wrap that
 * finishes a rotation done by hand. Both are audited ({@code keys.rotate}, {@code keys.rewrap}, subject
 * {@code kek:<label>}); the HTTP API and the command line call these alike. Exports of devices with their keys
 * are {@link DeviceExports}' ({@code keys.export}).
 */
public final class Keys {

    private final Registry registry;
    private final LocalKeyVault vault;
    private final SecureRandom random;
    private final Clock clock;

    /** @param clock the time in a generated KEK label ({@code kek-<epoch seconds>}) */
    public Keys(Registry registry, LocalKeyVault vault, SecureRandom random, Clock clock) {
        this.registry = registry;
        this.vault = vault;
        this.random = random;
        this.clock = clock;
    }

    /** What a re-wrap did: the active KEK's label and how many key sets (units' and sessions') it re-wrapped. */
    public record Rewrap(String label, long rewrapped, long units, long sessions) {
    }

    /**
     * Generates a new KEK, makes it active and re-wraps every stored key under it (see {@link KeyRotation});
     * audited {@code keys.rotate}.
     *
     * @param label the new KEK's label; null or blank: {@code kek-<epoch seconds>}, with a {@code -2}, {@code -3}...
     *        suffix when a KEK of that label exists (another rotation in the same second)
     */
    public KeyRotation.Result rotate(String label, String actor) {
        return rotate(label, KeyRotation.Target.AS_ACTIVE, actor);
    }

    /** As {@link #rotate(String, String)}, with the new KEK made where {@code target} says (the token or the key file). */
    public KeyRotation.Result rotate(String label, KeyRotation.Target target, String actor) {
        String next = label == null || label.isBlank() ? defaultLabel() : label.strip();
        return KeyRotation.rotate(registry, vault, actor, next, target, random);
    }

    /**
     * Re-wraps every stored key that is not yet under the active KEK (the first one in the environment or the key
     * file), e.g. after a KEK was put first there by hand; audited {@code keys.rewrap}.
     */
    public Rewrap rewrap(String actor) {
        String active = vault.activeLabel();
        KeyRotation.Counts n = KeyRotation.rewrapAllKinds(registry, vault);
        registry.audit(actor, "keys.rewrap", "kek:" + active, "rewrapped=" + n.total() + " units=" + n.units()
                + " sessions=" + n.sessions());
        return new Rewrap(active, n.total(), n.units(), n.sessions());
    }

    /**
     * One KEK as the status shows it: whether it is the active one, whether this process holds it (in the key file or
     * the environment; a label only recorded in the registry is a KEK dropped after a rotation), and how many stored
     * key sets are wrapped under it. Never the key itself.
     */
    public record KekState(String label, boolean active, boolean held, long units, long sessions) {
    }

    /**
     * The key status an administrator reads before rotating: the active KEK, every KEK known with its key counts,
     * whether this server may rotate (the KEK is in the data folder's key file, not in {@code LORAFAB_KEK}), and how
     * many key sets are still under an older KEK (more than 0: a rotation or re-wrap has not finished).
     */
    public record Status(String activeLabel, boolean rotatable, List<KekState> keks, long notUnderActive) {
    }

    public Status status() {
        String active = vault.activeLabel();
        Map<String, Long> units = registry.wrappedKeyCounts(WrappedKeySet.Kind.UNIT_ROOT_KEYS);
        Map<String, Long> sessions = registry.wrappedKeyCounts(WrappedKeySet.Kind.SESSION_KEYS);
        Set<String> labels = new LinkedHashSet<>();
        labels.add(active);
        vault.ring().all().forEach(k -> labels.add(k.label()));
        labels.addAll(registry.keks().keySet());
        labels.addAll(units.keySet());
        labels.addAll(sessions.keySet());
        List<KekState> out = new ArrayList<>();
        long left = 0;
        for (String l : labels) {
            long u = units.getOrDefault(l, 0L);
            long s = sessions.getOrDefault(l, 0L);
            if (!l.equals(active)) {
                left += u + s;
            }
            out.add(new KekState(l, l.equals(active), vault.ring().byLabel(l) != null, u, s));
        }
        return new Status(active, vault.ring().fileBacked(), out, left);
    }

    private String defaultLabel() {
        String base = "kek-" + clock.instant().getEpochSecond();
        Set<String> taken = registry.keks().keySet();
        String l = base;
        for (int n = 2; taken.contains(l) || vault.ring().byLabel(l) != null; n++) {
            l = base + "-" + n;
        }
        return l;
    }
}
