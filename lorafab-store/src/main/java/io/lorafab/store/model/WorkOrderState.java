package io.lorafab.store.model;

/** A work order is OPEN while units are made for it, then COMPLETED or CANCELLED. */
public enum WorkOrderState {
    OPEN, COMPLETED, CANCELLED
}
