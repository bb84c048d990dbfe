package io.lorafab.lorawan.frame;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.types.Bytes;
import io.lorafab.lorawan.types.Hex;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The optional 16-byte CFList at the end of a join-accept. Its last byte is the CFListType: 0 carries up to
 * five extra channel frequencies (dynamic-channel regions such as EU868), 1 carries channel masks
 * (fixed-channel regions such as US915).
 */
public sealed interface CfList permits CfList.ChannelFrequencies, CfList.ChannelMask {

    int SIZE = 16;

    byte[] encode();

    int type();

    static CfList decode(byte[] b, int off) {
        if (b.length - off < SIZE) {
            throw new LorawanFormatException("CFList: expected 16 bytes, got " + (b.length - off));
        }
        int type = b[off + 15] & 0xff;
        switch (type) {
            case 0: {
                List<Long> freqs = new ArrayList<>(5);
                for (int i = 0; i < 5; i++) {
                    freqs.add(Bytes.readLe(b, off + 3 * i, 3) * 100L);
                }
                return new ChannelFrequencies(freqs);
            }
            case 1: {
                int[] masks = new int[ChannelMask.MASKS];
                for (int i = 0; i < masks.length; i++) {
                    masks[i] = (int) Bytes.readLe(b, off + 2 * i, 2);
                }
                for (int i = 10; i < 15; i++) {
                    if (b[off + i] != 0) {
                        throw new LorawanFormatException("CFList type 1: RFU bytes 10..14 must be zero");
                    }
                }
                return new ChannelMask(masks);
            }
            default:
                throw new LorawanFormatException("CFList: unknown CFListType " + type + " (expected 0 or 1)");
        }
    }

    /**
     * CFListType 0: five frequencies in Hz (0 = channel unused). Each is sent as a 24-bit count of 100 Hz,
     * so it must be a multiple of 100 Hz below 1.6777216 GHz.
     */
    record ChannelFrequencies(List<Long> frequenciesHz) implements CfList {
        public ChannelFrequencies {
            if (frequenciesHz.size() > 5) {
                throw new LorawanFormatException("CFList type 0: at most 5 frequencies, got " + frequenciesHz.size());
            }
            List<Long> padded = new ArrayList<>(frequenciesHz);
            while (padded.size() < 5) {
                padded.add(0L);
            }
            for (long f : padded) {
                if (f < 0 || f % 100 != 0 || f / 100 > 0xffffff) {
                    throw new LorawanFormatException("CFList type 0: frequency " + f
                            + " Hz is not a multiple of 100 Hz in 24 bits");
                }
            }
            frequenciesHz = Collections.unmodifiableList(padded);
        }

        @Override
        public int type() {
            return 0;
        }

        @Override
        public byte[] encode() {
            byte[] out = new byte[SIZE];
            for (int i = 0; i < 5; i++) {
                Bytes.writeLe(frequenciesHz.get(i) / 100, out, 3 * i, 3);
            }
            out[15] = 0;
            return out;
        }
    }

    /**
     * CFListType 1: ChMask0..ChMask4, 16 channels each (80 channels: US915/AU915 use 0..71, CN470 0..79 of a
     * plan); bit {@code n % 16} of mask {@code n / 16} enables channel n.
     */
    record ChannelMask(int[] masks) implements CfList {
        public static final int MASKS = 5;

        public ChannelMask {
            if (masks.length != MASKS) {
                throw new LorawanFormatException("CFList type 1: expected 5 channel masks, got " + masks.length);
            }
            for (int m : masks) {
                if (m < 0 || m > 0xffff) {
                    throw new LorawanFormatException("CFList type 1: channel mask out of 16 bits: " + m);
                }
            }
            masks = masks.clone();
        }

        /** A mask enabling exactly the given channel numbers (0..79). */
        public static ChannelMask ofChannels(Iterable<Integer> channels) {
            int[] m = new int[MASKS];
            for (int ch : channels) {
                if (ch < 0 || ch >= 16 * MASKS) {
                    throw new LorawanFormatException("CFList type 1: channel " + ch + " outside 0..79");
                }
                m[ch / 16] |= 1 << (ch % 16);
            }
            return new ChannelMask(m);
        }

        public boolean enabled(int channel) {
            return channel >= 0 && channel < 16 * MASKS && (masks[channel / 16] & (1 << (channel % 16))) != 0;
        }

        @Override
        public int[] masks() {
            return masks.clone();
        }

        @Override
        public int type() {
            return 1;
        }

        @Override
        public byte[] encode() {
            byte[] out = new byte[SIZE];
            for (int i = 0; i < MASKS; i++) {
                Bytes.writeLe(masks[i], out, 2 * i, 2);
            }
            out[15] = 1;
            return out;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ChannelMask c && java.util.Arrays.equals(masks, c.masks);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(masks);
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("ChannelMask[");
            for (int i = 0; i < MASKS; i++) {
                sb.append(i == 0 ? "" : ",").append(Hex.format(new byte[] {(byte) (masks[i] >> 8), (byte) masks[i]}));
            }
            return sb.append(']').toString();
        }
    }
}
