package io.lorafab.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A unit's recorded chip identity, without its PIN (which only the admin-only claim export reveals). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChipIdentityView(String devEui, String chipEui, String joinEui, boolean pinRecorded, String recordedAt) {
}
