package io.lorafab.store.model;

import java.time.Instant;

/** "5,000 units of product X": the batch a line works on. */
public record WorkOrder(long id, String reference, long productId, int quantity, WorkOrderState state, Instant createdAt) {
}
