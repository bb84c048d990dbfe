package io.lorafab.api.model;

/** {@code POST /api/units/{devEui}/reassign}: the station that takes the unit over. */
public record ReassignRequest(@Required String stationId) {
}
