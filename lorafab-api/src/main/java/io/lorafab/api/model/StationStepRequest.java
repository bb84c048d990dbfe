package io.lorafab.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code POST /api/stations/{id}/step}: the station says which step of a unit it has just begun, for its screen.
 * {@code step} is one of {@code reserve}, {@code program}, {@code read_back}, {@code join}, {@code uplink},
 * {@code downlink}, {@code certification}, {@code finish}; {@code devEui} the unit's (absent for {@code reserve}, before the server has handed one out);
 * {@code position} the fixture position (1..64) the unit sits in on a multi-up fixture, absent on a one-board station.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StationStepRequest(String devEui, @Required String step, Integer position) {

    /** A one-board station's step: no position. */
    public StationStepRequest(String devEui, String step) {
        this(devEui, step, null);
    }
}
