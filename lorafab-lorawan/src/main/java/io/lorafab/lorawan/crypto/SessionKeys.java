package io.lorafab.lorawan.crypto;

import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.DevNonce;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.JoinNonce;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.NetId;

/**
 * The session keys of one join. In a LoRaWAN 1.0 session the three network keys are the one NwkSKey.
 * {@link #toString()} does not reveal them.
 */
public record SessionKeys(boolean lorawan11, AesKey fNwkSIntKey, AesKey sNwkSIntKey, AesKey nwkSEncKey, AesKey appSKey) {

    /** The 1.0 NwkSKey (the FNwkSIntKey of a 1.1 session). */
    public AesKey nwkSKey() {
        return fNwkSIntKey;
    }

    /** 1.0 derivation from one root key (the 1.0 AppKey, or a 1.1 device's NwkKey when OptNeg is not set). */
    public static SessionKeys derive10(AesKey rootKey, JoinNonce joinNonce, NetId netId, DevNonce devNonce) {
        AesKey nwk = KeyDerivation.deriveNwkSKey10(rootKey, joinNonce, netId, devNonce);
        return new SessionKeys(false, nwk, nwk, nwk, KeyDerivation.deriveAppSKey10(rootKey, joinNonce, netId, devNonce));
    }

    /** 1.1 derivation (OptNeg set). */
    public static SessionKeys derive11(AesKey nwkKey, AesKey appKey, JoinNonce joinNonce, Eui64 joinEui, DevNonce devNonce) {
        return new SessionKeys(true,
                KeyDerivation.deriveFNwkSIntKey(nwkKey, joinNonce, joinEui, devNonce),
                KeyDerivation.deriveSNwkSIntKey(nwkKey, joinNonce, joinEui, devNonce),
                KeyDerivation.deriveNwkSEncKey(nwkKey, joinNonce, joinEui, devNonce),
                KeyDerivation.deriveAppSKey11(appKey, joinNonce, joinEui, devNonce));
    }

    /**
     * The keys a device of {@code version} derives from a join-accept. A 1.1 device uses the 1.1 scheme only
     * when the accept sets OptNeg, and otherwise falls back to 1.0 with its NwkKey; a 1.0.x device uses its
     * AppKey (pass it as {@code appKey}; {@code nwkKey} may then be null).
     */
    public static SessionKeys forJoin(MacVersion version, boolean optNeg, AesKey nwkKey, AesKey appKey,
            JoinNonce joinNonce, NetId netId, Eui64 joinEui, DevNonce devNonce) {
        if (version.is11()) {
            return optNeg ? derive11(nwkKey, appKey, joinNonce, joinEui, devNonce)
                    : derive10(nwkKey, joinNonce, netId, devNonce);
        }
        return derive10(appKey, joinNonce, netId, devNonce);
    }

    @Override
    public String toString() {
        return "SessionKeys[" + (lorawan11 ? "1.1" : "1.0") + ", redacted]";
    }
}
