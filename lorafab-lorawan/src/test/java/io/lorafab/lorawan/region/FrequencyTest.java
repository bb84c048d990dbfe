package io.lorafab.lorawan.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.lorawan.LorawanFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RX1 and RX2 frequencies, default data rates and power. */
class FrequencyTest {

    @ParameterizedTest(name = "{0} uplink {1} Hz (channel {2}) -> RX1 {3} Hz")
    @CsvSource({
        "US915, 902300000,  0, 923300000",
        "US915, 902500000,  1, 923900000",
        "US915, 903700000,  7, 927500000",
        "US915, 903900000,  8, 923300000",
        "US915, 904100000,  9, 923900000",
        "US915, 905300000, 15, 927500000",
        "US915, 914900000, 63, 927500000",
        "US915, 903000000, 64, 923300000",
        "US915, 904600000, 65, 923900000",
        "US915, 914200000, 71, 927500000",
        "AU915, 915200000,  0, 923300000",
        "AU915, 916800000,  8, 923300000",
        "AU915, 917000000,  9, 923900000",
        "AU915, 927800000, 63, 927500000",
        "AU915, 915900000, 64, 923300000",
        "AU915, 917500000, 65, 923900000",
        "AU915, 927100000, 71, 927500000",
        "CN470, 470300000,  0, 500300000",
        "CN470, 470500000,  1, 500500000",
        "CN470, 479700000, 47, 509700000",
        "CN470, 479900000, 48, 500300000",
        "CN470, 489300000, 95, 509700000",
    })
    void fixedPlanRx1Frequency(String regionName, long uplinkHz, int channel, long rx1Hz) {
        Region region = Region.byName(regionName);
        assertThat(region.rx1FrequencyHz(uplinkHz)).isEqualTo(rx1Hz);
        if (region instanceof Us915 us) {
            assertThat(us.uplinkChannel(uplinkHz)).isEqualTo(channel);
            assertThat(us.uplinkChannelFrequencyHz(channel)).isEqualTo(uplinkHz);
        } else if (region instanceof Au915 au) {
            assertThat(au.uplinkChannel(uplinkHz)).isEqualTo(channel);
            assertThat(au.uplinkChannelFrequencyHz(channel)).isEqualTo(uplinkHz);
        } else if (region instanceof Cn470 cn) {
            assertThat(cn.uplinkChannel(uplinkHz)).isEqualTo(channel);
            assertThat(cn.uplinkChannelFrequencyHz(channel)).isEqualTo(uplinkHz);
        } else {
            throw new AssertionError(region);
        }
    }

    @ParameterizedTest(name = "{0} uplink {1} Hz is not a channel")
    @CsvSource({
        "US915, 902400000",  // between 125 kHz channels
        "US915, 902100000",  // below channel 0
        "US915, 915100000",  // would be channel 64 of the 125 kHz grid
        "US915, 915800000",  // would be 500 kHz channel 72
        "US915, 923300000",  // a downlink channel
        "US915, 902300001",
        "AU915, 915000000",
        "AU915, 928000000",
        "CN470, 470200000",
        "CN470, 489500000",  // would be channel 96
        "CN470, 500300000",  // a downlink channel
    })
    void fixedPlanRejectsFrequenciesThatAreNotChannels(String regionName, long uplinkHz) {
        assertThatThrownBy(() -> Region.byName(regionName).rx1FrequencyHz(uplinkHz))
                .isInstanceOf(LorawanFormatException.class)
                .hasMessageContaining(regionName + ": " + uplinkHz + " Hz is not an uplink channel");
    }

    @Test
    void fixedPlanRejectsChannelNumbersOutOfRange() {
        assertThatThrownBy(() -> Us915.INSTANCE.uplinkChannelFrequencyHz(72))
                .isInstanceOf(LorawanFormatException.class).hasMessageContaining("out of range 0..71");
        assertThatThrownBy(() -> Cn470.INSTANCE.uplinkChannelFrequencyHz(-1))
                .isInstanceOf(LorawanFormatException.class).hasMessageContaining("out of range 0..95");
    }

    @ParameterizedTest(name = "{0} uplink {1} Hz -> RX1 on the same frequency")
    @CsvSource({
        "EU868,   868100000",
        "EU868,   867900000",
        "EU868,   869525000",
        "AS923,   923200000",
        "AS923,   923400000",
        "AS923-2, 921400000",
        "AS923-3, 916600000",
        "AS923-4, 917300000",
        "IN865,   865062500",
        "IN865,   865985000",
        "KR920,   922100000",
        "KR920,   923300000",
    })
    void dynamicPlanRx1IsTheUplinkFrequency(String regionName, long uplinkHz) {
        assertThat(Region.byName(regionName).rx1FrequencyHz(uplinkHz)).isEqualTo(uplinkHz);
    }

