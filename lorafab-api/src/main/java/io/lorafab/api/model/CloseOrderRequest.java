package io.lorafab.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** {@code POST /api/orders/{ref}/close} (the body may be left out). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CloseOrderRequest(String reason) {
}
