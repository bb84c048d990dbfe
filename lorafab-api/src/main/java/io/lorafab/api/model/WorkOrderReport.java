package io.lorafab.api.model;

import java.util.Map;

/** {@code GET /api/orders/{ref}}: the order, its units per state, its yield and the test figures behind it. */
public record WorkOrderReport(long id, String reference, long productId, String product, int quantity, String state,
        String createdAt, String closedAt, String closedBy, String closeReason, Map<String, Long> units, Double yield,
        OrderYieldView testing) {
}
