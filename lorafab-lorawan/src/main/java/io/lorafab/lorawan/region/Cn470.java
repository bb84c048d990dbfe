package io.lorafab.lorawan.region;

import static io.lorafab.lorawan.region.DataRate.lora;

import io.lorafab.lorawan.frame.CfList;
import java.util.List;
import java.util.Optional;

/**
 * CN470-510, the classic plan of Regional Parameters 1.0.x up to RP002-1.0.1 (not the 20 MHz / 26 MHz
 * channel plans RP002-1.0.2 introduced). Fixed channels: uplink 0..95 at 470.3 MHz + n × 200 kHz; downlink
 * 0..47 at 500.3 MHz + n × 200 kHz, RX1 on downlink channel (uplink channel mod 48); DR0..DR5 (SF12..SF7 at
 * 125 kHz), RX1 DR = max(0, uplink DR - RX1DROffset) with offsets 0..5; RX2 505.3 MHz DR0.
 *
 * <p>Default CFList: a CFListType 1 mask enabling channels 0..7, like ChirpStack's "cn470_0" configuration.
 * {@link #cfListForSubBand(int)} numbers groups of eight channels from 1; a five-mask CFList reaches
 * channels 0..79, so sub-bands 1..10. Devices implementing Regional Parameters 1.0.2 and older ignore a
 * CFList in this region. Max EIRP is 19.15 dBm, reported as 19; downlink power 14 dBm, as ChirpStack uses.
 */
public final class Cn470 extends Region {

    private static final DataRate[] DATA_RATES = {
        lora(0, 12, 125_000, 250),
        lora(1, 11, 125_000, 440),
        lora(2, 10, 125_000, 980),
        lora(3, 9, 125_000, 1760),
        lora(4, 8, 125_000, 3125),
        lora(5, 7, 125_000, 5470),
    };

    /** RX1 DR by [uplink DR][RX1DROffset 0..5]. */
    private static final int[][] RX1_DATA_RATES = {
        {0, 0, 0, 0, 0, 0},  // DR0
        {1, 0, 0, 0, 0, 0},  // DR1
        {2, 1, 0, 0, 0, 0},  // DR2
        {3, 2, 1, 0, 0, 0},  // DR3
        {4, 3, 2, 1, 0, 0},  // DR4
        {5, 4, 3, 2, 1, 0},  // DR5
    };

    private static final FixedChannelPlan CHANNELS = new FixedChannelPlan("CN470",
            470_300_000L, 200_000L, 96,
            0L, 1L, 0,
            500_300_000L, 200_000L, 48);

    private static final CfList DEFAULT_CF_LIST = CHANNELS.subBand(1);

    public static final Cn470 INSTANCE = new Cn470();

    private Cn470() {
    }

    @Override
    public String name() {
        return "CN470";
    }

    /** The uplink channel number (0..95) of an uplink frequency. */
    public int uplinkChannel(long frequencyHz) {
        return CHANNELS.uplinkChannel(frequencyHz);
    }

    /** The frequency of uplink channel 0..95. */
    public long uplinkChannelFrequencyHz(int channel) {
        return CHANNELS.uplinkFrequencyHz(channel);
    }

    @Override
    public long rx1FrequencyHz(long uplinkFrequencyHz) {
        return CHANNELS.rx1FrequencyHz(uplinkFrequencyHz);
    }

    @Override
    public long rx2FrequencyHz() {
        return 505_300_000L;
    }

    @Override
    public int rx2DataRate() {
        return 0;
    }

    @Override
    public Optional<CfList> defaultCfList() {
        return Optional.of(DEFAULT_CF_LIST);
    }

    /** Sub-band 1..10: channels 8(n-1)..8n-1. */
    @Override
    public CfList cfListForSubBand(int subBand) {
        return CHANNELS.subBand(subBand);
    }

    @Override
    public long[] defaultUplinkChannelsHz() {
        return CHANNELS.uplinkChannelsHz();
    }

    @Override
    public long[] uplinkChannelsHz(CfList cfList) {
        return CHANNELS.uplinkChannelsHz(cfList);
    }

    @Override
    public int maxEirpDbm() {
        return 19;
    }

    @Override
    public int downlinkTxPowerDbm() {
        return 14;
    }

    @Override
    DataRate[] dataRateTable() {
        return DATA_RATES;
    }

    @Override
    int maxUplinkDataRate() {
        return 5;
    }

    @Override
    int[][] rx1DataRateTable() {
        return RX1_DATA_RATES;
    }

    @Override
    List<String> aliases() {
        return List.of("CN470510");
    }
}
