package io.lorafab.lorawan.crypto;

import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.DevNonce;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.JoinNonce;
import io.lorafab.lorawan.types.NetId;

/** Session and join-server key derivation of LoRaWAN 1.0 and 1.1, each key one aes128_encrypt of a 16-byte block. */
public final class KeyDerivation {
    private KeyDerivation() {
    }

    /** 1.0: NwkSKey = aes128_encrypt(AppKey, 0x01 | AppNonce | NetID | DevNonce | pad16). */
    public static AesKey deriveNwkSKey10(AesKey appKey, JoinNonce joinNonce, NetId netId, DevNonce devNonce) {
        return derive10(appKey, 0x01, joinNonce, netId, devNonce);
    }

    /** 1.0: AppSKey = aes128_encrypt(AppKey, 0x02 | AppNonce | NetID | DevNonce | pad16). */
    public static AesKey deriveAppSKey10(AesKey appKey, JoinNonce joinNonce, NetId netId, DevNonce devNonce) {
        return derive10(appKey, 0x02, joinNonce, netId, devNonce);
    }

    /** 1.1: FNwkSIntKey = aes128_encrypt(NwkKey, 0x01 | JoinNonce | JoinEUI | DevNonce | pad16). */
    public static AesKey deriveFNwkSIntKey(AesKey nwkKey, JoinNonce joinNonce, Eui64 joinEui, DevNonce devNonce) {
        return derive11(nwkKey, 0x01, joinNonce, joinEui, devNonce);
    }

    /** 1.1: AppSKey = aes128_encrypt(AppKey, 0x02 | JoinNonce | JoinEUI | DevNonce | pad16). */
    public static AesKey deriveAppSKey11(AesKey appKey, JoinNonce joinNonce, Eui64 joinEui, DevNonce devNonce) {
        return derive11(appKey, 0x02, joinNonce, joinEui, devNonce);
    }

    /** 1.1: SNwkSIntKey = aes128_encrypt(NwkKey, 0x03 | JoinNonce | JoinEUI | DevNonce | pad16). */
    public static AesKey deriveSNwkSIntKey(AesKey nwkKey, JoinNonce joinNonce, Eui64 joinEui, DevNonce devNonce) {
        return derive11(nwkKey, 0x03, joinNonce, joinEui, devNonce);
    }

    /** 1.1: NwkSEncKey = aes128_encrypt(NwkKey, 0x04 | JoinNonce | JoinEUI | DevNonce | pad16). */
    public static AesKey deriveNwkSEncKey(AesKey nwkKey, JoinNonce joinNonce, Eui64 joinEui, DevNonce devNonce) {
        return derive11(nwkKey, 0x04, joinNonce, joinEui, devNonce);
    }

    /** 1.1: JSIntKey = aes128_encrypt(NwkKey, 0x06 | DevEUI | pad16). */
    public static AesKey deriveJSIntKey(AesKey nwkKey, Eui64 devEui) {
        return deriveJs(nwkKey, 0x06, devEui);
    }

    /** 1.1: JSEncKey = aes128_encrypt(NwkKey, 0x05 | DevEUI | pad16). */
    public static AesKey deriveJSEncKey(AesKey nwkKey, Eui64 devEui) {
        return deriveJs(nwkKey, 0x05, devEui);
    }

    private static AesKey derive10(AesKey key, int type, JoinNonce joinNonce, NetId netId, DevNonce devNonce) {
        byte[] b = new byte[16];
        b[0] = (byte) type;
        joinNonce.writeLe(b, 1);
        netId.writeLe(b, 4);
        devNonce.writeLe(b, 7);
        return AesKey.of(Aes128.encrypt(key, b));
    }

    private static AesKey derive11(AesKey key, int type, JoinNonce joinNonce, Eui64 joinEui, DevNonce devNonce) {
        byte[] b = new byte[16];
        b[0] = (byte) type;
        joinNonce.writeLe(b, 1);
        joinEui.writeLe(b, 4);
        devNonce.writeLe(b, 12);
        return AesKey.of(Aes128.encrypt(key, b));
    }

    private static AesKey deriveJs(AesKey nwkKey, int type, Eui64 devEui) {
        byte[] b = new byte[16];
        b[0] = (byte) type;
        devEui.writeLe(b, 1);
        return AesKey.of(Aes128.encrypt(nwkKey, b));
    }
}
