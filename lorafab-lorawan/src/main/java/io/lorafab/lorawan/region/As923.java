package io.lorafab.lorawan.region;

import static io.lorafab.lorawan.region.DataRate.fsk;
import static io.lorafab.lorawan.region.DataRate.lora;

import io.lorafab.lorawan.frame.CfList;
import java.util.List;
import java.util.Optional;

/**
 * AS923 (RP002-1.0.3/1.0.4) and its frequency-offset groups. Dynamic channels in 915-928 MHz; AS923-1 has
 * default channels 923.2 and 923.4 MHz and RX2 923.2 MHz DR2; AS923-2, -3 and -4 shift every one of these
 * frequencies by -1.8 MHz, -6.6 MHz and -5.9 MHz. RX1 uses the uplink frequency.
 *
 * <p>RX1DROffset 0..7, where 6 and 7 raise the data rate by 1 and 2; the RP002 tables below apply, one for
 * DownlinkDwellTime = 0 (minimum RX1 DR0) and one for DownlinkDwellTime = 1 (minimum DR2), both capped at DR7.
 * ({@link #rx1DataRate(int, int)} assumes dwell time 0, the boot default, since this project's join server
 * sends no TxParamSetupReq; older Regional Parameters 1.0.2/1.0.3 capped at DR5 instead.)
 *
 * <p>Default CFList: the five channels above the two default ones in 200 kHz steps, as The Things Network's
 * "AS_923_925" (AS923-1: 923.6..924.4 MHz) and "AS_923_2_TTN" (AS923-2: 921.8..922.6 MHz) plans; the same rule
 * gives 917.0..917.8 MHz for AS923-3 and 917.7..918.5 MHz for AS923-4. Max EIRP 16 dBm; downlink power
 * 14 dBm, as ChirpStack uses.
 */
public final class As923 extends Region {

    private static final DataRate[] DATA_RATES = {
        lora(0, 12, 125_000, 250),
        lora(1, 11, 125_000, 440),
        lora(2, 10, 125_000, 980),
        lora(3, 9, 125_000, 1760),
        lora(4, 8, 125_000, 3125),
        lora(5, 7, 125_000, 5470),
        lora(6, 7, 250_000, 11_000),
        fsk(7, 50_000),
    };

    /** RX1 DR by [uplink DR][RX1DROffset 0..7], DownlinkDwellTime = 0. */
    private static final int[][] RX1_DATA_RATES_DWELL_0 = {
        {0, 0, 0, 0, 0, 0, 1, 2},  // DR0
        {1, 0, 0, 0, 0, 0, 2, 3},  // DR1
        {2, 1, 0, 0, 0, 0, 3, 4},  // DR2
        {3, 2, 1, 0, 0, 0, 4, 5},  // DR3
        {4, 3, 2, 1, 0, 0, 5, 6},  // DR4
        {5, 4, 3, 2, 1, 0, 6, 7},  // DR5
        {6, 5, 4, 3, 2, 1, 7, 7},  // DR6
        {7, 6, 5, 4, 3, 2, 7, 7},  // DR7
    };

    /** RX1 DR by [uplink DR][RX1DROffset 0..7], DownlinkDwellTime = 1. */
    private static final int[][] RX1_DATA_RATES_DWELL_1 = {
        {2, 2, 2, 2, 2, 2, 2, 2},  // DR0
        {2, 2, 2, 2, 2, 2, 2, 3},  // DR1
        {2, 2, 2, 2, 2, 2, 3, 4},  // DR2
        {3, 2, 2, 2, 2, 2, 4, 5},  // DR3
        {4, 3, 2, 2, 2, 2, 5, 6},  // DR4
        {5, 4, 3, 2, 2, 2, 6, 7},  // DR5
        {6, 5, 4, 3, 2, 2, 7, 7},  // DR6
        {7, 6, 5, 4, 3, 2, 7, 7},  // DR7
    };

    private static final long BAND_MIN_HZ = 915_000_000L;
    private static final long BAND_MAX_HZ = 928_000_000L;

