package io.lorafab.lorawan.frame;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.types.DevAddr;
import io.lorafab.lorawan.types.Hex;
import java.util.Arrays;

/**
 * The frame header: DevAddr | FCtrl | FCnt (the 16 low bits of the frame counter) | FOpts (0..15 bytes,
 * encrypted in LoRaWAN 1.1).
 */
public record FHdr(DevAddr devAddr, FCtrl fCtrl, int fCnt, byte[] fOpts) {

    public FHdr {
        if (fCnt < 0 || fCnt > 0xffff) {
            throw new LorawanFormatException("FHDR: FCnt out of 16 bits: " + fCnt);
        }
        if (fOpts.length > 15) {
            throw new LorawanFormatException("FHDR: FOpts longer than 15 bytes: " + fOpts.length);
        }
        fOpts = fOpts.clone();
    }

    @Override
    public byte[] fOpts() {
        return fOpts.clone();
    }

    public int length() {
        return 7 + fOpts.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FHdr h && devAddr.equals(h.devAddr) && fCtrl.equals(h.fCtrl) && fCnt == h.fCnt
                && Arrays.equals(fOpts, h.fOpts);
    }

    @Override
    public int hashCode() {
        return ((devAddr.hashCode() * 31 + fCtrl.hashCode()) * 31 + fCnt) * 31 + Arrays.hashCode(fOpts);
    }

    @Override
    public String toString() {
        return "FHdr[devAddr=" + devAddr + ", fCtrl=" + fCtrl + ", fCnt=" + fCnt + ", fOpts=" + Hex.format(fOpts) + "]";
    }
}
