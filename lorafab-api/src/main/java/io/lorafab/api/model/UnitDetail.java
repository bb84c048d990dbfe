package io.lorafab.api.model;

import java.util.List;

/** {@code GET /api/units/{devEui}}: the unit and its test runs, oldest first. */
public record UnitDetail(long id, String devEui, String joinEui, Long productId, String product, Long workOrderId, String order,
        String serial, String name, String macVersion, String region, String state, String origin, String stationId,
        String kekLabel, String createdAt, String updatedAt, List<TestRunView> testRuns, String secureElementId, String joinServer) {
}
