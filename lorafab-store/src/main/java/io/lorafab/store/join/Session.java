package io.lorafab.store.join;

import io.lorafab.lorawan.types.DevAddr;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.NetId;
import java.time.Instant;

/**
 * A device session created by a join: its DevAddr, the nonces it came from, and its four session keys
 * wrapped under the vault KEK {@code kekLabel} (in a LoRaWAN 1.0 session the three network keys are the one
 * NwkSKey). {@code lastFCntUp} is the highest uplink frame counter verified, null before the first.
 * {@code netId} is the network the session was issued to and {@code asId} the application server authorised
 * for it (null when none was configured).
 */
public record Session(long id, String sessionKeyId, Eui64 devEui, DevAddr devAddr, NetId netId, MacVersion macVersion,
        boolean lorawan11, int joinNonce, int devNonce, String kekLabel, byte[] fNwkSIntKey, byte[] sNwkSIntKey,
        byte[] nwkSEncKey, byte[] appSKey, Long lastFCntUp, Instant createdAt, String asId) {

    @Override
    public String toString() {
        return "Session[" + sessionKeyId + ", devEui=" + devEui + ", devAddr=" + devAddr + ", keys=wrapped]";
    }
}
