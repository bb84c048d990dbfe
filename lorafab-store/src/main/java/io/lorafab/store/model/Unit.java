package io.lorafab.store.model;

import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import java.time.Instant;

/** One physical device: identity, wrapped root keys, state, and where it came from. */
public record Unit(long id, Eui64 devEui, Eui64 joinEui, Long productId, Long workOrderId, String serial, String name,
        MacVersion macVersion, String region, WrappedKeys keys, UnitState state, UnitOrigin origin, String stationId,
        Instant createdAt, Instant updatedAt) {

    public Unit withState(UnitState s, String station, Instant at) {
        return new Unit(id, devEui, joinEui, productId, workOrderId, serial, name, macVersion, region, keys, s, origin,
                station == null ? stationId : station, createdAt, at);
    }

    public Unit withKeys(WrappedKeys k, Instant at) {
        return new Unit(id, devEui, joinEui, productId, workOrderId, serial, name, macVersion, region, k, state, origin,
                stationId, createdAt, at);
    }
}
