package io.lorafab.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A gateway's {@code stat} object under the packet forwarder's names; fields it did not send are left out. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GatewayStat(String time, Double lati, @JsonProperty("long") Double longitude, Integer alti, Long rxnb, Long rxok,
        Long rxfw, Double ackr, Long dwnb, Long txnb) {
}
