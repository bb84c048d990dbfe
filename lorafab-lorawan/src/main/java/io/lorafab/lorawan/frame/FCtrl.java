package io.lorafab.lorawan.frame;

import io.lorafab.lorawan.LorawanFormatException;

/**
 * The frame-control byte, without FOptsLen (which the codec takes from the FOpts length). Bit 6 is
 * ADRACKReq on uplinks and RFU on downlinks; bit 4 is ClassB on uplinks and FPending on downlinks.
 */
public record FCtrl(boolean adr, boolean adrAckReq, boolean ack, boolean classBOrFPending) {

    public static final FCtrl NONE = new FCtrl(false, false, false, false);

    public static FCtrl decode(int b) {
        return new FCtrl((b & 0x80) != 0, (b & 0x40) != 0, (b & 0x20) != 0, (b & 0x10) != 0);
    }

    public int encode(int fOptsLen) {
        if (fOptsLen < 0 || fOptsLen > 15) {
            throw new LorawanFormatException("FCtrl: FOptsLen out of range 0..15: " + fOptsLen);
        }
        return (adr ? 0x80 : 0) | (adrAckReq ? 0x40 : 0) | (ack ? 0x20 : 0) | (classBOrFPending ? 0x10 : 0) | fOptsLen;
    }
}
