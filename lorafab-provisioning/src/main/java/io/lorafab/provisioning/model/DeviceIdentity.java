package io.lorafab.provisioning.model;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;

/**
 * The identity and root keys of one end device, as imported, exported and programmed. {@code nwkKey} is
 * present only for LoRaWAN 1.1 devices (for 1.0.x the AppKey is the one root key). {@code region} (the
 * regional parameters, parsed from a name such as "EU868" where the device is read in), {@code serialNumber} and
 * {@code name} are optional.
 * {@link #toString()} does not reveal keys.
 */
public record DeviceIdentity(Eui64 devEui, Eui64 joinEui, AesKey appKey, AesKey nwkKey, MacVersion macVersion,
        Region region, String serialNumber, String name) {

    public DeviceIdentity {
        if (devEui == null || joinEui == null || appKey == null || macVersion == null) {
            throw new LorawanFormatException("device identity: DevEUI, JoinEUI, AppKey and MAC version are required");
        }
        if (macVersion.is11() && nwkKey == null) {
            throw new LorawanFormatException("device identity " + devEui + ": a LoRaWAN 1.1 device needs a NwkKey");
        }
    }

    /** The key a 1.0.x device uses for its join MICs and that a 1.1 device uses as NwkKey. */
    public AesKey networkRootKey() {
        return nwkKey != null ? nwkKey : appKey;
    }

    @Override
    public String toString() {
        return "DeviceIdentity[devEui=" + devEui + ", joinEui=" + joinEui + ", macVersion=" + macVersion
                + ", region=" + region + ", serial=" + serialNumber + ", name=" + name + ", keys=redacted]";
    }
}
