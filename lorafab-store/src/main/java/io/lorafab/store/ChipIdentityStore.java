package io.lorafab.store;

import io.lorafab.lorawan.types.Eui64;
import io.lorafab.store.model.ChipIdentity;
import java.util.Map;
import java.util.Optional;

/**
 * The chip identities (ChipEUI, Semtech JoinEUI, claim PIN) that LR11xx-style parts reported at end of line, one per
 * unit. The PIN is stored as reported rather than wrapped under the KEK: it is not a LoRaWAN root key (nothing is
 * derived from it, no session depends on it), it is needed only for claiming, and key rotation, backups and the KEK
 * tooling all deal in AES key sets; a PIN forced into a padded AES block would be a second kind of "key" each of them
 * would have to learn. What keeps it safe instead: it is read only through the admin-only, audited claim export, it is
 * in no unit view, page or log line, and {@link io.lorafab.store.model.ClaimPin#toString()} hides it.
 *
 * <p>Each call is atomic and joins the {@link Registry#transaction} open on the calling thread, if any. Failures are
 * {@link StoreException}s with stable codes: {@code duplicate} when another unit already carries the ChipEUI.
 */
public interface ChipIdentityStore {

    /** Records (or, on a re-test, replaces) the unit's chip identity; {@code recordedAt} is the store's clock. */
    ChipIdentity recordChipIdentity(long unitId, ChipIdentity identity);

    Optional<ChipIdentity> chipIdentity(long unitId);

    /** The chip identities of the units of {@code workOrderId} (all units when null), by unit id. */
    Map<Long, ChipIdentity> chipIdentities(Long workOrderId);

    /** The unit that carries {@code chipEui}, if any. */
    Optional<Long> unitOfChip(Eui64 chipEui);
}
