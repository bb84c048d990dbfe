package io.lorafab.provisioning.service;

import io.lorafab.store.Registry;
import io.lorafab.store.StoreException;
import io.lorafab.store.model.Names;
import io.lorafab.store.model.OrderYield;
import io.lorafab.store.model.Product;
import io.lorafab.store.model.WorkOrder;

/**
 * What a production engineer does with a work order once it runs: reads its yield, closes it (audited
 * {@code work_order.close}) and reopens it ({@code work_order.reopen}). The
 * command line and the HTTP API both call these (each finds the order by its reference in its own way), so
 * they show the same figures and keep the same rules.
 */
public final class WorkOrders {

    private final Registry registry;

    public WorkOrders(Registry registry) {
        this.registry = registry;
    }

    /** A work order with its product and its yield figures. */
    public record Report(WorkOrder order, Product product, OrderYield yield) {
    }

    public Report report(WorkOrder o) {
        Product p = registry.product(o.productId()).orElseThrow(() -> StoreException.notFound("product " + o.productId()));
        return new Report(o, p, registry.orderYield(o.id()));
    }

    /**
     * Closes the order: no more reservations (allocated or scanned, {@code work_order_closed}); units already
     * reserved can still be programmed, finished and voided. A second close is refused and changes nothing.
     *
     * @param reason optional, one line of up to 100 characters; recorded on the order and in the audit log
     */
    public WorkOrder close(WorkOrder o, String reason, String actor) {
        String why = Names.optional(reason, "reason");
        return registry.transaction(r -> {
            WorkOrder closed = r.closeWorkOrder(o.id(), actor, why);
            r.audit(actor, "work_order.close", subject(closed), why == null ? null : "reason=" + why);
            return closed;
        });
    }

    /** Opens a closed order again (reservations resume); refused with {@code illegal_transition} for any other. */
    public WorkOrder reopen(WorkOrder o, String actor) {
        return registry.transaction(r -> {
            WorkOrder opened = r.reopenWorkOrder(o.id());
            r.audit(actor, "work_order.reopen", subject(opened), null);
            return opened;
        });
    }

    /** The audit subject of a work order, as {@code work_order.create} on the command line writes it. */
    private static String subject(WorkOrder o) {
        return "work_order:" + o.reference();
    }
}
