package io.lorafab.lorawan.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.frame.CfList;
import io.lorafab.lorawan.types.Hex;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The default CFLists, their wire bytes, sub-band masks and the channels a device ends up with. */
class CfListTest {

    @ParameterizedTest(name = "{0} default CFList = {1}")
    @CsvSource({
        // 867.1/867.3/867.5/867.7/867.9 MHz
        "EU868,   184f84e85684b85e84886684586e8400",
        // sub-band 2: channels 8..15 and 65
        "US915,   00ff0000000000000200000000000001",
        "AU915,   00ff0000000000000200000000000001",
        // channels 0..7
        "CN470,   ff000000000000000000000000000001",
        // 923.6/923.8/924.0/924.2/924.4 MHz
        "AS923,   20ee8cf0f58cc0fd8c90058d600d8d00",
        // 921.8/922.0/922.2/922.4/922.6 MHz
        "AS923-2, d0a78ca0af8c70b78c40bf8c10c78c00",
        // 917.0/917.2/917.4/917.6/917.8 MHz
        "AS923-3, 50ec8b20f48bf0fb8bc0038c900b8c00",
        // 917.7/917.9/918.1/918.3/918.5 MHz
        "AS923-4, a8078c780f8c48178c181f8ce8268c00",
        // 865.2325/866.185/866.385/866.585/866.785 MHz
        "IN865,   2506845a2b842a3384fa3a84ca428400",
        // 922.7/922.9/923.1/923.3 MHz, fifth slot unused
        "KR920,   f8ca8cc8d28c98da8c68e28c00000000",
    })
    void defaultCfListBytes(String regionName, String hex) {
        CfList cfList = Region.byName(regionName).defaultCfList().orElseThrow();
        assertThat(Hex.format(cfList.encode())).isEqualTo(hex);
        assertThat(CfList.decode(Hex.parse(hex, "CFList"), 0)).isEqualTo(cfList);
    }

    @Test
    void eu868DefaultCfListFrequencies() {
        assertThat(Eu868.INSTANCE.defaultCfList()).get().isEqualTo(new CfList.ChannelFrequencies(
                List.of(867_100_000L, 867_300_000L, 867_500_000L, 867_700_000L, 867_900_000L)));
    }

    @ParameterizedTest(name = "{0} sub-band {1} = {2}")
    @CsvSource({
        "US915, 1, ff000000000000000100000000000001",
        "US915, 2, 00ff0000000000000200000000000001",
        "US915, 8, 00000000000000ff8000000000000001",
        "AU915, 1, ff000000000000000100000000000001",
        "AU915, 2, 00ff0000000000000200000000000001",
        "AU915, 8, 00000000000000ff8000000000000001",
        "CN470, 1, ff000000000000000000000000000001",
        "CN470, 10, 000000000000000000ff000000000001",
    })
    void subBandMasks(String regionName, int subBand, String hex) {
        assertThat(Hex.format(Region.byName(regionName).cfListForSubBand(subBand).encode())).isEqualTo(hex);
    }

    @ParameterizedTest(name = "US915 and AU915 sub-band {0}: channels 8(n-1)..8n-1 and 63+n")
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void everyUs915SubBandEnablesNineChannels(int subBand) {
        for (Region region : List.of(Us915.INSTANCE, Au915.INSTANCE)) {
            CfList.ChannelMask mask = (CfList.ChannelMask) region.cfListForSubBand(subBand);
            for (int ch = 0; ch < 80; ch++) {
                boolean expected = (ch >= 8 * (subBand - 1) && ch < 8 * subBand) || ch == 63 + subBand;
                assertThat(mask.enabled(ch)).as("%s sub-band %d channel %d", region, subBand, ch).isEqualTo(expected);
            }
        }
    }

    @ParameterizedTest(name = "{0} sub-band {1} is rejected")
    @CsvSource({"US915, 0", "US915, 9", "AU915, -1", "AU915, 9", "CN470, 0", "CN470, 11", "CN470, 12"})
    void subBandOutOfRange(String regionName, int subBand) {
        assertThatThrownBy(() -> Region.byName(regionName).cfListForSubBand(subBand))
                .isInstanceOf(LorawanFormatException.class)
                .hasMessageContaining("sub-band " + subBand + " out of range");
    }

    @ParameterizedTest(name = "{0} has no sub-bands")
    @ValueSource(strings = {"EU868", "AS923", "AS923-2", "IN865", "KR920"})
    void dynamicRegionsHaveNoSubBands(String regionName) {
        assertThatThrownBy(() -> Region.byName(regionName).cfListForSubBand(2))
                .isInstanceOf(LorawanFormatException.class)
                .hasMessageContaining(regionName + " uses dynamic channels");
    }

