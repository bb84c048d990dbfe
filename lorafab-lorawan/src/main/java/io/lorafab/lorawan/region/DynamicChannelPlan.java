package io.lorafab.lorawan.region;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.frame.CfList;
import java.util.Arrays;

/**
 * The channel facts of a dynamic-channel region (EU868, AS923, IN865, KR920): a band, a few default
 * channels every end-device knows, and up to five more announced in a CFListType 0. RX1 uses the uplink
 * frequency.
 */
final class DynamicChannelPlan {

    private final String region;
    private final long minHz;
    private final long maxHz;
    private final long[] defaultChannelsHz;

    DynamicChannelPlan(String region, long minHz, long maxHz, long... defaultChannelsHz) {
        this.region = region;
        this.minHz = minHz;
        this.maxHz = maxHz;
        this.defaultChannelsHz = defaultChannelsHz.clone();
        for (long f : defaultChannelsHz) {
            requireInBand(f, "default channel");
        }
    }

    long requireInBand(long frequencyHz, String what) {
        if (frequencyHz < minHz || frequencyHz > maxHz) {
            throw new LorawanFormatException(region + ": " + what + " " + frequencyHz + " Hz is outside the band "
                    + minHz + ".." + maxHz + " Hz");
        }
        return frequencyHz;
    }

    long[] defaultChannelsHz() {
        return defaultChannelsHz.clone();
    }

    long[] uplinkChannelsHz(CfList cfList) {
        if (!(cfList instanceof CfList.ChannelFrequencies freqs)) {
            throw new LorawanFormatException(region + ": expected a CFListType 0 (channel frequencies), got type "
                    + cfList.type());
        }
        long[] out = Arrays.copyOf(defaultChannelsHz, defaultChannelsHz.length + freqs.frequenciesHz().size());
        int n = defaultChannelsHz.length;
        for (long f : freqs.frequenciesHz()) {
            if (f != 0) {
                out[n++] = requireInBand(f, "CFList frequency");
            }
        }
        return Arrays.copyOf(out, n);
    }

    /** A CFListType 0 with these extra channels, checked against the band. */
    CfList cfList(long... extraChannelsHz) {
        for (long f : extraChannelsHz) {
            requireInBand(f, "CFList frequency");
        }
        return new CfList.ChannelFrequencies(Arrays.stream(extraChannelsHz).boxed().toList());
    }
}
