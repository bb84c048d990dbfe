package io.lorafab.api.model;

/** A station and the last time it reserved, programmed or finished a unit. */
public record StationSeen(String stationId, String lastActivity) {
}
