package io.lorafab.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** {@code POST /api/units/{devEui}/programmed}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProgrammedRequest(String stationId) {
}
