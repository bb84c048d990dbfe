package io.lorafab.lorawan.crypto;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Bytes;
import io.lorafab.lorawan.types.DevAddr;

/**
 * FRMPayload and (LoRaWAN 1.1) FOpts encryption: XOR with AES-CTR-like keystream blocks
 * A_i = 0x01 | 4 bytes | Dir | DevAddr | FCnt | 0x00 | i. Encryption and decryption are the same operation.
 */
public final class PayloadCipher {
    private PayloadCipher() {
    }

    /**
     * FRMPayload: key is the AppSKey for FPort 1..255, the NwkSKey (1.0) or NwkSEncKey (1.1) for FPort 0;
     * the four bytes after 0x01 are zero.
     */
    public static byte[] encryptFrmPayload(AesKey key, boolean uplink, DevAddr devAddr, long fCnt32, byte[] payload) {
        return xorKeystream(key, 0, uplink, devAddr, fCnt32, payload, 1);
    }

    /**
     * 1.1 FOpts with the NwkSEncKey: one block with i = 1 whose byte 4 is 0x01 for uplinks and for downlinks
     * counted by NFCntDown (no FPort or FPort 0), and 0x02 for downlinks counted by AFCntDown (FPort above
     * 0), as the LoRaWAN 1.1 errata fixed it.
     */
    public static byte[] encryptFOpts(AesKey nwkSEncKey, boolean uplink, boolean aFCntDown, DevAddr devAddr,
            long fCnt32, byte[] fOpts) {
        if (fOpts.length > 15) {
            throw new LorawanFormatException("FOpts longer than 15 bytes: " + fOpts.length);
        }
        int a4 = !uplink && aFCntDown ? 0x02 : 0x01;
        return xorKeystream(nwkSEncKey, a4, uplink, devAddr, fCnt32, fOpts, 1);
    }

    private static byte[] xorKeystream(AesKey key, int a4, boolean uplink, DevAddr devAddr, long fCnt32, byte[] data, int firstI) {
        int blocks = (data.length + 15) / 16;
        if (blocks == 0) {
            return new byte[0];
        }
        byte[] a = new byte[16 * blocks];
        for (int k = 0; k < blocks; k++) {
            int o = 16 * k;
            a[o] = 0x01;
            a[o + 4] = (byte) a4;
            a[o + 5] = (byte) (uplink ? 0 : 1);
            devAddr.writeLe(a, o + 6);
            Bytes.writeLe(fCnt32, a, o + 10, 4);
            a[o + 15] = (byte) (firstI + k);
        }
        byte[] s = Aes128.encryptBlocks(key, a);
        byte[] out = new byte[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = (byte) (data[i] ^ s[i]);
        }
        return out;
    }
}
