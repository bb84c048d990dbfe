package io.lorafab.store.model;

import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;

/**
 * A unit to insert; {@code region} may be null (a device imported without one, see {@link Unit#joinRegion()}). Either
 * {@code keys} or {@code secureElement} (keys held by the device's secure element), as in {@link Unit}.
 */
public record NewUnit(Eui64 devEui, Eui64 joinEui, Long productId, Long workOrderId, String serial, String name,
        MacVersion macVersion, Region region, WrappedKeys keys, UnitState state, UnitOrigin origin, String stationId,
        SecureElement secureElement) {

    /** A unit whose root keys lorafab holds. */
    public NewUnit(Eui64 devEui, Eui64 joinEui, Long productId, Long workOrderId, String serial, String name,
            MacVersion macVersion, Region region, WrappedKeys keys, UnitState state, UnitOrigin origin, String stationId) {
        this(devEui, joinEui, productId, workOrderId, serial, name, macVersion, region, keys, state, origin, stationId, null);
    }

    public NewUnit {
        if ((keys == null) == (secureElement == null)) {
            throw new IllegalArgumentException("a unit has either wrapped keys or a secure element holding them");
        }
        serial = Names.optional(serial, "serial number");
        name = Names.optional(name, "device name");
    }
}
