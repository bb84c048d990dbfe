package io.lorafab.store.model;

import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;

/** A unit to insert; {@code region} may be null (a device imported without one, see {@link Unit#joinRegion()}). */
public record NewUnit(Eui64 devEui, Eui64 joinEui, Long productId, Long workOrderId, String serial, String name,
        MacVersion macVersion, Region region, WrappedKeys keys, UnitState state, UnitOrigin origin, String stationId) {

    public NewUnit {
        serial = Names.optional(serial, "serial number");
        name = Names.optional(name, "device name");
    }
}
