package io.lorafab.lorawan.frame;

import io.lorafab.lorawan.LorawanFormatException;

/**
 * The MAC header: MType (bits 7..5), RFU (bits 4..2), Major (bits 1..0). Only Major 0 (LoRaWAN R1) is
 * defined; RFU bits are carried through unchanged.
 */
public record MHdr(MType mType, int rfu, int major) {

    public MHdr {
        if (rfu < 0 || rfu > 7) {
            throw new LorawanFormatException("MHDR: RFU bits out of range: " + rfu);
        }
        if (major != 0) {
            throw new LorawanFormatException("MHDR: Major " + major + " is not LoRaWAN R1 (0)");
        }
    }

    public static MHdr of(MType mType) {
        return new MHdr(mType, 0, 0);
    }

    public static MHdr decode(int b) {
        return new MHdr(MType.ofCode((b >> 5) & 0x07), (b >> 2) & 0x07, b & 0x03);
    }

    public byte encode() {
        return (byte) ((mType.code() << 5) | (rfu << 2) | major);
    }
}
