package io.lorafab.store;

import io.lorafab.store.model.OrderYield;
import io.lorafab.store.model.WorkOrder;
import io.lorafab.store.model.WorkOrderState;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Work orders: the batches a line works on, their slots and their yield.
 *
 * <p>Each call is atomic and joins the {@link Registry#transaction} open on the calling thread, if any.
 * Failures are {@link StoreException}s with stable codes.
 */
public interface WorkOrderStore {

    WorkOrder createWorkOrder(String reference, long productId, int quantity);

    Optional<WorkOrder> workOrder(long id);

    Optional<WorkOrder> workOrderByReference(String reference);

    List<WorkOrder> workOrders();

    WorkOrder setWorkOrderState(long id, WorkOrderState state);

    /**
     * Atomically reads the work order, applies {@code change} and stores the result (its state and closure; the
     * other fields cannot change), as {@link UnitStore#updateUnit} does for a unit. The row is locked for the
     * duration, so a reservation of the order either commits before or sees the new state; {@code change} may
     * throw a {@link StoreException} to refuse, and then nothing changes ({@code not_found} without the order).
     */
    WorkOrder updateWorkOrder(long id, UnaryOperator<WorkOrder> change);

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
}
