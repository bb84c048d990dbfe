package io.lorafab.store.model;

/**
 * A work order is OPEN while units are made for it. An engineer CLOSES it (and may reopen it); COMPLETED and
 * CANCELLED are kept for orders settled otherwise. Only an OPEN order hands out identities.
 */
public enum WorkOrderState {
    OPEN, COMPLETED, CANCELLED, CLOSED
}
