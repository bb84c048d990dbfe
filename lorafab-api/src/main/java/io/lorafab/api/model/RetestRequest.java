package io.lorafab.api.model;

/** {@code POST /api/units/{devEui}/retest}: the station that tests the unit again, and why. */
public record RetestRequest(@Required String stationId, @Required String reason) {
}
