package io.lorafab.api.model;

import java.util.List;

/** {@code POST /api/devices}: the unit made for the device, with the NetIDs allowed to join it. */
public record DeviceView(long id, String devEui, String joinEui, Long productId, String product, Long workOrderId, String order,
        String serial, String name, String macVersion, String region, String state, String origin, String stationId,
        String kekLabel, String createdAt, String updatedAt, List<String> netIds, String secureElementId, String joinServer) {
}
