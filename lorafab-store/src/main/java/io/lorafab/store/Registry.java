package io.lorafab.store;

import io.lorafab.lorawan.types.Eui64;
import io.lorafab.store.model.AllowedNetIds;
import io.lorafab.store.model.ApiToken;
import io.lorafab.store.model.AuditEvent;
import io.lorafab.store.model.AuditQuery;
import io.lorafab.store.model.EuiBlock;
import io.lorafab.store.model.NewEuiBlock;
import io.lorafab.store.model.NewProduct;
import io.lorafab.store.model.NewUnit;
import io.lorafab.store.model.OrderYield;
import io.lorafab.store.model.Product;
import io.lorafab.store.model.ReservationOutcome;
import io.lorafab.store.model.Role;
import io.lorafab.store.model.TestResult;
import io.lorafab.store.model.TestRun;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.UnitQuery;
import io.lorafab.store.model.UnitReservation;
import io.lorafab.store.model.UnitState;
import io.lorafab.store.model.WorkOrder;
import io.lorafab.store.model.WorkOrderState;
import io.lorafab.store.model.WrappedKeySet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The device registry: products, EUI blocks, work orders, units with their wrapped keys and test runs, the
 * audit log, API tokens and KEK labels. Each call is atomic; {@link #transaction} makes several calls one
 * transaction (all committed together or none). Failures are {@link StoreException}s with stable codes.
 */
public interface Registry extends AutoCloseable {

    /** Runs {@code work} against this registry in one transaction. Nested calls join the outer transaction. */
    <T> T transaction(Function<Registry, T> work);

    /** Group-commit transactions of {@link #reserveUnit} so far and the reservations they carried. */
    long[] groupCommitStats();

    Product createProduct(NewProduct p);

    Optional<Product> product(long id);

    Optional<Product> productByName(String name);

    List<Product> products();

    /** Replaces the NetIDs a product's devices may be joined by over Backend Interfaces ({@code not_found} without it). */
    void setProductNetIds(long productId, AllowedNetIds netIds);

    /** The NetIDs a product's devices may be joined by over Backend Interfaces (none for an unknown product). */
    AllowedNetIds productNetIds(long productId);

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

    EuiBlock createEuiBlock(NewEuiBlock b);

    Optional<EuiBlock> euiBlock(long id);

    List<EuiBlock> euiBlocks();

    /** The first block with free DevEUIs for the product: one of its own, else a shared one (no product). */
    Optional<EuiBlock> openEuiBlockFor(long productId);

    WorkOrder createWorkOrder(String reference, long productId, int quantity);

    Optional<WorkOrder> workOrder(long id);

    Optional<WorkOrder> workOrderByReference(String reference);

    List<WorkOrder> workOrders();

    WorkOrder setWorkOrderState(long id, WorkOrderState state);

    /**
     * Closes an OPEN work order: from then on it refuses reservations ({@code work_order_closed}); its units
     * already reserved can still be programmed, finished and voided. Records when, {@code by} whom and why.
     * An order that is not OPEN is refused with {@code work_order_closed}, and nothing changes.
     */
    WorkOrder closeWorkOrder(long id, String by, String reason);

    /** Opens a CLOSED work order again; any other state is refused with {@code illegal_transition}. */
    WorkOrder reopenWorkOrder(long id);

    /** The order's yield figures from its units and their test runs (see {@link OrderYield}). */
    OrderYield orderYield(long workOrderId);

    /** Gives a slot back (a unit of the order was voided). */
    void releaseWorkOrderSlot(long workOrderId);

    /**
     * Reserves units for many requests in one transaction (or in the caller's {@link #transaction}): for each,
     * takes a slot of its work order, the scanned DevEUI or the next free one of its product's open blocks
     * ({@link #openEuiBlockFor} order, moving on to the next block when one runs out, skipping EUIs already
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
     * Removes the units of origin {@link UnitOrigin#SIMULATED} among {@code devEuis}, with everything the join
     * server recorded for them (nonces, sessions, radio events), in one transaction; any other unit is left
     * untouched. Returns how many units were removed. A load test that failed leaves nothing behind this way.
     */
    int removeSimulatedUnits(java.util.Collection<Eui64> devEuis);

    Optional<Unit> unit(Eui64 devEui);

    Optional<Unit> unitBySerial(String serial);

    List<Unit> units(UnitQuery q);

    /** Counts of units per state, for one work order or (null) all. */
    Map<UnitState, Long> unitCounts(Long workOrderId);

    /**
     * Atomically reads the unit, applies {@code change} and stores the result (state, station, keys and
     * updated time; identity fields cannot change). The row is locked for the duration.
     */
    Unit updateUnit(Eui64 devEui, UnaryOperator<Unit> change);

    TestRun appendTestRun(long unitId, String stationId, TestResult result, String reasonCode, String measurementsJson);

    List<TestRun> testRuns(long unitId);

    AuditEvent audit(String actor, String action, String subject, String details);

    /** The newest {@code limit} audit events, newest first. */
    default List<AuditEvent> auditLog(int limit) {
        return auditLog(AuditQuery.newest(limit));
    }

    /** The newest audit events that match {@code q} (filtered by the database), newest first. */
    List<AuditEvent> auditLog(AuditQuery q);

    ApiToken insertToken(String name, Role role, String tokenHash);

    Optional<ApiToken> tokenByHash(String tokenHash);

    List<ApiToken> tokens();

    void revokeToken(long id);

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
    java.util.Set<String> kekLabelsInUse();

    /**
     * Stored key sets of one kind wrapped under a KEK other than {@code label}, with an id above {@code afterId},
     * in id order, up to {@code limit}.
     */
    List<WrappedKeySet> wrappedKeysNotUnder(WrappedKeySet.Kind kind, String label, long afterId, int limit);

    /**
     * Stores {@code after}'s label and wrapped keys in the row {@code before} was read from, if that row still
     * holds exactly {@code before}'s label and first key (a compare-and-set, so that a concurrent change is never
     * overwritten); false when it changed meanwhile. Nothing else of the row changes.
     */
    boolean replaceWrappedKeys(WrappedKeySet before, WrappedKeySet after);

    @Override
    void close();
}
