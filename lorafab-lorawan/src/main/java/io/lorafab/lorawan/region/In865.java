package io.lorafab.lorawan.region;

import static io.lorafab.lorawan.region.DataRate.fsk;
import static io.lorafab.lorawan.region.DataRate.lora;

import io.lorafab.lorawan.frame.CfList;
import java.util.List;
import java.util.Optional;

/**
 * IN865-867 (RP002-1.0.3/1.0.4). Dynamic channels in 865-867 MHz; default channels 865.0625, 865.4025 and
 * 865.985 MHz; DR0..DR5 LoRa, DR6 RFU, DR7 FSK 50 kbit/s; RX1 on the uplink frequency with the RP002
 * RX1DROffset table below (offsets 0..7; 6 and 7 raise the data rate, skipping the RFU DR6); RX2 866.55 MHz
 * DR2.
 *
 * <p>Default CFList: 865.2325, 866.185, 866.385, 866.585 and 866.785 MHz, the five extra channels of The Things
 * Network's "IN_865_867" plan (ChirpStack's example configures none). Max EIRP 30 dBm; downlink power 27 dBm,
 * as ChirpStack uses.
 */
public final class In865 extends Region {

    private static final DataRate[] DATA_RATES = {
        lora(0, 12, 125_000, 250),
        lora(1, 11, 125_000, 440),
        lora(2, 10, 125_000, 980),
        lora(3, 9, 125_000, 1760),
        lora(4, 8, 125_000, 3125),
        lora(5, 7, 125_000, 5470),
        null,  // DR6 RFU
        fsk(7, 50_000),
    };

    /** RX1 DR by [uplink DR][RX1DROffset 0..7]. */
    private static final int[][] RX1_DATA_RATES = {
        {0, 0, 0, 0, 0, 0, 1, 2},  // DR0
        {1, 0, 0, 0, 0, 0, 2, 3},  // DR1
        {2, 1, 0, 0, 0, 0, 3, 4},  // DR2
        {3, 2, 1, 0, 0, 0, 4, 5},  // DR3
        {4, 3, 2, 1, 0, 0, 5, 5},  // DR4
        {5, 4, 3, 2, 1, 0, 5, 7},  // DR5
        null,                      // DR6 RFU
        {7, 5, 5, 4, 3, 2, 7, 7},  // DR7
    };

    private static final DynamicChannelPlan CHANNELS =
            new DynamicChannelPlan("IN865", 865_000_000L, 867_000_000L, 865_062_500L, 865_402_500L, 865_985_000L);

    private static final CfList DEFAULT_CF_LIST =
            CHANNELS.cfList(865_232_500L, 866_185_000L, 866_385_000L, 866_585_000L, 866_785_000L);

    public static final In865 INSTANCE = new In865();

    private In865() {
    }

    @Override
    public String name() {
        return "IN865";
    }

    @Override
    public long rx1FrequencyHz(long uplinkFrequencyHz) {
        return CHANNELS.requireInBand(uplinkFrequencyHz, "uplink frequency");
    }

    @Override
    public long rx2FrequencyHz() {
        return 866_550_000L;
    }

    @Override
    public int rx2DataRate() {
        return 2;
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
        return List.of("IN865867");
    }
}
