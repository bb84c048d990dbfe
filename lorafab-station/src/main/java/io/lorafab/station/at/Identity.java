package io.lorafab.station.at;

import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import java.util.Objects;
import java.util.Optional;

/** The OTAA identity to program. {@code nwkKey} is only for LoRaWAN 1.1 capable dialects. */
public record Identity(Eui64 devEui, Eui64 joinEui, AesKey appKey, Optional<AesKey> nwkKey) {
    public Identity {
        Objects.requireNonNull(devEui, "devEui");
        Objects.requireNonNull(joinEui, "joinEui");
        Objects.requireNonNull(appKey, "appKey");
        Objects.requireNonNull(nwkKey, "nwkKey");
    }
}
