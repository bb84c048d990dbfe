package io.lorafab.provisioning.service;

import io.lorafab.api.ErrorCode;
import io.lorafab.api.model.CreateOrderRequest;
import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.provisioning.model.Identifiers;
import io.lorafab.store.Registry;
import io.lorafab.store.StoreException;
import io.lorafab.store.model.Names;
import io.lorafab.store.model.OrderYield;
import io.lorafab.store.model.Product;
import io.lorafab.store.model.WorkOrder;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * What a production engineer does with work orders: opens one (audited {@code work_order.create}, with a
 * generated reference when none is given), reads its yield, closes it ({@code work_order.close}) and reopens it
 * ({@code work_order.reopen}). The command line and the HTTP API both call these, so they show the same figures,
 * name orders the same way and keep the same rules.
 */
public final class WorkOrders {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
    /** Tries of a generated reference that another process took meanwhile, before giving up. */
    private static final int REFERENCE_TRIES = 5;

    private final Registry registry;
    private final Clock clock;

    /** @param clock the day of a generated reference ({@code WO-yyyyMMdd-n}) is this clock's UTC day */
    public WorkOrders(Registry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
    }

    /** The order with this reference (surrounding blanks ignored); {@code not_found} otherwise. */
    public WorkOrder byReference(String reference) {
        String ref = reference == null ? "" : reference.strip();
        return registry.workOrderByReference(ref).orElseThrow(() -> StoreException.notFound("work order '" + ref + "'"));
    }

    public List<WorkOrder> all() {
        return registry.workOrders();
    }

    /** Whether an order may have {@code quantity} units (at least one); for callers that check their input early. */
    public static boolean validQuantity(long quantity) {
        return quantity > 0 && quantity <= Integer.MAX_VALUE;
    }

    /**
     * Opens the order a {@code POST /api/orders} body (or the console's form, read into the same record) asks for:
     * {@code product} by name, {@code reference} null to have one generated.
     */
    public WorkOrder create(CreateOrderRequest b, String actor) {
        Product p = new Products(registry).byName(b.product());
        return create(b.reference(), p, Products.required(b.quantity(), "quantity"), actor);
    }

    /**
     * Opens a work order of {@code quantity} units of {@code product}, audited {@code work_order.create} with subject
     * {@code work_order:<reference>}. A reference given is checked ({@link Identifiers#workOrderReference}) and
     * taken as it is; without one the order is named {@code WO-<yyyyMMdd>-<n>}, the next free n of the clock's UTC
     * day, and a generated reference that another process took meanwhile is replaced by the next one.
     *
     * @param reference null: generate one
     */
    public WorkOrder create(String reference, Product product, int quantity, String actor) {
        if (!validQuantity(quantity)) {
            throw new LorawanFormatException("quantity: must be positive");
        }
        if (reference != null) {
            return insert(Identifiers.workOrderReference(reference), product, quantity, actor);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                return insert(nextReference(), product, quantity, actor);
            } catch (StoreException e) {
                if (e.code() != ErrorCode.DUPLICATE || attempt >= REFERENCE_TRIES) {
                    throw e;
                }
            }
        }
    }

    private WorkOrder insert(String reference, Product product, int quantity, String actor) {
        return registry.transaction(r -> {
            WorkOrder o = r.createWorkOrder(reference, product.id(), quantity);
            r.audit(actor, "work_order.create", subject(o), "product=" + product.name() + " quantity=" + o.quantity());
            return o;
        });
    }

    /** WO-yyyyMMdd-n with n one more than the highest n used on the clock's day (UTC). */
    String nextReference() {
        String prefix = "WO-" + LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).format(DAY) + "-";
        long max = 0;
        for (WorkOrder o : registry.workOrders()) {
            String ref = o.reference();
            if (ref.startsWith(prefix) && ref.length() > prefix.length() && ref.length() <= prefix.length() + 9
                    && ref.substring(prefix.length()).chars().allMatch(c -> c >= '0' && c <= '9')) {
                max = Math.max(max, Long.parseLong(ref.substring(prefix.length())));
            }
        }
        return prefix + (max + 1);
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

    /** The audit subject of a work order. */
    private static String subject(WorkOrder o) {
        return "work_order:" + o.reference();
    }
}