    @ParameterizedTest(name = "{0}: default uplink (join) channels {1}")
    @CsvSource({
        "EU868,   868100000 868300000 868500000",
        "AS923,   923200000 923400000",
        "AS923-2, 921400000 921600000",
        "IN865,   865062500 865402500 865985000",
        "KR920,   922100000 922300000 922500000",
    })
    void dynamicDefaultChannels(String regionName, String channels) {
        long[] expected = java.util.Arrays.stream(channels.split(" ")).mapToLong(Long::parseLong).toArray();
        assertThat(Region.byName(regionName).defaultUplinkChannelsHz()).containsExactly(expected);
    }

    @ParameterizedTest(name = "{0}: {1} default channels from {2} Hz to {3} Hz")
    @CsvSource({
        "US915, 72, 902300000, 914200000",
        "AU915, 72, 915200000, 927100000",
        "CN470, 96, 470300000, 489300000",
    })
    void fixedDefaultChannelsAreTheWholeGrid(String regionName, int count, long first, long last) {
        long[] channels = Region.byName(regionName).defaultUplinkChannelsHz();
        assertThat(channels).hasSize(count);
        assertThat(channels[0]).isEqualTo(first);
        assertThat(channels[count - 1]).isEqualTo(last);
    }

    @Test
    void defaultChannelArraysAreCopies() {
        Eu868.INSTANCE.defaultUplinkChannelsHz()[0] = 1L;
        assertThat(Eu868.INSTANCE.defaultUplinkChannelsHz()[0]).isEqualTo(868_100_000L);
    }

    @Test
    void channelsAfterTheDefaultCfList() {
        assertThat(Eu868.INSTANCE.uplinkChannelsHz(Eu868.INSTANCE.defaultCfList().orElseThrow())).containsExactly(
                868_100_000L, 868_300_000L, 868_500_000L,
                867_100_000L, 867_300_000L, 867_500_000L, 867_700_000L, 867_900_000L);
        assertThat(Kr920.INSTANCE.uplinkChannelsHz(Kr920.INSTANCE.defaultCfList().orElseThrow())).containsExactly(
                922_100_000L, 922_300_000L, 922_500_000L, 922_700_000L, 922_900_000L, 923_100_000L, 923_300_000L);
        assertThat(Us915.INSTANCE.uplinkChannelsHz(Us915.INSTANCE.defaultCfList().orElseThrow())).containsExactly(
                903_900_000L, 904_100_000L, 904_300_000L, 904_500_000L, 904_700_000L, 904_900_000L, 905_100_000L,
                905_300_000L, 904_600_000L);
        assertThat(Au915.INSTANCE.uplinkChannelsHz(Au915.INSTANCE.defaultCfList().orElseThrow())).containsExactly(
                916_800_000L, 917_000_000L, 917_200_000L, 917_400_000L, 917_600_000L, 917_800_000L, 918_000_000L,
                918_200_000L, 917_500_000L);
        assertThat(Cn470.INSTANCE.uplinkChannelsHz(Cn470.INSTANCE.defaultCfList().orElseThrow())).containsExactly(
                470_300_000L, 470_500_000L, 470_700_000L, 470_900_000L, 471_100_000L, 471_300_000L, 471_500_000L,
                471_700_000L);
    }

    @Test
    void everyDefaultCfListFitsItsRegion() {
        for (Region region : Region.all()) {
            CfList cfList = region.defaultCfList().orElseThrow();
            long[] channels = region.uplinkChannelsHz(cfList);
            assertThat(channels).as("%s", region).isNotEmpty();
            for (long f : channels) {
                assertThat(region.rx1FrequencyHz(f)).as("%s channel %d Hz is usable", region, f).isPositive();
            }
        }
    }

    @Test
    void wrongCfListTypeIsRejected() {
        assertThatThrownBy(() -> Eu868.INSTANCE.uplinkChannelsHz(Us915.INSTANCE.cfListForSubBand(2)))
                .isInstanceOf(LorawanFormatException.class)
                .hasMessageContaining("EU868: expected a CFListType 0");
        assertThatThrownBy(() -> Us915.INSTANCE.uplinkChannelsHz(Eu868.INSTANCE.defaultCfList().orElseThrow()))
                .isInstanceOf(LorawanFormatException.class)
                .hasMessageContaining("US915: expected a CFListType 1");
    }

    @Test
    void cfListContentOutsideTheRegionIsRejected() {
        CfList us915Frequencies = new CfList.ChannelFrequencies(List.of(902_300_000L));
        assertThatThrownBy(() -> Eu868.INSTANCE.uplinkChannelsHz(us915Frequencies))
                .isInstanceOf(LorawanFormatException.class)
                .hasMessageContaining("EU868: CFList frequency 902300000 Hz is outside the band");
        CfList channel75 = CfList.ChannelMask.ofChannels(List.of(8, 75));
        assertThatThrownBy(() -> Us915.INSTANCE.uplinkChannelsHz(channel75))
                .isInstanceOf(LorawanFormatException.class)
                .hasMessageContaining("US915: CFList enables channel 75");
        assertThat(Cn470.INSTANCE.uplinkChannelsHz(channel75)).containsExactly(471_900_000L, 485_300_000L);
    }
}
