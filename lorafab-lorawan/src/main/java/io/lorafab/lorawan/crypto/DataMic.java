package io.lorafab.lorawan.crypto;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Bytes;
import io.lorafab.lorawan.types.DevAddr;
import io.lorafab.lorawan.types.Mic;

/**
 * Data-frame MICs over B0 (and in 1.1 B1) blocks followed by MHDR | FHDR | FPort | FRMPayload. Frame
 * counters are the full 32-bit values.
 */
public final class DataMic {
    private DataMic() {
    }

    /** 1.0: cmac(NwkSKey, B0 | msg)[0..3], with Dir 0 (uplink) or 1 (downlink). */
    public static Mic dataMic10(AesKey nwkSKey, boolean uplink, DevAddr devAddr, long fCnt32, byte[] msg) {
        return Mic.ofCmac(cmacWithBlock(nwkSKey, block(0, 0, 0, uplink, devAddr, fCnt32, msg.length), msg));
    }

    /**
     * 1.1 uplink: cmacS[0..1] | cmacF[0..1], where cmacF = cmac(FNwkSIntKey, B0 | msg) and cmacS =
     * cmac(SNwkSIntKey, B1 | msg); B1 carries ConfFCnt (0 unless the frame has ACK set), TxDr and TxCh.
     */
    public static Mic uplinkMic11(AesKey fNwkSIntKey, AesKey sNwkSIntKey, int confFCnt, int txDr, int txCh,
            DevAddr devAddr, long fCnt32, byte[] msg) {
        byte[] f = cmacWithBlock(fNwkSIntKey, block(0, 0, 0, true, devAddr, fCnt32, msg.length), msg);
        byte[] s = cmacWithBlock(sNwkSIntKey, block(confFCnt, txDr, txCh, true, devAddr, fCnt32, msg.length), msg);
        return new Mic(((s[0] & 0xff) << 24) | ((s[1] & 0xff) << 16) | ((f[0] & 0xff) << 8) | (f[1] & 0xff));
    }

    /** 1.1 downlink: cmac(SNwkSIntKey, B0 | msg)[0..3] with ConfFCnt (0 unless ACK is set) in B0. */
    public static Mic downlinkMic11(AesKey sNwkSIntKey, int confFCnt, DevAddr devAddr, long fCnt32, byte[] msg) {
        return Mic.ofCmac(cmacWithBlock(sNwkSIntKey, block(confFCnt, 0, 0, false, devAddr, fCnt32, msg.length), msg));
    }

    /** 0x49 | ConfFCnt(2) | TxDr | TxCh | Dir | DevAddr | FCnt | 0x00 | len. */
    private static byte[] block(int confFCnt, int txDr, int txCh, boolean uplink, DevAddr devAddr, long fCnt32, int len) {
        if (len > 255) {
            throw new LorawanFormatException("data MIC: message longer than 255 bytes: " + len);
        }
        if (confFCnt < 0 || confFCnt > 0xffff || txDr < 0 || txDr > 255 || txCh < 0 || txCh > 255) {
            throw new LorawanFormatException("data MIC: ConfFCnt, TxDr or TxCh out of range");
        }
        byte[] b = new byte[16];
        b[0] = 0x49;
        Bytes.writeLe(confFCnt, b, 1, 2);
        b[3] = (byte) txDr;
        b[4] = (byte) txCh;
        b[5] = (byte) (uplink ? 0 : 1);
        devAddr.writeLe(b, 6);
        Bytes.writeLe(fCnt32, b, 10, 4);
        b[15] = (byte) len;
        return b;
    }

    private static byte[] cmacWithBlock(AesKey key, byte[] b0, byte[] msg) {
        byte[] all = new byte[16 + msg.length];
        System.arraycopy(b0, 0, all, 0, 16);
        System.arraycopy(msg, 0, all, 16, msg.length);
        return AesCmac.mac(key, all);
    }
}
