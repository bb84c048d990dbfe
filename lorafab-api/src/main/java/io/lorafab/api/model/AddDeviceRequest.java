package io.lorafab.api.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * {@code POST /api/devices}: a device made elsewhere. Keys are 32 hex digits; {@code macVersion} null: 1.0.3;
 * {@code region} null: EU868; {@code product} a product's name.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AddDeviceRequest(@Required String devEui, @Required String joinEui, @Required String appKey, String nwkKey,
        String macVersion, String region, String serial, String name, String product, List<String> netIds) {

    /** Without the keys. */
    @Override
    public String toString() {
        return "AddDeviceRequest[" + devEui + ", keys=redacted]";
    }
}
