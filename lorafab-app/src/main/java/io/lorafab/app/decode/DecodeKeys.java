package io.lorafab.app.decode;

import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.DevNonce;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;

/**
 * What the user knows about a frame besides its bytes: root or session keys and the join context. Every
 * field may be null.
 *
 * @param fCnt32 the full 32-bit frame counter of a data frame, when it has passed 65535
 * @param joinReqType 0xFF for a join-request, 0..2 when a join-accept answers a rejoin-request
 */
public record DecodeKeys(AesKey appKey, AesKey nwkKey, DevNonce devNonce, Eui64 joinEui, Eui64 devEui,
        MacVersion macVersion, AesKey nwkSKey, AesKey appSKey, AesKey fNwkSIntKey, AesKey sNwkSIntKey,
        AesKey nwkSEncKey, Long fCnt32, Integer confFCnt, Integer txDr, Integer txCh, Integer joinReqType) {

    public static final DecodeKeys NONE = new DecodeKeys(null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null);

    @Override
    public String toString() {
        return "DecodeKeys[redacted]";
    }
}
