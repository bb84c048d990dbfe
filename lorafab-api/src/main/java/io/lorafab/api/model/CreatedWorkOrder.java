package io.lorafab.api.model;

import java.util.Map;

/**
 * {@code POST /api/orders}: the new work order with its units per state (lower-case state names) and the yield passed / (passed + failed), null before a unit finished.
 */
public record CreatedWorkOrder(long id, String reference, long productId, String product, int quantity, String state,
        String createdAt, String closedAt, String closedBy, String closeReason, Map<String, Long> units, Double yield) {
}
