package io.lorafab.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** {@code POST /api/units/{devEui}/void}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VoidRequest(String reason) {
}
