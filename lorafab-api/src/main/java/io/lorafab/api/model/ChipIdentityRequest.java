package io.lorafab.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code POST /api/units/{devEui}/chip-identity}: what an LR11xx-style part reported at end of line, {@code chipEui}
 * and {@code joinEui} 16 hex digits ({@code joinEui} optional), {@code pin} the 8-hex-digit claim PIN. The PIN is a
 * claim credential: {@link #toString()} hides it and no response carries it back.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChipIdentityRequest(@Required String chipEui, String joinEui, @Required String pin, String stationId) {

    @Override
    public String toString() {
        return "ChipIdentityRequest[chipEui=" + chipEui + ", joinEui=" + joinEui + ", pin=redacted, stationId=" + stationId + "]";
    }
}
