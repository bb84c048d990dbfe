package io.lorafab.provisioning.service;

import io.lorafab.lorawan.types.AesKey;
import io.lorafab.store.model.Unit;

/**
 * What a station receives for one unit: the committed unit record and its root keys in the clear (to be
 * written into the device). {@code resumed} is true when an existing reservation was handed out again (the
 * same label scanned after a station crash). A unit whose secure element holds its keys comes with none (both null):
 * the station programs nothing. {@link #toString()} does not reveal the keys.
 */
public record Reservation(Unit unit, AesKey appKey, AesKey nwkKey, boolean resumed) {

    @Override
    public String toString() {
        return "Reservation[" + unit.devEui() + ", resumed=" + resumed + ", keys=redacted]";
    }
}
