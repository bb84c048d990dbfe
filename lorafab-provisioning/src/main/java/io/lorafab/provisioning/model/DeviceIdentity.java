package io.lorafab.provisioning.model;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.store.model.SecureElement;
import io.lorafab.lorawan.types.MacVersion;

/**
 * The identity and root keys of one end device, as imported, exported and programmed. {@code nwkKey} is
 * present only for LoRaWAN 1.1 devices (for 1.0.x the AppKey is the one root key). {@code region} (the
 * regional parameters, parsed from a name such as "EU868" where the device is read in), {@code serialNumber} and
 * {@code name} are optional. A device whose root keys its secure element holds has {@code secureElement} (its
 * element id and external join server) and no keys at all.
 * {@link #toString()} does not reveal keys.
 */
public record DeviceIdentity(Eui64 devEui, Eui64 joinEui, AesKey appKey, AesKey nwkKey, MacVersion macVersion,
        Region region, String serialNumber, String name, SecureElement secureElement) {

    public DeviceIdentity {
        if (devEui == null || joinEui == null || macVersion == null) {
            throw new LorawanFormatException("device identity: DevEUI, JoinEUI and MAC version are required");
        }
        if (secureElement != null) {
            if (appKey != null || nwkKey != null) {
                throw new LorawanFormatException("device identity " + devEui + ": its secure element holds its keys; lorafab has none");
            }
        } else if (appKey == null) {
            throw new LorawanFormatException("device identity " + devEui + ": an AppKey is required");
        } else if (macVersion.is11() && nwkKey == null) {
            throw new LorawanFormatException("device identity " + devEui + ": a LoRaWAN 1.1 device needs a NwkKey");
        }
    }

    /** A device whose root keys lorafab holds. */
    public DeviceIdentity(Eui64 devEui, Eui64 joinEui, AesKey appKey, AesKey nwkKey, MacVersion macVersion,
            Region region, String serialNumber, String name) {
        this(devEui, joinEui, appKey, nwkKey, macVersion, region, serialNumber, name, null);
    }

    /** True when the device's secure element holds its root keys: there are none here to program or export. */
    public boolean keysHeldBySecureElement() {
        return secureElement != null;
    }

    /** The key a 1.0.x device uses for its join MICs and that a 1.1 device uses as NwkKey. */
    public AesKey networkRootKey() {
        if (secureElement != null) {
            throw new IllegalStateException("device " + devEui + ": its secure element holds its keys");
        }
        return nwkKey != null ? nwkKey : appKey;
    }

    @Override
    public String toString() {
        return "DeviceIdentity[devEui=" + devEui + ", joinEui=" + joinEui + ", macVersion=" + macVersion
                + ", region=" + region + ", serial=" + serialNumber + ", name=" + name
                + (secureElement == null ? ", keys=redacted]" : ", keys=in secure element " + secureElement.elementId() + "]");
    }
}
