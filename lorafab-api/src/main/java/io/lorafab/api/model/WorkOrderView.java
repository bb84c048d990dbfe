package io.lorafab.api.model;

/**
 * A work order as listed, closed or reopened; {@code state} OPEN or CLOSED; {@code closedAt}, {@code closedBy}
 * and {@code closeReason} null while open.
 */
public record WorkOrderView(long id, String reference, long productId, String product, int quantity, String state,
        String createdAt, String closedAt, String closedBy, String closeReason) {
}
