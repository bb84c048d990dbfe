package io.lorafab.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** {@code POST /api/orders}: {@code product} a product's name; {@code reference} null: the server names it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CreateOrderRequest(@Required String product, String reference, @Required Integer quantity) {
}
