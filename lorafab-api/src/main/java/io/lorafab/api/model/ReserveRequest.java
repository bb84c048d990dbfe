package io.lorafab.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * {@code POST /api/orders/{ref}/reserve} (the body may be left out): {@code scanned} a DevEUI or serial read off a
 * pre-printed label, {@code serial} one to give the new unit.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReserveRequest(String stationId, String scanned, String serial) {
}
