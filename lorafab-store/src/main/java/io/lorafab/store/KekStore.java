package io.lorafab.store;

import java.util.Map;
import java.util.Set;

/**
 * The KEK labels and check values that the stored wrapped keys are wrapped under.
 *
 * <p>Each call is atomic and joins the {@link Registry#transaction} open on the calling thread, if any.
 * Failures are {@link StoreException}s with stable codes.
 */
public interface KekStore {

    /**
     * Records a KEK label with its check value, or verifies it against the one recorded: a different value
     * means the KEK given is not the one the stored keys were wrapped with ({@code kek_mismatch}).
     */
    void registerKek(String label, String checkValue);

    Map<String, String> keks();

    /**
     * The KEK labels that at least one stored key is wrapped under, in every table that holds wrapped keys
     * (units' root keys and join server sessions' keys): a KEK whose label is here must not be dropped.
     */
    Set<String> kekLabelsInUse();
}
