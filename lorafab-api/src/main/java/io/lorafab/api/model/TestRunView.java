package io.lorafab.api.model;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One test run: {@code result} PASSED, FAILED or STATION_FAULT; {@code measurements} the JSON object the station
 * sent (text that is not one is kept under {@code "unparsed"}).
 */
public record TestRunView(long id, String stationId, String result, String reasonCode, JsonNode measurements, String finishedAt) {
}
