package io.lorafab.store.model;

/**
 * Filter and page for listing units; null fields do not filter. Ordered by id. {@code stationId} is the
 * station that last reserved or moved the unit.
 */
public record UnitQuery(Long workOrderId, UnitState state, Long productId, String stationId, long afterId, int limit) {

    public static UnitQuery all() {
        return new UnitQuery(null, null, null, null, 0, Integer.MAX_VALUE);
    }

    public static UnitQuery ofWorkOrder(long workOrderId) {
        return new UnitQuery(workOrderId, null, null, null, 0, Integer.MAX_VALUE);
    }

    public UnitQuery inState(UnitState s) {
        return new UnitQuery(workOrderId, s, productId, stationId, afterId, limit);
    }

    public UnitQuery atStation(String station) {
        return new UnitQuery(workOrderId, state, productId, station, afterId, limit);
    }

    public UnitQuery page(long after, int max) {
        return new UnitQuery(workOrderId, state, productId, stationId, after, max);
    }
}
