package io.lorafab.provisioning.service;

import io.lorafab.api.ErrorCode;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.store.Registry;
import io.lorafab.store.StoreException;
import io.lorafab.store.model.ChipIdentity;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.UnitState;

/**
 * The chip identity an LR11xx-style part reports at end of line (its pre-provisioned ChipEUI, Semtech JoinEUI and
 * claim PIN), recorded against the unit so that the maker can claim the units on the vendor's join service
 * ({@link DeviceExports#exportClaims}). The audit record names the ChipEUI and the JoinEUI, never the PIN.
 */
public final class ChipIdentities {

    private final Provisioning provisioning;

    public ChipIdentities(Provisioning provisioning) {
        this.provisioning = provisioning;
    }

    /**
     * Records {@code identity} for the unit {@code devEui} (replacing what a previous test run recorded): {@code not_found}
     * for an unknown unit, {@code unit_void} for a void one, {@code duplicate} when another unit carries that ChipEUI.
     */
    public ChipIdentity record(Eui64 devEui, ChipIdentity identity, String actor) {
        Registry registry = provisioning.registry();
        return registry.transaction(r -> {
            Unit u = provisioning.unit(devEui);
            if (u.state() == UnitState.VOID) {
                throw new StoreException(ErrorCode.UNIT_VOID, "unit " + devEui + " is void");
            }
            r.unitOfChip(identity.chipEui()).filter(id -> id != u.id()).ifPresent(id -> {
                throw new StoreException(ErrorCode.DUPLICATE, "ChipEUI " + identity.chipEui() + " was already reported by another unit");
            });
            ChipIdentity stored = r.recordChipIdentity(u.id(), identity);
            r.audit(actor, "unit.chip_identity", devEui.toString(), "chip_eui=" + identity.chipEui()
                    + (identity.joinEui() == null ? "" : " join_eui=" + identity.joinEui())
                    + (identity.stationId() == null ? "" : " station=" + identity.stationId()) + " pin=recorded");
            return stored;
        });
    }
}
