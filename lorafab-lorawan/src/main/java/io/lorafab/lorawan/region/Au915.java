package io.lorafab.lorawan.region;

import static io.lorafab.lorawan.region.DataRate.lora;
import static io.lorafab.lorawan.region.DataRate.lrFhss;

import io.lorafab.lorawan.frame.CfList;
import java.util.List;
import java.util.Optional;

/**
 * AU915-928 (RP002-1.0.3/1.0.4, whose uplink data rates are DR0..DR5 = SF12..SF7 at 125 kHz and DR6 = SF8 at
 * 500 kHz; some older Regional Parameters revisions used a US915-like table instead). Fixed channels: uplink 0..63 at
 * 915.2 MHz + n × 200 kHz (125 kHz), 64..71 at 915.9 MHz + n × 1.6 MHz (500 kHz, DR6, and LR-FHSS DR7);
 * downlink 0..7 at 923.3 MHz + n × 600 kHz (DR8..DR13), RX1 on downlink channel (uplink channel mod 8) with the
 * RX1DROffset table below (offsets 0..5); RX2 923.3 MHz DR8.
 *
 * <p>Uplink dwell time (400 ms, on by default at boot in RP002) limits which uplink data rates a device uses
 * but not the RX1 mapping. Default CFList: a CFListType 1 mask enabling sub-band 2 (channels 8..15 and 65), as
 * The Things Network's AU915 plan. Downlink power 27 dBm, as ChirpStack uses.
 */
public final class Au915 extends Region {

    private static final DataRate[] DATA_RATES = {
        lora(0, 12, 125_000, 250),
        lora(1, 11, 125_000, 440),
        lora(2, 10, 125_000, 980),
        lora(3, 9, 125_000, 1760),
        lora(4, 8, 125_000, 3125),
        lora(5, 7, 125_000, 5470),
        lora(6, 8, 500_000, 12_500),
        lrFhss(7, 1_523_000, 162),  // CR 1/3, 1.523 MHz OCW
        lora(8, 12, 500_000, 980),
        lora(9, 11, 500_000, 1760),
        lora(10, 10, 500_000, 3900),
        lora(11, 9, 500_000, 7000),
        lora(12, 8, 500_000, 12_500),
        lora(13, 7, 500_000, 21_900),
    };

    /** RX1 DR by [uplink DR][RX1DROffset 0..5]. */
    private static final int[][] RX1_DATA_RATES = {
        {8, 8, 8, 8, 8, 8},       // DR0
        {9, 8, 8, 8, 8, 8},       // DR1
        {10, 9, 8, 8, 8, 8},      // DR2
        {11, 10, 9, 8, 8, 8},     // DR3
        {12, 11, 10, 9, 8, 8},    // DR4
        {13, 12, 11, 10, 9, 8},   // DR5
        {13, 13, 12, 11, 10, 9},  // DR6
        {9, 8, 8, 8, 8, 8},       // DR7
    };

    private static final FixedChannelPlan CHANNELS = new FixedChannelPlan("AU915",
            915_200_000L, 200_000L, 64,
            915_900_000L, 1_600_000L, 8,
            923_300_000L, 600_000L, 8);

    private static final CfList DEFAULT_CF_LIST = CHANNELS.subBand(2);

    public static final Au915 INSTANCE = new Au915();

    private Au915() {
    }

    @Override
    public String name() {
        return "AU915";
    }

    /** The uplink channel number (0..71) of an uplink frequency. */
    public int uplinkChannel(long frequencyHz) {
        return CHANNELS.uplinkChannel(frequencyHz);
    }

    /** The frequency of uplink channel 0..71. */
    public long uplinkChannelFrequencyHz(int channel) {
        return CHANNELS.uplinkFrequencyHz(channel);
    }

    @Override
    public long rx1FrequencyHz(long uplinkFrequencyHz) {
        return CHANNELS.rx1FrequencyHz(uplinkFrequencyHz);
    }

    @Override
    public long rx2FrequencyHz() {
        return 923_300_000L;
    }

    @Override
    public int rx2DataRate() {
        return 8;
    }

    @Override
    public Optional<CfList> defaultCfList() {
        return Optional.of(DEFAULT_CF_LIST);
    }

    /** Sub-band 1..8: channels 8(n-1)..8n-1 and 500 kHz channel 63+n. */
    @Override
    public CfList cfListForSubBand(int subBand) {
        return CHANNELS.subBand(subBand);
    }

    @Override
    public boolean isWideUplinkChannel(long frequencyHz) {
        return CHANNELS.isWideUplinkChannel(frequencyHz);
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
        return 30;
    }

    @Override
    public int downlinkTxPowerDbm() {
        return 27;
    }

    @Override
    DataRate[] dataRateTable() {
        return DATA_RATES;
    }

    @Override
    int maxUplinkDataRate() {
        return 7;
    }

    @Override
    int[][] rx1DataRateTable() {
        return RX1_DATA_RATES;
    }

    @Override
    List<String> aliases() {
        return List.of("AU915928");
    }
}
