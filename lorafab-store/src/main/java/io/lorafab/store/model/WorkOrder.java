package io.lorafab.store.model;

import io.lorafab.api.ErrorCode;
import io.lorafab.store.StoreException;
import java.time.Instant;

/**
 * "5,000 units of product X": the batch a line works on. {@code closure} says when, by whom and why it was
 * closed (null while it is open, or for an order settled without {@code close}).
 */
public record WorkOrder(long id, String reference, long productId, int quantity, WorkOrderState state, Instant createdAt,
        Closure closure) {

    /** When a work order was closed, by whom (an audit actor), and the reason given (may be null). */
    public record Closure(Instant at, String by, String reason) {
    }

    public WorkOrder(long id, String reference, long productId, int quantity, WorkOrderState state, Instant createdAt) {
        this(id, reference, productId, quantity, state, createdAt, null);
    }

    public boolean isOpen() {
        return state == WorkOrderState.OPEN;
    }

    /**
     * The refusal of a reservation (and of a second close) for an order that is not open: code
     * {@code work_order_closed}, and a message that says since when, by whom and why.
     */
    public StoreException notOpen() {
        return new StoreException(ErrorCode.WORK_ORDER_CLOSED, "work order " + reference + " is " + stateText()
                + "; it hands out no more identities");
    }

    /** "closed since 2026-12-06T10:00:00Z by cli:alice (reason: batch done)", or the state in lower case. */
    public String stateText() {
        if (closure == null) {
            return state.name().toLowerCase();
        }
        return state.name().toLowerCase() + " since " + closure.at() + " by " + closure.by()
                + (closure.reason() == null ? "" : " (reason: " + closure.reason() + ")");
    }
}
