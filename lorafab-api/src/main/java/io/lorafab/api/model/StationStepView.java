package io.lorafab.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The step a station last said it began ({@code POST /api/stations/{id}/step}), and when the server heard it;
 * {@code position} the multi-up fixture position it was reported for, absent on a one-board station.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StationStepView(String stationId, String devEui, String step, String at, Integer position) {
}
