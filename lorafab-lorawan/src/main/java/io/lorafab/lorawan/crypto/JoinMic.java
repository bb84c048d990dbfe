package io.lorafab.lorawan.crypto;

import io.lorafab.lorawan.frame.JoinAccept;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Bytes;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.Mic;

/** MICs of the join procedure: join-request, rejoin-request and join-accept (LoRaWAN 1.0 and 1.1). */
public final class JoinMic {

    /** JoinReqType of a join-request, as used in the 1.1 join-accept MIC. Rejoin types are 0, 1 and 2. */
    public static final int JOIN_REQ_TYPE_JOIN = 0xff;

    private JoinMic() {
    }

    /**
     * cmac(key, MHDR | JoinEUI | DevEUI | DevNonce)[0..3], where the key is the AppKey (1.0) or the NwkKey (1.1).
     */
    public static Mic joinRequestMic(AesKey key, byte[] micPayload) {
        return Mic.ofCmac(AesCmac.mac(key, micPayload));
    }

    /** cmac(SNwkSIntKey for types 0 and 2, JSIntKey for type 1, MHDR .. RJcount)[0..3]. */
    public static Mic rejoinRequestMic(AesKey key, byte[] micPayload) {
        return Mic.ofCmac(AesCmac.mac(key, micPayload));
    }

    /** LoRaWAN 1.0 (and 1.1 without OptNeg): cmac(AppKey or NwkKey, MHDR | JoinNonce | NetID | DevAddr | DLSettings | RxDelay | CFList)[0..3]. */
    public static Mic joinAcceptMic10(AesKey key, byte[] micPayload) {
        return Mic.ofCmac(AesCmac.mac(key, micPayload));
    }

    /**
     * LoRaWAN 1.1 with OptNeg: cmac(JSIntKey, JoinReqType | JoinEUI | DevNonce | MHDR | JoinNonce | NetID |
     * DevAddr | DLSettings | RxDelay | CFList)[0..3]. For an answer to a rejoin-request, JoinReqType is the
     * rejoin type and DevNonce is replaced by its RJcount.
     */
    public static Mic joinAcceptMic11(AesKey jsIntKey, int joinReqType, Eui64 joinEui, int devNonceOrRjCount, byte[] micPayload) {
        byte[] msg = new byte[11 + micPayload.length];
        msg[0] = (byte) joinReqType;
        joinEui.writeLe(msg, 1);
        Bytes.writeLe(devNonceOrRjCount, msg, 9, 2);
        System.arraycopy(micPayload, 0, msg, 11, micPayload.length);
        return Mic.ofCmac(AesCmac.mac(jsIntKey, msg));
    }

    /**
     * The MIC a device of {@code version} expects on {@code accept}. The layout follows the device's MAC
     * version, not the OptNeg bit alone: only a 1.1 device reads OptNeg, and then checks the 1.1 MIC with
     * the JSIntKey derived from its NwkKey; any 1.0.x device checks the 1.0 MIC with its root key even if
     * bit 7 of DLSettings happens to be set.
     *
     * @param rootKey the AppKey of a 1.0.x device, the NwkKey of a 1.1 device
     */
    public static Mic joinAcceptMic(MacVersion version, AesKey rootKey, Eui64 devEui, Eui64 joinEui,
            int joinReqType, int devNonceOrRjCount, JoinAccept accept) {
        if (version.is11() && accept.dlSettings().optNeg()) {
            AesKey jsIntKey = KeyDerivation.deriveJSIntKey(rootKey, devEui);
            return joinAcceptMic11(jsIntKey, joinReqType, joinEui, devNonceOrRjCount, accept.micPayload());
        }
        return joinAcceptMic10(rootKey, accept.micPayload());
    }
}
