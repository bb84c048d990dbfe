package io.lorafab.joinserver;

import io.lorafab.lorawan.crypto.SessionKeys;
import io.lorafab.lorawan.frame.JoinAccept;
import io.lorafab.lorawan.frame.JoinRequest;
import io.lorafab.lorawan.region.Region;
import io.lorafab.store.join.Session;
import io.lorafab.store.model.Unit;

/**
 * An accepted join: the request, the device, its region, the plaintext join-accept and its encrypted
 * PHYPayload, the stored session and its keys in the clear (for a Backend Interfaces answer, which wraps them
 * for the network server; never logged).
 */
public record JoinResult(JoinRequest request, Unit unit, Region region, JoinAccept accept, byte[] phyPayload,
        Session session, SessionKeys keys) {

    @Override
    public String toString() {
        return "JoinResult[" + unit.devEui() + ", devAddr=" + session.devAddr() + ", keys=redacted]";
    }
}
