package io.lorafab.gateway.basicstation;

import io.lorafab.gateway.basicstation.LnsMessage.ConcentratorConf;
import io.lorafab.gateway.basicstation.LnsMessage.DrDef;
import io.lorafab.gateway.basicstation.LnsMessage.EuiRange;
import io.lorafab.gateway.basicstation.LnsMessage.IfChannel;
import io.lorafab.gateway.basicstation.LnsMessage.Radio;
import io.lorafab.gateway.basicstation.LnsMessage.RouterConfig;
import io.lorafab.gateway.basicstation.LnsMessage.UpChannel;
import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.region.DataRate;
import io.lorafab.lorawan.region.Modulation;
import io.lorafab.lorawan.region.Region;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The {@code router_config} lorafab sends a station, made from lorafab's region data: the region's data-rate table,
 * the uplink channels a device uses after lorafab's join-accept (the default channels plus the default CFList's),
 * and a concentrator set-up that hears them.
 *
 * <p>Facts of Basics Station 2.0.6 this follows:
 * <ul>
 * <li>The region names the station knows ({@code handle_router_config} in {@code src/s2e.c}): EU868 (EU863),
 * US915 (US902), AU915, KR920, AS923-1 (AS923JP), IL915. Another name is ignored with a warning, and the station
 * then drops every {@code dnmsg} as if no router_config had come ({@code s2e_onMsg}). lorafab therefore sends
 * AS923-2/-3/-4 as {@code AS923-1} (the same TX rules; the frequencies are in {@code freq_range} and
 * {@code upchannels}); IN865 and CN470 are sent under their own names, which a 2.0.6 station does not know:
 * uplinks arrive, downlinks are dropped by the station (see {@link #stationKnowsRegion}).</li>
 * <li>{@code DRs} is 16 entries {@code [sf, bw, dnonly]}; sf 0 is FSK, sf -1 undefined (LR-FHSS has no entry
 * form, so it is sent as undefined).</li>
 * <li>{@code upchannels} data rates must lie within 0..7 ({@code uj_intRange(D, 0, 8-1)}).</li>
 * <li>{@code hwspec} must be {@code "sx1301/1"} ({@code ral_lgw.c}, {@code sx130xconf.c}), also on an SX1302
 * station; the concentrator configuration is an array whose element 0 is used, read under any of
 * {@code sx1301_conf}, {@code SX1301_conf}, {@code sx1302_conf}, {@code SX1302_conf}, {@code radio_conf}. The
 * station re-derives the radio centres and IF channels from {@code upchannels} ({@code sx130xconf_challoc}), so
 * the set-up sent is what a gateway without that allocator would need.</li>
 * </ul>
 */
public final class RouterConfigs {

    /** The only hardware spec Basics Station 2.0.6 accepts. */
    public static final String HWSPEC = "sx1301/1";
    /** The key lorafab sends the concentrator set-up under (every 2.0.6 build reads it). */
    public static final String CONF_KEY = "sx1301_conf";

    /** Half the span of IF offsets one radio serves for 125 kHz channels (an SX1257 front end: ±0.4 MHz). */
    private static final long MAX_IF_NARROW = 400_000;
    /** ... and for a 250/500 kHz channel. */
    private static final long MAX_IF_WIDE = 300_000;
    private static final int MULTI_SF_CHANNELS = 8;
    private static final int RADIOS = 2;

    private RouterConfigs() {
    }

    /** Whether a Basics Station 2.0.6 accepts this region's name (and so sends downlinks in it). */
    public static boolean stationKnowsRegion(Region region) {
        return switch (stationRegionName(region)) {
            case "EU868", "US915", "AU915", "KR920", "AS923-1" -> true;
            default -> false;
        };
    }

    /** The name the station reads for {@code region}. */
    public static String stationRegionName(Region region) {
        String n = region.name();
        return n.startsWith("AS923") ? "AS923-1" : n;
    }

    /** The frequency band of the region in Hz (RP002-1.0.x, the band each region's plan lies in). */
    public static long[] frequencyRange(Region region) {
        String n = region.name();
        if (n.startsWith("AS923")) {
            // AS923-1..4 together span 915..928 MHz; the offset groups (AS923-3 at 916.6 MHz) lie inside
            return new long[] {915_000_000L, 928_000_000L};
        }
        return switch (n) {
            case "EU868" -> new long[] {863_000_000L, 870_000_000L};
            case "US915" -> new long[] {902_000_000L, 928_000_000L};
            case "AU915" -> new long[] {915_000_000L, 928_000_000L};
            case "KR920" -> new long[] {920_900_000L, 923_300_000L};
            case "IN865" -> new long[] {865_000_000L, 867_000_000L};
            case "CN470" -> new long[] {470_000_000L, 510_000_000L};
            default -> throw new LorawanFormatException("no frequency band known for region " + n);
        };
    }

    /** The 16 {@code DRs} entries of {@code region}. */
    public static List<DrDef> dataRates(Region region) {
        DrDef[] out = new DrDef[16];
        Arrays.fill(out, DrDef.UNDEFINED);
        for (DataRate d : region.dataRates()) {
            boolean dnOnly = !region.isUplinkDataRate(d.index());
            out[d.index()] = switch (d.modulation()) {
                case LORA -> new DrDef(d.spreadingFactor(), d.bandwidthHz() / 1000, dnOnly);
                case FSK -> new DrDef(0, 0, dnOnly);
                case LR_FHSS -> DrDef.UNDEFINED;
            };
        }
        return List.of(out);
    }

    /** The uplink channels a device uses after lorafab's default join-accept. */
    public static long[] uplinkChannels(Region region) {
        return region.defaultCfList().map(region::uplinkChannelsHz).orElseGet(region::defaultUplinkChannelsHz);
    }

    /** {@code upchannels}: each channel with the uplink LoRa data rates of its bandwidth (within 0..7). */
    public static List<UpChannel> upchannels(Region region) {
        List<UpChannel> out = new ArrayList<>();
        for (long f : uplinkChannels(region)) {
            int bw = region.isWideUplinkChannel(f) ? 500_000 : 125_000;
            int min = -1;
            int max = -1;
            for (DataRate d : region.dataRates()) {
                if (d.index() <= 7 && region.isUplinkDataRate(d.index()) && d.modulation() == Modulation.LORA
                        && d.bandwidthHz() == bw) {
                    min = min < 0 ? d.index() : Math.min(min, d.index());
                    max = Math.max(max, d.index());
                }
            }
            if (min >= 0) {
                out.add(new UpChannel(f, min, max));
            }
        }
        return out;
    }

    /**
     * A concentrator set-up hearing {@code upchannels}: 125 kHz channels grouped onto at most two radios (each radio
     * centred on its group, a group spanning at most 0.8 MHz), at most eight multi-SF channels; one wide channel
     * on the LoRa standard channel when a radio reaches it; FSK off. Channels that fit nowhere are left out.
     */
    public static ConcentratorConf concentrator(List<UpChannel> upchannels, Region region) {
        List<Long> narrow = new ArrayList<>();
        List<Long> wide = new ArrayList<>();
        for (UpChannel u : upchannels) {
            (region.isWideUplinkChannel(u.freqHz()) ? wide : narrow).add(u.freqHz());
        }
        narrow.sort(null);
        long[] centres = new long[RADIOS];
        List<IfChannel> multi = new ArrayList<>();
        int radio = 0;
        int i = 0;
        while (i < narrow.size() && radio < RADIOS && multi.size() < MULTI_SF_CHANNELS) {
            long first = narrow.get(i);
            int j = i;
            while (j + 1 < narrow.size() && narrow.get(j + 1) - first <= 2 * MAX_IF_NARROW
                    && multi.size() + (j + 1 - i) < MULTI_SF_CHANNELS) {
                j++;
            }
            long centre = (first + narrow.get(j)) / 2;
            centres[radio] = centre;
            for (int k = i; k <= j; k++) {
                multi.add(IfChannel.multiSf(radio, narrow.get(k) - centre));
            }
            radio++;
            i = j + 1;
        }
        int used = radio;
        IfChannel std = IfChannel.DISABLED;
        if (!wide.isEmpty()) {
            long f = wide.get(0);
            int bw = 500_000;
            int sf = region.dataRates().stream().filter(d -> region.isUplinkDataRate(d.index())
                    && d.modulation() == Modulation.LORA && d.bandwidthHz() == bw).mapToInt(DataRate::spreadingFactor)
                    .min().orElse(8);
            for (int r = 0; r < used && std == IfChannel.DISABLED; r++) {
                if (Math.abs(f - centres[r]) <= MAX_IF_WIDE) {
                    std = new IfChannel(true, r, f - centres[r], bw, sf, 0);
                }
            }
            if (std == IfChannel.DISABLED && used < RADIOS) {
                centres[used] = f;
                std = new IfChannel(true, used, 0, bw, sf, 0);
                used++;
            }
        }
        List<Radio> radios = new ArrayList<>();
        for (int r = 0; r < RADIOS; r++) {
            radios.add(r < used ? new Radio(true, centres[r]) : new Radio(false, 0));
        }
        while (multi.size() < MULTI_SF_CHANNELS) {
            multi.add(IfChannel.DISABLED);
        }
        return new ConcentratorConf(radios, multi, std, IfChannel.DISABLED);
    }

    /**
     * The router_config for {@code region}.
     *
     * @param joinEuis the JoinEUI filter (empty: every join-request is forwarded)
     * @param muxTime  the server's time in seconds since the epoch, for the station's RefTime
     */
    public static RouterConfig forRegion(Region region, Optional<List<EuiRange>> joinEuis, OptionalDouble muxTime) {
        long[] range = frequencyRange(region);
        List<UpChannel> ups = upchannels(region);
        return new RouterConfig(stationRegionName(region), range[0], range[1], dataRates(region), ups,
                Optional.empty(), joinEuis, region.maxEirpDbm(), HWSPEC, CONF_KEY, concentrator(ups, region), muxTime);
    }
}