    @ParameterizedTest(name = "{0} uplink {1} Hz is outside the band")
    @CsvSource({
        "EU868, 862900000",
        "EU868, 870100000",
        "EU868, 902300000",
        "AS923, 914900000",
        "AS923, 928100000",
        "IN865, 868100000",
        "IN865, 864900000",
        "KR920, 920800000",
        "KR920, 923400000",
    })
    void dynamicPlanRejectsOutOfBandFrequencies(String regionName, long uplinkHz) {
        assertThatThrownBy(() -> Region.byName(regionName).rx1FrequencyHz(uplinkHz))
                .isInstanceOf(LorawanFormatException.class)
                .hasMessageContaining(regionName + ": uplink frequency " + uplinkHz + " Hz is outside the band");
    }

    @ParameterizedTest(name = "{0}: RX2 {1} Hz DR{2} ({3})")
    @CsvSource({
        "EU868,   869525000, 0, SF12BW125",
        "US915,   923300000, 8, SF12BW500",
        "CN470,   505300000, 0, SF12BW125",
        "AS923,   923200000, 2, SF10BW125",
        "AS923-2, 921400000, 2, SF10BW125",
        "AS923-3, 916600000, 2, SF10BW125",
        "AS923-4, 917300000, 2, SF10BW125",
        "AU915,   923300000, 8, SF12BW500",
        "IN865,   866550000, 2, SF10BW125",
        "KR920,   921900000, 0, SF12BW125",
    })
    void rx2Defaults(String regionName, long rx2Hz, int rx2Dr, String datr) {
        Region region = Region.byName(regionName);
        assertThat(region.rx2FrequencyHz()).isEqualTo(rx2Hz);
        assertThat(region.rx2DataRate()).isEqualTo(rx2Dr);
        assertThat(region.dataRate(region.rx2DataRate()).datr()).isEqualTo(datr);
    }

    @ParameterizedTest(name = "{0}: max EIRP {1} dBm, gateway downlink {2} dBm, on RX2 {3} dBm")
    @CsvSource({
        "EU868,   16, 14, 27",
        "US915,   30, 20, 20",
        "CN470,   19, 14, 14",
        "AS923,   16, 14, 14",
        "AS923-2, 16, 14, 14",
        "AU915,   30, 27, 27",
        "IN865,   30, 27, 27",
        "KR920,   14, 23, 23",
    })
    void power(String regionName, int maxEirp, int downlink, int downlinkOnRx2) {
        Region region = Region.byName(regionName);
        assertThat(region.maxEirpDbm()).isEqualTo(maxEirp);
        assertThat(region.downlinkTxPowerDbm()).isEqualTo(downlink);
        assertThat(region.downlinkTxPowerDbm(region.rx2FrequencyHz())).isEqualTo(downlinkOnRx2);
    }

    @Test
    void eu868HighPowerSubBandIs869Point4To869Point65() {
        assertThat(Eu868.INSTANCE.downlinkTxPowerDbm(868_100_000L)).isEqualTo(14);
        assertThat(Eu868.INSTANCE.downlinkTxPowerDbm(869_399_999L)).isEqualTo(14);
        assertThat(Eu868.INSTANCE.downlinkTxPowerDbm(869_400_000L)).isEqualTo(27);
        assertThat(Eu868.INSTANCE.downlinkTxPowerDbm(869_649_999L)).isEqualTo(27);
        assertThat(Eu868.INSTANCE.downlinkTxPowerDbm(869_650_000L)).isEqualTo(14);
    }

    @Test
    void as923GroupsAreFrequencyOffsets() {
        assertThat(As923.AS923_1.frequencyOffsetHz()).isZero();
        assertThat(As923.AS923_2.frequencyOffsetHz()).isEqualTo(-1_800_000L);
        assertThat(As923.AS923_3.frequencyOffsetHz()).isEqualTo(-6_600_000L);
        assertThat(As923.AS923_4.frequencyOffsetHz()).isEqualTo(-5_900_000L);
        for (As923 g : new As923[] {As923.AS923_1, As923.AS923_2, As923.AS923_3, As923.AS923_4}) {
            assertThat(g.rx2FrequencyHz()).isEqualTo(923_200_000L + g.frequencyOffsetHz());
            assertThat(g.defaultUplinkChannelsHz())
                    .containsExactly(923_200_000L + g.frequencyOffsetHz(), 923_400_000L + g.frequencyOffsetHz());
        }
    }
}
