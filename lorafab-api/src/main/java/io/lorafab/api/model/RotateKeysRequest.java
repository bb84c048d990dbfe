package io.lorafab.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** {@code POST /api/keys/rotate} (the body may be left out): the new KEK's label, null: one made from the time. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RotateKeysRequest(String label) {
}
