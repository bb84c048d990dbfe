package io.lorafab.provisioning.service;

import io.lorafab.lorawan.types.AesKey;
import io.lorafab.store.model.Product;
import io.lorafab.store.model.Unit;

/**
 * What a station receives for one unit: the committed unit record and its root keys in the clear (to be
 * written into the device). {@code resumed} is true when an existing reservation was handed out again (the
 * same label scanned after a station crash). A unit whose secure element holds its keys comes with none (both null):
 * the station programs nothing. {@link #toString()} does not reveal the keys.
 *
 * <p>{@code product} and {@code orderReference} are the unit's product and work order as the reservation read them,
 * when it did (a new unit), so that the answer to the station is written without reading them again; null where the
 * reservation did not read them.
 */
public record Reservation(Unit unit, AesKey appKey, AesKey nwkKey, boolean resumed, Product product, String orderReference) {

    public Reservation(Unit unit, AesKey appKey, AesKey nwkKey, boolean resumed) {
        this(unit, appKey, nwkKey, resumed, null, null);
    }

    @Override
    public String toString() {
        return "Reservation[" + unit.devEui() + ", resumed=" + resumed + ", keys=redacted]";
    }
}
