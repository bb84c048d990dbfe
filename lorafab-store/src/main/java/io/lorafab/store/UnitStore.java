package io.lorafab.store;

import io.lorafab.lorawan.types.Eui64;
import io.lorafab.store.model.AllowedNetIds;
import io.lorafab.store.model.NewUnit;
import io.lorafab.store.model.ReservationOutcome;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.WorkOrder;
import io.lorafab.store.model.UnitQuery;
import io.lorafab.store.model.UnitReservation;
import io.lorafab.store.model.UnitState;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Units: physical devices with their wrapped root keys, how they are reserved, and their own NetIDs.
 *
 * <p>Each call is atomic and joins the {@link Registry#transaction} open on the calling thread, if any.
 * Failures are {@link StoreException}s with stable codes.
 */
public interface UnitStore {

    /**
     * Reserves units for many requests in one transaction (or in the caller's {@link Registry#transaction}): for each,
     * takes a slot of its work order, the scanned DevEUI or the next free one of its product's open blocks
     * ({@link EuiBlockStore#openEuiBlockFor} order, moving on to the next block when one runs out, skipping EUIs already
     * held by a unit), inserts the unit as RESERVED and appends its {@code unit.reserve} audit record.
     *
     * <p>Each request gets its own outcome, in the order given, and one refused request takes nothing from
     * the others: {@code work_order_full} once the order's free slots are used up (by earlier requests),
     * {@code eui_block_exhausted} once the product's blocks are, {@code duplicate} for a scanned DevEUI or a
     * serial that a unit holds already. The work order's and each block's counter are written once for the
     * whole batch.
     */
    List<ReservationOutcome> reserveUnits(List<UnitReservation> requests);

    /**
     * One reservation as {@link #reserveUnits}, group-committed: concurrent callers' requests are served by
     * one {@code reserveUnits} call in one transaction. Returns the unit once committed; throws its refusal.
     */
    Unit reserveUnit(UnitReservation request);

    Unit insertUnit(NewUnit u);

    /**
     * Removes the units of origin {@link io.lorafab.store.model.UnitOrigin#SIMULATED} among {@code devEuis}, with everything the join
     * server recorded for them (nonces, sessions, radio events), in one transaction; any other unit is left
     * untouched. Returns how many units were removed. A load test that failed leaves nothing behind this way.
     */
    int removeSimulatedUnits(Collection<Eui64> devEuis);

    Optional<Unit> unit(Eui64 devEui);

    Optional<Unit> unitBySerial(String serial);

    List<Unit> units(UnitQuery q);

    /** Counts of units per state, for one work order or (null) all. */
    Map<UnitState, Long> unitCounts(Long workOrderId);

    /**
     * Atomically reads the unit, applies {@code change} and stores the result (state, station, keys and
     * updated time; identity fields cannot change). The row is locked for the duration, so two concurrent
     * updaters of one unit run one after the other and neither loses the other's change; a {@code change} that throws
     * leaves the unit as it was.
     */
    Unit updateUnit(Eui64 devEui, UnaryOperator<Unit> change);

    /**
     * Takes an imported unit whose secure element holds its keys (no work order yet, PROGRAMMED) into {@code order}
     * at {@code stationId}, as a reservation does for a new unit: RESERVED, of the order's product, counted among the
     * order's units, atomically.
     *
     * @throws StoreException {@code work_order_full} when the order has all its units, {@code work_order_closed} when
     *         it is not open, {@code illegal_transition} when the unit is not such a unit (any more)
     */
    Unit adoptSecureElementUnit(Eui64 devEui, WorkOrder order, String stationId);

    /**
     * Gives a device its own NetIDs, replacing its product's, or (null) makes it follow its product's again
     * ({@code not_found} without the device).
     */
    void setDeviceNetIds(Eui64 devEui, AllowedNetIds netIds);

    /**
     * The NetIDs that may join the device over Backend Interfaces: its own if it has them, else its product's, else
     * none (also for an unknown device).
     */
    AllowedNetIds allowedNetIds(Eui64 devEui);
}
