package io.lorafab.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code POST /api/stations/{id}/step}: the station says which step of a unit it has just begun, for its screen.
 * {@code step} is one of {@code reserve}, {@code program}, {@code read_back}, {@code join}, {@code uplink},
 * {@code finish}; {@code devEui} the unit's (absent for {@code reserve}, before the server has handed one out).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StationStepRequest(String devEui, @Required String step) {
}
