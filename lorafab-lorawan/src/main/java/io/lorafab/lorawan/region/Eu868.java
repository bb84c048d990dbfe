package io.lorafab.lorawan.region;

import static io.lorafab.lorawan.region.DataRate.fsk;
import static io.lorafab.lorawan.region.DataRate.lora;
import static io.lorafab.lorawan.region.DataRate.lrFhss;

import io.lorafab.lorawan.frame.CfList;
import java.util.List;
import java.util.Optional;

/**
 * EU863-870 (RP002-1.0.3/1.0.4). Dynamic channels; default channels 868.1, 868.3 and 868.5 MHz; RX1 on the
 * uplink frequency with DR = max(0, uplink DR - RX1DROffset), offsets 0..5, the LR-FHSS data rates DR8..DR11
 * mapping like DR1/DR2; RX2 869.525 MHz DR0.
 *
 * <p>Default CFList: 867.1, 867.3, 867.5, 867.7 and 867.9 MHz, the five extra channels ChirpStack's and The
 * Things Network's EU868 plans configure. Downlink power: 14 dBm, 27 dBm in the 869.4-869.65 MHz sub-band
 * (where RX2 lies), as ChirpStack does.
 */
public final class Eu868 extends Region {

    private static final DataRate[] DATA_RATES = {
        lora(0, 12, 125_000, 250),
        lora(1, 11, 125_000, 440),
        lora(2, 10, 125_000, 980),
        lora(3, 9, 125_000, 1760),
        lora(4, 8, 125_000, 3125),
        lora(5, 7, 125_000, 5470),
        lora(6, 7, 250_000, 11_000),
        fsk(7, 50_000),
        lrFhss(8, 137_000, 162),   // CR 1/3, 137 kHz OCW
        lrFhss(9, 137_000, 325),   // CR 2/3, 137 kHz OCW
        lrFhss(10, 336_000, 162),  // CR 1/3, 336 kHz OCW
        lrFhss(11, 336_000, 325),  // CR 2/3, 336 kHz OCW
    };

    /** RX1 DR by [uplink DR][RX1DROffset 0..5]. */
    private static final int[][] RX1_DATA_RATES = {
        {0, 0, 0, 0, 0, 0},  // DR0
        {1, 0, 0, 0, 0, 0},  // DR1
        {2, 1, 0, 0, 0, 0},  // DR2
        {3, 2, 1, 0, 0, 0},  // DR3
        {4, 3, 2, 1, 0, 0},  // DR4
        {5, 4, 3, 2, 1, 0},  // DR5
        {6, 5, 4, 3, 2, 1},  // DR6
        {7, 6, 5, 4, 3, 2},  // DR7
        {1, 0, 0, 0, 0, 0},  // DR8
        {2, 1, 0, 0, 0, 0},  // DR9
        {1, 0, 0, 0, 0, 0},  // DR10
        {2, 1, 0, 0, 0, 0},  // DR11
    };

    private static final DynamicChannelPlan CHANNELS =
            new DynamicChannelPlan("EU868", 863_000_000L, 870_000_000L, 868_100_000L, 868_300_000L, 868_500_000L);

    private static final CfList DEFAULT_CF_LIST =
            CHANNELS.cfList(867_100_000L, 867_300_000L, 867_500_000L, 867_700_000L, 867_900_000L);

    /** The 869.4-869.65 MHz sub-band allows 500 mW ERP (27 dBm at the gateway). */
    private static final long HIGH_POWER_MIN_HZ = 869_400_000L;
    private static final long HIGH_POWER_MAX_HZ = 869_650_000L;

    public static final Eu868 INSTANCE = new Eu868();

    private Eu868() {
    }

    @Override
    public String name() {
        return "EU868";
    }

    @Override
    public long rx1FrequencyHz(long uplinkFrequencyHz) {
        return CHANNELS.requireInBand(uplinkFrequencyHz, "uplink frequency");
    }

    @Override
    public long rx2FrequencyHz() {
        return 869_525_000L;
    }

    @Override
    public int rx2DataRate() {
        return 0;
    }

    @Override
    public Optional<CfList> defaultCfList() {
        return Optional.of(DEFAULT_CF_LIST);
    }

    @Override
    public long[] defaultUplinkChannelsHz() {
        return CHANNELS.defaultChannelsHz();
    }

    @Override
    public long[] uplinkChannelsHz(CfList cfList) {
        return CHANNELS.uplinkChannelsHz(cfList);
    }

    @Override
    public int maxEirpDbm() {
        return 16;
    }

    @Override
    public int downlinkTxPowerDbm() {
        return 14;
    }

    @Override
    public int downlinkTxPowerDbm(long frequencyHz) {
        return frequencyHz >= HIGH_POWER_MIN_HZ && frequencyHz < HIGH_POWER_MAX_HZ ? 27 : 14;
    }

    @Override
    DataRate[] dataRateTable() {
        return DATA_RATES;
    }

    @Override
    int maxUplinkDataRate() {
        return 11;
    }

    @Override
    int[][] rx1DataRateTable() {
        return RX1_DATA_RATES;
    }

    @Override
    List<String> aliases() {
        return List.of("EU863870");
    }
}
