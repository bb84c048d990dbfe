package io.lorafab.provisioning.service;

import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.MacVersion;

/**
 * A device to add with keys made elsewhere, as a user describes it: {@code macVersion} and {@code region} may be
 * left out (null), and then are its product's, or 1.0.3 and EU868 without a product ({@link Provisioning#addDevice}).
 * {@link #toString()} does not reveal the keys.
 */
public record NewDevice(Eui64 devEui, Eui64 joinEui, AesKey appKey, AesKey nwkKey, MacVersion macVersion, Region region,
        String serial, String name) {

    @Override
    public String toString() {
        return "NewDevice[" + devEui + ", keys=redacted]";
    }
}
