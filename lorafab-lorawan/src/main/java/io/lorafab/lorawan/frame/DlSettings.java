package io.lorafab.lorawan.frame;

import io.lorafab.lorawan.LorawanFormatException;

/**
 * The join-accept DLSettings byte: OptNeg (bit 7; RFU before 1.1), RX1DROffset (bits 6..4), RX2DataRate
 * (bits 3..0).
 */
public record DlSettings(boolean optNeg, int rx1DrOffset, int rx2DataRate) {

    public DlSettings {
        if (rx1DrOffset < 0 || rx1DrOffset > 7) {
            throw new LorawanFormatException("DLSettings: RX1DROffset out of range 0..7: " + rx1DrOffset);
        }
        if (rx2DataRate < 0 || rx2DataRate > 15) {
            throw new LorawanFormatException("DLSettings: RX2DataRate out of range 0..15: " + rx2DataRate);
        }
    }

    public static DlSettings decode(int b) {
        return new DlSettings((b & 0x80) != 0, (b >> 4) & 0x07, b & 0x0f);
    }

    public int encode() {
        return (optNeg ? 0x80 : 0) | (rx1DrOffset << 4) | rx2DataRate;
    }
}
