package io.lorafab.api.model;

/**
 * A unit, without keys. EUIs are hex; {@code product} and {@code order} are the names of its product and work order
 * where the answer looks them up (unit lists and detail) and null otherwise (answers to a state change);
 * {@code state} RESERVED, PROGRAMMED, PASSED, FAILED or VOID; {@code origin} how it came to be. A unit whose secure
 * element holds its keys has no {@code kekLabel} but {@code secureElementId} and the {@code joinServer} that serves its
 * joins (both null for every other unit).
 */
public record UnitView(long id, String devEui, String joinEui, Long productId, String product, Long workOrderId, String order,
        String serial, String name, String macVersion, String region, String state, String origin, String stationId,
        String kekLabel, String createdAt, String updatedAt, String secureElementId, String joinServer) {
}
