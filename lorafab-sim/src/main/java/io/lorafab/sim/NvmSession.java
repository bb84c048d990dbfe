package io.lorafab.sim;

import io.lorafab.lorawan.crypto.SessionKeys;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.DevAddr;

/** The session a device keeps after a join, keys as hex. {@link #toString()} does not show the keys. */
public record NvmSession(String devAddr, boolean lorawan11, String fNwkSIntKey, String sNwkSIntKey, String nwkSEncKey,
        String appSKey, int rxDelaySeconds, int devNonce) {

    public static NvmSession of(DevAddr addr, SessionKeys k, int rxDelaySeconds, int devNonce) {
        return new NvmSession(addr.toString(), k.lorawan11(), k.fNwkSIntKey().toHex(), k.sNwkSIntKey().toHex(),
                k.nwkSEncKey().toHex(), k.appSKey().toHex(), rxDelaySeconds, devNonce);
    }

    public DevAddr address() {
        return DevAddr.parse(devAddr);
    }

    public SessionKeys keys() {
        return new SessionKeys(lorawan11, AesKey.parse(fNwkSIntKey), AesKey.parse(sNwkSIntKey), AesKey.parse(nwkSEncKey),
                AesKey.parse(appSKey));
    }

    @Override
    public String toString() {
        return "NvmSession[devAddr=" + devAddr + ", " + (lorawan11 ? "1.1" : "1.0") + ", keys redacted]";
    }
}
