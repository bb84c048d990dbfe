package io.lorafab.station.client;

import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import java.util.Optional;

/**
 * What the server handed the station for one unit, with its product's pass thresholds (null: none set);
 * {@link #toString()} does not show the keys.
 */
public record ReservedUnit(Eui64 devEui, Eui64 joinEui, AesKey appKey, Optional<AesKey> nwkKey, MacVersion macVersion,
        String region, String serial, String state, boolean resumed, Double rssiMinDbm, Double snrMinDb) {

    @Override
    public String toString() {
        return "ReservedUnit[" + devEui + ", " + macVersion + ", serial=" + serial + ", state=" + state + ", resumed=" + resumed
                + ", keys=redacted]";
    }
}
