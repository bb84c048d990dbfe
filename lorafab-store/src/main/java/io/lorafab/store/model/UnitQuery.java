package io.lorafab.store.model;

/**
 * Filter and page for listing units; null fields do not filter. Ordered by id. {@code stationId} is the
 * station that last reserved or moved the unit. {@code serial} is a serial number, or a prefix of one followed
 * by {@code *}.
 */
public record UnitQuery(Long workOrderId, UnitState state, Long productId, String stationId, String serial, long afterId, int limit) {

    public UnitQuery(Long workOrderId, UnitState state, Long productId, String stationId, long afterId, int limit) {
        this(workOrderId, state, productId, stationId, null, afterId, limit);
    }

    public static UnitQuery all() {
        return new UnitQuery(null, null, null, null, 0, Integer.MAX_VALUE);
    }

    public static UnitQuery ofWorkOrder(long workOrderId) {
        return new UnitQuery(workOrderId, null, null, null, 0, Integer.MAX_VALUE);
    }

    public UnitQuery inState(UnitState s) {
        return new UnitQuery(workOrderId, s, productId, stationId, serial, afterId, limit);
    }

    public UnitQuery atStation(String station) {
        return new UnitQuery(workOrderId, state, productId, station, serial, afterId, limit);
    }

    /** Units with this serial, or whose serial starts with {@code serial} without its trailing {@code *}. */
    public UnitQuery withSerial(String s) {
        return new UnitQuery(workOrderId, state, productId, stationId, s, afterId, limit);
    }

    public UnitQuery page(long after, int max) {
        return new UnitQuery(workOrderId, state, productId, stationId, serial, after, max);
    }
}
