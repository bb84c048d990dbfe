package io.lorafab.lorawan.region;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.frame.CfList;
import java.util.ArrayList;
import java.util.List;

/**
 * The channel grid of a fixed-channel region (US915, AU915, CN470): numbered uplink channels at fixed
 * frequencies (narrow 125 kHz channels first, then any wide 500 kHz ones), and downlink channels where RX1
 * answers uplink channel n on downlink channel n mod (number of downlink channels).
 */
final class FixedChannelPlan {

    /** A CFListType 1 carries ChMask0..ChMask4: channels 0..79. */
    private static final int CFLIST_CHANNELS = 16 * CfList.ChannelMask.MASKS;
    private static final int SUB_BAND_SIZE = 8;

    private final String region;
    private final long narrowFirstHz;
    private final long narrowStepHz;
    private final int narrowCount;
    private final long wideFirstHz;
    private final long wideStepHz;
    private final int wideCount;
    private final long downFirstHz;
    private final long downStepHz;
    private final int downCount;

    FixedChannelPlan(String region, long narrowFirstHz, long narrowStepHz, int narrowCount, long wideFirstHz,
            long wideStepHz, int wideCount, long downFirstHz, long downStepHz, int downCount) {
        this.region = region;
        this.narrowFirstHz = narrowFirstHz;
        this.narrowStepHz = narrowStepHz;
        this.narrowCount = narrowCount;
        this.wideFirstHz = wideFirstHz;
        this.wideStepHz = wideStepHz;
        this.wideCount = wideCount;
        this.downFirstHz = downFirstHz;
        this.downStepHz = downStepHz;
        this.downCount = downCount;
    }

    int channelCount() {
        return narrowCount + wideCount;
    }

    long uplinkFrequencyHz(int channel) {
        if (channel < 0 || channel >= channelCount()) {
            throw new LorawanFormatException(region + ": uplink channel " + channel + " out of range 0.."
                    + (channelCount() - 1));
        }
        return channel < narrowCount
                ? narrowFirstHz + narrowStepHz * channel
                : wideFirstHz + wideStepHz * (channel - narrowCount);
    }

    int uplinkChannel(long frequencyHz) {
        int n = gridIndex(frequencyHz, narrowFirstHz, narrowStepHz, narrowCount);
        if (n >= 0) {
            return n;
        }
        int w = gridIndex(frequencyHz, wideFirstHz, wideStepHz, wideCount);
        if (w >= 0) {
            return narrowCount + w;
        }
        throw new LorawanFormatException(region + ": " + frequencyHz + " Hz is not an uplink channel (" + describe()
                + ")");
    }

    /** Whether {@code frequencyHz} is one of the wide (500 kHz) uplink channels. */
    boolean isWideUplinkChannel(long frequencyHz) {
        return uplinkChannel(frequencyHz) >= narrowCount;
    }

    long downlinkFrequencyHz(int downlinkChannel) {
        return downFirstHz + downStepHz * downlinkChannel;
    }

    long rx1FrequencyHz(long uplinkFrequencyHz) {
        return downlinkFrequencyHz(uplinkChannel(uplinkFrequencyHz) % downCount);
    }

    long[] uplinkChannelsHz() {
        long[] out = new long[channelCount()];
        for (int ch = 0; ch < out.length; ch++) {
            out[ch] = uplinkFrequencyHz(ch);
        }
        return out;
    }

    long[] uplinkChannelsHz(CfList cfList) {
        if (!(cfList instanceof CfList.ChannelMask mask)) {
            throw new LorawanFormatException(region + ": expected a CFListType 1 (channel mask), got type "
                    + cfList.type());
        }
        List<Long> out = new ArrayList<>();
        for (int ch = 0; ch < CFLIST_CHANNELS; ch++) {
            if (mask.enabled(ch)) {
                if (ch >= channelCount()) {
                    throw new LorawanFormatException(region + ": CFList enables channel " + ch + ", but the region has"
                            + " channels 0.." + (channelCount() - 1));
                }
                out.add(uplinkFrequencyHz(ch));
            }
        }
        return out.stream().mapToLong(Long::longValue).toArray();
    }

    /** Sub-bands that a CFListType 1 can express: groups of eight narrow channels within channels 0..79. */
    int subBandCount() {
        return Math.min(narrowCount, CFLIST_CHANNELS) / SUB_BAND_SIZE;
    }

    /** Channels 8(n-1)..8n-1, plus wide channel n-1 if the region has wide channels. */
    CfList.ChannelMask subBand(int subBand) {
        if (subBand < 1 || subBand > subBandCount()) {
            throw new LorawanFormatException(region + ": sub-band " + subBand + " out of range 1.." + subBandCount()
                    + (narrowCount > CFLIST_CHANNELS ? " (a CFList can only enable channels 0..79)" : ""));
        }
        List<Integer> channels = new ArrayList<>();
        for (int i = 0; i < SUB_BAND_SIZE; i++) {
            channels.add((subBand - 1) * SUB_BAND_SIZE + i);
        }
        if (wideCount >= subBand) {
            channels.add(narrowCount + subBand - 1);
        }
        return CfList.ChannelMask.ofChannels(channels);
    }

    private String describe() {
        String s = narrowCount + " narrow channels 0.." + (narrowCount - 1) + " at " + narrowFirstHz + " Hz + n × "
                + narrowStepHz + " Hz";
        if (wideCount > 0) {
            s += "; " + wideCount + " wide channels " + narrowCount + ".." + (channelCount() - 1) + " at "
                    + wideFirstHz + " Hz + n × " + wideStepHz + " Hz";
        }
        return s;
    }

    private static int gridIndex(long f, long first, long step, int count) {
        if (count == 0 || f < first || (f - first) % step != 0) {
            return -1;
        }
        long n = (f - first) / step;
        return n < count ? (int) n : -1;
    }
}