    /** AS923-1: default channels, RX2, and the CFList channels before the group's frequency offset. */
    private static final long DEFAULT_CHANNEL_1_HZ = 923_200_000L;
    private static final long DEFAULT_CHANNEL_2_HZ = 923_400_000L;
    private static final long RX2_HZ = 923_200_000L;
    private static final long[] CF_LIST_HZ = {923_600_000L, 923_800_000L, 924_000_000L, 924_200_000L, 924_400_000L};

    /** AS923-1 ("AS923"): no offset. */
    public static final As923 AS923_1 = new As923("AS923", 0L, List.of("AS9231", "AS920923", "AS923925"));
    /** AS923-2: -1.8 MHz. */
    public static final As923 AS923_2 = new As923("AS923-2", -1_800_000L, List.of());
    /** AS923-3: -6.6 MHz. */
    public static final As923 AS923_3 = new As923("AS923-3", -6_600_000L, List.of());
    /** AS923-4: -5.9 MHz. */
    public static final As923 AS923_4 = new As923("AS923-4", -5_900_000L, List.of());

    private final String name;
    private final long frequencyOffsetHz;
    private final List<String> aliases;
    private final DynamicChannelPlan channels;
    private final CfList defaultCfList;

    private As923(String name, long frequencyOffsetHz, List<String> aliases) {
        this.name = name;
        this.frequencyOffsetHz = frequencyOffsetHz;
        this.aliases = aliases;
        this.channels = new DynamicChannelPlan(name, BAND_MIN_HZ, BAND_MAX_HZ,
                DEFAULT_CHANNEL_1_HZ + frequencyOffsetHz, DEFAULT_CHANNEL_2_HZ + frequencyOffsetHz);
        long[] cf = new long[CF_LIST_HZ.length];
        for (int i = 0; i < cf.length; i++) {
            cf[i] = CF_LIST_HZ[i] + frequencyOffsetHz;
        }
        this.defaultCfList = channels.cfList(cf);
    }

    @Override
    public String name() {
        return name;
    }

    /** The group's frequency offset from AS923-1: 0, -1.8 MHz, -6.6 MHz or -5.9 MHz. */
    public long frequencyOffsetHz() {
        return frequencyOffsetHz;
    }

    /**
     * The RX1 data rate for a given DownlinkDwellTime (false = 0, no limit; true = 1, 400 ms, which raises the
     * minimum RX1 data rate to DR2).
     *
     * @throws io.lorafab.lorawan.LorawanFormatException for an RX1DROffset outside 0..7 or an undefined DR
     */
    public int rx1DataRate(int uplinkDr, int rx1DrOffset, boolean downlinkDwellTime) {
        return lookupRx1(downlinkDwellTime ? RX1_DATA_RATES_DWELL_1 : RX1_DATA_RATES_DWELL_0, uplinkDr, rx1DrOffset);
    }

    @Override
    public long rx1FrequencyHz(long uplinkFrequencyHz) {
        return channels.requireInBand(uplinkFrequencyHz, "uplink frequency");
    }

    @Override
    public long rx2FrequencyHz() {
        return RX2_HZ + frequencyOffsetHz;
    }

    @Override
    public int rx2DataRate() {
        return 2;
    }

    @Override
    public Optional<CfList> defaultCfList() {
        return Optional.of(defaultCfList);
    }

    @Override
    public long[] defaultUplinkChannelsHz() {
        return channels.defaultChannelsHz();
    }

    @Override
    public long[] uplinkChannelsHz(CfList cfList) {
        return channels.uplinkChannelsHz(cfList);
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
    DataRate[] dataRateTable() {
        return DATA_RATES;
    }

    @Override
    int maxUplinkDataRate() {
        return 7;
    }

    @Override
    int[][] rx1DataRateTable() {
        return RX1_DATA_RATES_DWELL_0;
    }

    @Override
    List<String> aliases() {
        return aliases;
    }
}
