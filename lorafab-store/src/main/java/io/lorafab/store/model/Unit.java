package io.lorafab.store.model;

import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import java.time.Instant;

/**
 * One physical device: identity, wrapped root keys, state, and where it came from. {@code region} is null for a device
 * imported without one. A unit whose keys its secure element holds has {@code secureElement} and no {@code keys}
 * (null); every other unit has keys and no secure element.
 */
public record Unit(long id, Eui64 devEui, Eui64 joinEui, Long productId, Long workOrderId, String serial, String name,
        MacVersion macVersion, Region region, WrappedKeys keys, UnitState state, UnitOrigin origin, String stationId,
        Instant createdAt, Instant updatedAt, SecureElement secureElement) {

    public Unit {
        if ((keys == null) == (secureElement == null)) {
            throw new IllegalArgumentException("a unit has either wrapped keys or a secure element holding them");
        }
    }

    /** A unit whose root keys lorafab holds. */
    public Unit(long id, Eui64 devEui, Eui64 joinEui, Long productId, Long workOrderId, String serial, String name,
            MacVersion macVersion, Region region, WrappedKeys keys, UnitState state, UnitOrigin origin, String stationId,
            Instant createdAt, Instant updatedAt) {
        this(id, devEui, joinEui, productId, workOrderId, serial, name, macVersion, region, keys, state, origin, stationId,
                createdAt, updatedAt, null);
    }

    /** True when the unit's root keys are in its secure element only: lorafab has none to use, hand out or export. */
    public boolean keysHeldBySecureElement() {
        return secureElement != null;
    }

    /**
     * The region a device is joined in when nothing says which: an imported device without a region, and an export
     * with neither a region given nor a product to take it from. The one place this default is written.
     */
    public static final Region DEFAULT_REGION = Region.byName("EU868");

    /** The region to join the device in: its own, else {@link #DEFAULT_REGION}. */
    public Region joinRegion() {
        return region != null ? region : DEFAULT_REGION;
    }

    public Unit withId(long newId) {
        return new Unit(newId, devEui, joinEui, productId, workOrderId, serial, name, macVersion, region, keys, state, origin,
                stationId, createdAt, updatedAt, secureElement);
    }

    public Unit withState(UnitState s, String station, Instant at) {
        return new Unit(id, devEui, joinEui, productId, workOrderId, serial, name, macVersion, region, keys, s, origin,
                station == null ? stationId : station, createdAt, at, secureElement);
    }

    public Unit withKeys(WrappedKeys k, Instant at) {
        if (secureElement != null) {
            throw new IllegalStateException("unit " + devEui + ": its keys are held by its secure element");
        }
        return new Unit(id, devEui, joinEui, productId, workOrderId, serial, name, macVersion, region, k, state, origin,
                stationId, createdAt, at, null);
    }
}
