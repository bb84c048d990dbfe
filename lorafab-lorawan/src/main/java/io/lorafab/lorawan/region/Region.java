package io.lorafab.lorawan.region;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.frame.CfList;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The LoRaWAN Regional Parameters (RP002-1.0.x) facts a join server and a downlink scheduler need: data-rate
 * tables, the RX1 data-rate and frequency rules, the RX2 defaults, the receive delays and a default CFList.
 *
 * <p>One final class per region holds its tables as data; the lookups here are shared. Instances are
 * immutable singletons: {@link #byName(String)}, {@link #all()}, or the constants {@link Eu868#INSTANCE},
 * {@link Us915#INSTANCE}, {@link Cn470#INSTANCE}, {@link As923#AS923_1} (and its frequency-offset variants),
 * {@link Au915#INSTANCE}, {@link In865#INSTANCE}, {@link Kr920#INSTANCE}.
 *
 * <p>Every bad input (an RFU data rate, an RX1DROffset outside the region's range, a frequency that is not a
 * channel, an unknown name) raises {@link LorawanFormatException} with a message saying what is wrong.
 */
public abstract sealed class Region permits Eu868, Us915, Cn470, As923, Au915, In865, Kr920 {

    private static final Duration RECEIVE_DELAY1 = Duration.ofSeconds(1);
    private static final Duration RECEIVE_DELAY2 = Duration.ofSeconds(2);
    private static final Duration JOIN_ACCEPT_DELAY1 = Duration.ofSeconds(5);
    private static final Duration JOIN_ACCEPT_DELAY2 = Duration.ofSeconds(6);

    Region() {
    }

    /** The region's common name: "EU868", "US915", "CN470", "AS923", "AS923-2", ..., "AU915", "IN865", "KR920". */
    public abstract String name();

    /**
     * Looks a region up by name, ignoring case, '-', '_' and spaces: the LoRa Alliance common names
     * ("EU868", "AS923-2"), ChirpStack's ("eu868", "as923_2") and The Things Stack band IDs ("EU_863_870",
     * "AS_923_2").
     *
     * @throws LorawanFormatException for an unknown name; the message lists the known ones
     */
    public static Region byName(String name) {
        return Regions.byName(name);
    }

    /** Every region, in a stable order: EU868, US915, CN470, AS923, AS923-2, AS923-3, AS923-4, AU915, IN865, KR920. */
    public static List<Region> all() {
        return Regions.ALL;
    }

    /** RECEIVE_DELAY1: RX1 opens this long after the end of the uplink (1 s). */
    public final Duration receiveDelay1() {
        return RECEIVE_DELAY1;
    }

    /** RECEIVE_DELAY2: RX2 opens this long after the end of the uplink (2 s). */
    public final Duration receiveDelay2() {
        return RECEIVE_DELAY2;
    }

    /** JOIN_ACCEPT_DELAY1: RX1 for a join-accept (5 s). */
    public final Duration joinAcceptDelay1() {
        return JOIN_ACCEPT_DELAY1;
    }

    /** JOIN_ACCEPT_DELAY2: RX2 for a join-accept (6 s). */
    public final Duration joinAcceptDelay2() {
        return JOIN_ACCEPT_DELAY2;
    }

    /**
     * The data rate with this index.
     *
     * @throws LorawanFormatException if the index is RFU or undefined in this region
     */
    public final DataRate dataRate(int dr) {
        DataRate[] table = dataRateTable();
        if (dr < 0 || dr >= table.length || table[dr] == null) {
            throw new LorawanFormatException(name() + ": DR" + dr + " is not defined (RFU or out of range); defined: "
                    + dataRates());
        }
        return table[dr];
    }

    /** Every defined data rate (uplink and downlink), in index order. */
    public final List<DataRate> dataRates() {
        List<DataRate> out = new ArrayList<>();
        for (DataRate d : dataRateTable()) {
            if (d != null) {
                out.add(d);
            }
        }
        return Collections.unmodifiableList(out);
    }

    /**
     * The uplink data-rate index of a received LoRa packet. Fixed-channel regions have separate uplink and
     * downlink tables (US915: SF10BW125 up is DR0, SF12BW500 exists only as downlink DR8), so only uplink
     * data rates are searched.
     *
     * @throws LorawanFormatException if no uplink data rate of this region has that spreading factor and
     *     bandwidth
     */
    public final int uplinkDataRate(int spreadingFactor, int bandwidthHz) {
        DataRate[] table = dataRateTable();
        for (int dr = 0; dr <= maxUplinkDataRate() && dr < table.length; dr++) {
            if (table[dr] != null && table[dr].isLora(spreadingFactor, bandwidthHz)) {
                return dr;
            }
        }
        throw new LorawanFormatException(name() + ": no uplink data rate for LoRa SF" + spreadingFactor + " BW "
                + bandwidthHz + " Hz");
    }

    /**
     * The uplink data-rate index for a packet forwarder "datr" value: "SF9BW125" (LoRa) or a decimal bit rate
     * such as "50000" (FSK). LR-FHSS ("M0CW137") is rejected: its data rate also depends on the coding rate,
     * which "datr" does not carry.
     *
     * @throws LorawanFormatException if the text is malformed or names no uplink data rate of this region
     */
    public final int uplinkDataRate(String datr) {
        if (datr == null || datr.isBlank()) {
            throw new LorawanFormatException(name() + ": missing datr");
        }
        String s = datr.strip().toUpperCase(Locale.ROOT);
        if (s.startsWith("SF")) {
            int bw = s.indexOf("BW");
            int sf = bw > 2 ? asciiDecimal(s.substring(2, bw), 2) : -1;
            int khz = bw > 2 ? asciiDecimal(s.substring(bw + 2), 4) : -1;
            if (sf >= 0 && khz >= 0) {
                return uplinkDataRate(sf, khz * 1000);
            }
            throw new LorawanFormatException(name() + ": malformed LoRa datr '" + datr + "' (expected e.g. SF7BW125)");
        }
        if (s.startsWith("M") && s.contains("CW")) {
            throw new LorawanFormatException(name() + ": LR-FHSS datr '" + datr
                    + "' does not determine the data rate without the coding rate");
        }
        int bitRate = asciiDecimal(s, 7);
        if (bitRate < 0) {
            throw new LorawanFormatException(name() + ": malformed datr '" + datr
                    + "' (expected SFnBWm for LoRa or a bit rate for FSK)");
        }
        DataRate[] table = dataRateTable();
        for (int dr = 0; dr <= maxUplinkDataRate() && dr < table.length; dr++) {
            if (table[dr] != null && table[dr].modulation() == Modulation.FSK && table[dr].bitRate() == bitRate) {
                return dr;
            }
        }
        throw new LorawanFormatException(name() + ": no uplink FSK data rate at " + bitRate + " bit/s");
    }

    /** 1 to maxDigits ASCII digits [0-9] as a number, else -1 (no sign, no other Unicode digits). */
    private static int asciiDecimal(String s, int maxDigits) {
        if (s.isEmpty() || s.length() > maxDigits) {
            return -1;
        }
        int v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /**
     * The RX1 downlink data rate for an uplink data rate and the RX1DROffset from the region's table. For
     * AS923 this is the DownlinkDwellTime = 0 table (see {@link As923#rx1DataRate(int, int, boolean)}).
     *
     * @throws LorawanFormatException if the uplink data rate has no row (RFU, downlink-only) or the offset is
     *     outside the region's allowed range
     */
    public final int rx1DataRate(int uplinkDr, int rx1DrOffset) {
        return lookupRx1(rx1DataRateTable(), uplinkDr, rx1DrOffset);
    }

    /**
     * The RX1 frequency for an uplink on this frequency: the same frequency in dynamic-channel regions, a
     * downlink channel derived from the uplink channel number in US915, AU915 and CN470.
     *
     * @throws LorawanFormatException if the frequency is not an uplink channel (fixed plans) or lies outside
     *     the region's band (dynamic plans)
     */
    public abstract long rx1FrequencyHz(long uplinkFrequencyHz);

    /**
     * Whether data rate {@code dr} may be used uplink (fixed-channel regions have downlink-only data rates above
     * their uplink ones: US915 DR8..13). False for an undefined index.
     */
    public final boolean isUplinkDataRate(int dr) {
        DataRate[] table = dataRateTable();
        return dr >= 0 && dr <= maxUplinkDataRate() && dr < table.length && table[dr] != null;
    }

    /**
     * Whether {@code frequencyHz} is a wide uplink channel (US915 and AU915: the 500 kHz channels 64..71), which
     * carries only the region's 500 kHz uplink data rate; false in every other case.
     */
    public boolean isWideUplinkChannel(long frequencyHz) {
        return false;
    }

    /** The default RX2 frequency. */
    public abstract long rx2FrequencyHz();

    /** The default RX2 data rate. */
    public abstract int rx2DataRate();

    /**
     * The CFList this project's join server sends by default (see each region's class comment for the
     * source of the channels), or empty where none is sent.
     */
    public abstract Optional<CfList> defaultCfList();

    /**
     * A CFListType 1 channel mask enabling one sub-band of eight 125 kHz channels (plus its 500 kHz channel
     * where the region has them), sub-bands numbered from 1.
     *
     * @throws LorawanFormatException in dynamic-channel regions, or for a sub-band out of range
     */
    public CfList cfListForSubBand(int subBand) {
        throw new LorawanFormatException(name() + " uses dynamic channels (CFListType 0) and has no sub-bands");
    }

    /**
     * The channels an end-device may use before it is told otherwise (the join channels): EU868
     * 868.1/868.3/868.5 MHz, all 72 channels of US915/AU915, all 96 of CN470, and so on. A new array each call.
     */
    public abstract long[] defaultUplinkChannelsHz();

    /**
     * The uplink channels an end-device uses after a join-accept carrying this CFList: the default channels
     * plus the CFList's non-zero frequencies (CFListType 0), or exactly the channels enabled by the mask
     * (CFListType 1). A new array each call; useful for simulators.
     *
     * @throws LorawanFormatException if the CFList type does not fit the region, or it names a frequency
     *     outside the band or a channel the region does not have
     */
    public abstract long[] uplinkChannelsHz(CfList cfList);

    /** The default maximum EIRP of an end-device in dBm, rounded down to a whole dB (CN470: 19.15 → 19). */
    public abstract int maxEirpDbm();

    /** A reasonable default gateway downlink TX power in dBm, for the txpk "powe" field. */
    public abstract int downlinkTxPowerDbm();

    /**
     * The default gateway downlink TX power in dBm for a downlink on this frequency. The same as
     * {@link #downlinkTxPowerDbm()} except where the band allows more on some frequencies (EU868 RX2).
     */
    public int downlinkTxPowerDbm(long frequencyHz) {
        return downlinkTxPowerDbm();
    }

    @Override
    public String toString() {
        return name();
    }

    // ---- the region's tables, shared arrays that must not leave the package -------------------------------

    /** Data rates by index; null for RFU. */
    abstract DataRate[] dataRateTable();

    /** The highest uplink data-rate index; higher indices are downlink-only. */
    abstract int maxUplinkDataRate();

    /** RX1 data rate by [uplink DR][RX1DROffset]; a null row for an uplink DR without RX1 mapping. */
    abstract int[][] rx1DataRateTable();

    /** Other accepted names, already normalized (upper case, no '-', '_' or spaces). */
    abstract List<String> aliases();

    final int lookupRx1(int[][] table, int uplinkDr, int rx1DrOffset) {
        if (uplinkDr < 0 || uplinkDr >= table.length || table[uplinkDr] == null) {
            throw new LorawanFormatException(name() + ": DR" + uplinkDr + " is not an uplink data rate with an RX1"
                    + " mapping (uplink DRs with one: " + rowsWithMapping(table) + ")");
        }
        int[] row = table[uplinkDr];
        if (rx1DrOffset < 0 || rx1DrOffset >= row.length) {
            throw new LorawanFormatException(name() + ": RX1DROffset " + rx1DrOffset + " out of range 0.."
                    + (row.length - 1));
        }
        return row[rx1DrOffset];
    }

    private static String rowsWithMapping(int[][] table) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < table.length; i++) {
            if (table[i] != null) {
                sb.append(sb.length() == 0 ? "" : ", ").append("DR").append(i);
            }
        }
        return sb.toString();
    }
}
