package io.lorafab.store.model;

/** Filter and page for listing units; null fields do not filter. Ordered by id. */
public record UnitQuery(Long workOrderId, UnitState state, Long productId, long afterId, int limit) {

    public static UnitQuery all() {
        return new UnitQuery(null, null, null, 0, Integer.MAX_VALUE);
    }

    public static UnitQuery ofWorkOrder(long workOrderId) {
        return new UnitQuery(workOrderId, null, null, 0, Integer.MAX_VALUE);
    }

    public UnitQuery page(long after, int max) {
        return new UnitQuery(workOrderId, state, productId, after, max);
    }
}
