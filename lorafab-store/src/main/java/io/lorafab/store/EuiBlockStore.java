package io.lorafab.store;

import io.lorafab.store.model.EuiBlock;
import io.lorafab.store.model.NewEuiBlock;
import java.util.List;
import java.util.Optional;

/**
 * EUI blocks: the ranges of DevEUIs the maker owns and hands out to its units.
 *
 * <p>Each call is atomic and joins the {@link Registry#transaction} open on the calling thread, if any.
 * Failures are {@link StoreException}s with stable codes.
 */
public interface EuiBlockStore {

    EuiBlock createEuiBlock(NewEuiBlock b);

    Optional<EuiBlock> euiBlock(long id);

    List<EuiBlock> euiBlocks();

    /** The first block with free DevEUIs for the product: one of its own, else a shared one (no product). */
    Optional<EuiBlock> openEuiBlockFor(long productId);
}
