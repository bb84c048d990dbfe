package io.lorafab.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** {@code POST /api/eui-blocks}: {@code product} a product's name (null: shared); {@code first} null: from the prefix. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CreateEuiBlockRequest(@Required String name, String product, @Required String assignment, @Required String prefix,
        String first, Long size) {
}
