package io.lorafab.lorawan.region;

import static io.lorafab.lorawan.region.DataRate.lora;
import static io.lorafab.lorawan.region.DataRate.lrFhss;

import io.lorafab.lorawan.frame.CfList;
import java.util.List;
import java.util.Optional;

/**
 * US902-928 (RP002-1.0.3/1.0.4). Fixed channels: uplink 0..63 at 902.3 MHz + n × 200 kHz (125 kHz, DR0..DR3),
 * 64..71 at 903.0 MHz + n × 1.6 MHz (500 kHz, DR4, and the LR-FHSS DR5/DR6); downlink 0..7 at
 * 923.3 MHz + n × 600 kHz (DR8..DR13), RX1 on downlink channel (uplink channel mod 8) with the RX1DROffset
 * table below (offsets 0..3); RX2 923.3 MHz DR8.
 *
 * <p>Default CFList: a CFListType 1 mask enabling sub-band 2 (channels 8..15 and 65), what The Things Network
 * and most public US915 gateways use. Devices before Regional Parameters 1.0.3 ignore CFLists here and
 * need LinkADRReq instead. Downlink power 20 dBm, as ChirpStack uses.
 */
public final class Us915 extends Region {

    private static final DataRate[] DATA_RATES = {
        lora(0, 10, 125_000, 980),
        lora(1, 9, 125_000, 1760),
        lora(2, 8, 125_000, 3125),
        lora(3, 7, 125_000, 5470),
        lora(4, 8, 500_000, 12_500),
        lrFhss(5, 1_523_000, 162),  // CR 1/3, 1.523 MHz OCW
        lrFhss(6, 1_523_000, 325),  // CR 2/3, 1.523 MHz OCW
        null,                       // DR7 RFU
        lora(8, 12, 500_000, 980),
        lora(9, 11, 500_000, 1760),
        lora(10, 10, 500_000, 3900),
        lora(11, 9, 500_000, 7000),
        lora(12, 8, 500_000, 12_500),
        lora(13, 7, 500_000, 21_900),
    };

    /** RX1 DR by [uplink DR][RX1DROffset 0..3]. */
    private static final int[][] RX1_DATA_RATES = {
        {10, 9, 8, 8},    // DR0
        {11, 10, 9, 8},   // DR1
        {12, 11, 10, 9},  // DR2
        {13, 12, 11, 10}, // DR3
        {13, 13, 12, 11}, // DR4
        {10, 9, 8, 8},    // DR5
        {11, 10, 9, 8},   // DR6
    };

    private static final FixedChannelPlan CHANNELS = new FixedChannelPlan("US915",
            902_300_000L, 200_000L, 64,
            903_000_000L, 1_600_000L, 8,
            923_300_000L, 600_000L, 8);

    private static final CfList DEFAULT_CF_LIST = CHANNELS.subBand(2);

    public static final Us915 INSTANCE = new Us915();

    private Us915() {
    }

    @Override
    public String name() {
        return "US915";
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
        return 20;
    }

    @Override
    DataRate[] dataRateTable() {
        return DATA_RATES;
    }

    @Override
    int maxUplinkDataRate() {
        return 6;
    }

    @Override
    int[][] rx1DataRateTable() {
        return RX1_DATA_RATES;
    }

    @Override
    List<String> aliases() {
        return List.of("US902928");
    }
}
