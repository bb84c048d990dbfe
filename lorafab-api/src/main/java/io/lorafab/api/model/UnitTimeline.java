package io.lorafab.api.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * {@code GET /api/units/{devEui}/timeline}: a unit's identity (never its keys) and everything that happened to it,
 * oldest first: audit records ({@code kind} the action, e.g. {@code unit.reserve}, {@code unit.retest}), test runs
 * ({@code test_run}, details the measurements) and what the join server recorded on air ({@code join_accepted},
 * {@code join_rejected}, {@code uplink_verified}, ..., details gateway, RSSI, SNR, frequency, data rate).
 */
public record UnitTimeline(String devEui, String joinEui, String serial, String product, String order, String state,
        String stationId, List<Entry> entries) {

    /** {@code reason} explained for test runs and refusals, null otherwise. */
    public record Entry(String at, String kind, String summary, ReasonView reason, JsonNode details) {
    }
}
