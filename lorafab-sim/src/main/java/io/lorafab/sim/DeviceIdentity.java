package io.lorafab.sim;

import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;

/**
 * What a device is given at manufacture. {@code nwkKey} is required for 1.1 and ignored otherwise.
 * {@link #toString()} does not show the keys.
 */
public record DeviceIdentity(Eui64 devEui, Eui64 joinEui, AesKey appKey, AesKey nwkKey, MacVersion version, Region region) {

    public DeviceIdentity {
        if (devEui == null || joinEui == null || appKey == null || version == null || region == null) {
            throw new SimException("device identity: DevEUI, JoinEUI, AppKey, version and region are required");
        }
        if (version != MacVersion.V1_0_2 && version != MacVersion.V1_0_4 && version != MacVersion.V1_1) {
            throw new SimException("device identity: simulated versions are 1.0.2, 1.0.4 and 1.1, not " + version);
        }
        if (version.is11() && nwkKey == null) {
            throw new SimException("device identity: a 1.1 device needs a NwkKey");
        }
    }

    /** The key that encrypts the join-accept and signs the join-request: NwkKey (1.1) or AppKey (1.0.x). */
    public AesKey rootKey() {
        return version.is11() ? nwkKey : appKey;
    }

    @Override
    public String toString() {
        return "DeviceIdentity[devEui=" + devEui + ", joinEui=" + joinEui + ", version=" + version + ", region="
                + region.name() + ", keys redacted]";
    }
}
