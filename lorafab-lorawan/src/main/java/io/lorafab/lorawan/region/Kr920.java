package io.lorafab.lorawan.region;

import static io.lorafab.lorawan.region.DataRate.lora;

import io.lorafab.lorawan.frame.CfList;
import java.util.List;
import java.util.Optional;

/**
 * KR920-923 (RP002-1.0.3/1.0.4). Dynamic channels in 920.9-923.3 MHz; default channels 922.1, 922.3 and
 * 922.5 MHz; DR0..DR5 (SF12..SF7 at 125 kHz); RX1 on the uplink frequency with DR = max(0, uplink DR -
 * RX1DROffset), offsets 0..5; RX2 921.9 MHz DR0.
 *
 * <p>Default CFList: 922.7, 922.9, 923.1 and 923.3 MHz, the extra channels of The Things Network's
 * "KR_920_923_TTN" plan (ChirpStack's example configures none). Max EIRP 14 dBm (end-devices); downlink power
 * 23 dBm, as ChirpStack uses.
 */
public final class Kr920 extends Region {

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

    private static final DynamicChannelPlan CHANNELS =
            new DynamicChannelPlan("KR920", 920_900_000L, 923_300_000L, 922_100_000L, 922_300_000L, 922_500_000L);

    private static final CfList DEFAULT_CF_LIST =
            CHANNELS.cfList(922_700_000L, 922_900_000L, 923_100_000L, 923_300_000L);

    public static final Kr920 INSTANCE = new Kr920();

    private Kr920() {
    }

    @Override
    public String name() {
        return "KR920";
    }

    @Override
    public long rx1FrequencyHz(long uplinkFrequencyHz) {
        return CHANNELS.requireInBand(uplinkFrequencyHz, "uplink frequency");
    }

    @Override
    public long rx2FrequencyHz() {
        return 921_900_000L;
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
        return 14;
    }

    @Override
    public int downlinkTxPowerDbm() {
        return 23;
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
        return List.of("KR920923");
    }
}
