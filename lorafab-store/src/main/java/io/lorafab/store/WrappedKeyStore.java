package io.lorafab.store;

import io.lorafab.store.model.WrappedKeySet;
import java.util.List;

/**
 * Every stored wrapped key set, in any table, for rewrapping them under another KEK.
 *
 * <p>Each call is atomic and joins the {@link Registry#transaction} open on the calling thread, if any.
 * Failures are {@link StoreException}s with stable codes.
 */
public interface WrappedKeyStore {

    /**
     * Stored key sets of one kind wrapped under a KEK other than {@code label}, with an id above {@code afterId},
     * in id order, up to {@code limit}.
     */
    List<WrappedKeySet> wrappedKeysNotUnder(WrappedKeySet.Kind kind, String label, long afterId, int limit);

    /**
     * How many stored key sets of {@code kind} are wrapped under each KEK label (labels no key uses are absent), for
     * the key status an administrator reads: keys left under an older KEK mean a re-wrap has not finished.
     */
    java.util.Map<String, Long> wrappedKeyCounts(WrappedKeySet.Kind kind);

    /**
     * Stores {@code after}'s label and wrapped keys in the row {@code before} was read from, if that row still
     * holds exactly {@code before}'s label and first key (a compare-and-set, so that a concurrent change is never
     * overwritten); false when it changed meanwhile. Nothing else of the row changes.
     */
    boolean replaceWrappedKeys(WrappedKeySet before, WrappedKeySet after);
}
