package io.lorafab.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/gateways}: the gateways heard (by EUI), the UDP listener's counters, the join outcomes, the
 * rejections counted but not recorded, and — only when the server publishes to MQTT — its publishing counters.
 */
public record GatewaysView(List<GatewayView> gateways, Map<String, Long> counters, Map<String, Long> joins,
        Map<String, Long> rejectionsNotRecorded, @JsonInclude(JsonInclude.Include.NON_NULL) Mqtt mqtt) {

    public record Mqtt(long published, long unpublished, int pending) {
    }
}
