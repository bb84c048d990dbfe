package io.lorafab.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * {@code POST /api/units/{devEui}/finish}: {@code result} PASSED, FAILED or STATION_FAULT; {@code reasonCode} why it
 * failed; {@code measurements} a JSON object kept with the test run.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record FinishRequest(@Required String result, String reasonCode, Map<String, Object> measurements, String stationId) {
}
