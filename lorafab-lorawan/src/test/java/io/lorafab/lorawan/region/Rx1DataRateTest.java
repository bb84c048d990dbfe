package io.lorafab.lorawan.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.lorawan.LorawanFormatException;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every row of every region's "downlink RX1 data rate mapping" table: the uplink DR, then the RX1 DR for
 * RX1DROffset 0, 1, 2, ... The number of columns is the region's allowed offset range; one more is rejected.
 */
class Rx1DataRateTest {

    @ParameterizedTest(name = "{0} uplink DR{1} -> RX1 [{2}] for RX1DROffset 0..")
    @CsvSource({
        "EU868, 0,  0 0 0 0 0 0",
        "EU868, 1,  1 0 0 0 0 0",
        "EU868, 2,  2 1 0 0 0 0",
        "EU868, 3,  3 2 1 0 0 0",
        "EU868, 4,  4 3 2 1 0 0",
        "EU868, 5,  5 4 3 2 1 0",
        "EU868, 6,  6 5 4 3 2 1",
        "EU868, 7,  7 6 5 4 3 2",
        "EU868, 8,  1 0 0 0 0 0",
        "EU868, 9,  2 1 0 0 0 0",
        "EU868, 10, 1 0 0 0 0 0",
        "EU868, 11, 2 1 0 0 0 0",

        "US915, 0,  10 9 8 8",
        "US915, 1,  11 10 9 8",
        "US915, 2,  12 11 10 9",
        "US915, 3,  13 12 11 10",
        "US915, 4,  13 13 12 11",
        "US915, 5,  10 9 8 8",
        "US915, 6,  11 10 9 8",

        "CN470, 0,  0 0 0 0 0 0",
        "CN470, 1,  1 0 0 0 0 0",
        "CN470, 2,  2 1 0 0 0 0",
        "CN470, 3,  3 2 1 0 0 0",
        "CN470, 4,  4 3 2 1 0 0",
        "CN470, 5,  5 4 3 2 1 0",

        "AS923, 0,  0 0 0 0 0 0 1 2",
        "AS923, 1,  1 0 0 0 0 0 2 3",
        "AS923, 2,  2 1 0 0 0 0 3 4",
        "AS923, 3,  3 2 1 0 0 0 4 5",
        "AS923, 4,  4 3 2 1 0 0 5 6",
        "AS923, 5,  5 4 3 2 1 0 6 7",
        "AS923, 6,  6 5 4 3 2 1 7 7",
        "AS923, 7,  7 6 5 4 3 2 7 7",
        "AS923-2, 5, 5 4 3 2 1 0 6 7",
        "AS923-3, 0, 0 0 0 0 0 0 1 2",
        "AS923-4, 7, 7 6 5 4 3 2 7 7",

        "AU915, 0,  8 8 8 8 8 8",
        "AU915, 1,  9 8 8 8 8 8",
        "AU915, 2,  10 9 8 8 8 8",
        "AU915, 3,  11 10 9 8 8 8",
        "AU915, 4,  12 11 10 9 8 8",
        "AU915, 5,  13 12 11 10 9 8",
        "AU915, 6,  13 13 12 11 10 9",
        "AU915, 7,  9 8 8 8 8 8",

        "IN865, 0,  0 0 0 0 0 0 1 2",
        "IN865, 1,  1 0 0 0 0 0 2 3",
        "IN865, 2,  2 1 0 0 0 0 3 4",
        "IN865, 3,  3 2 1 0 0 0 4 5",
        "IN865, 4,  4 3 2 1 0 0 5 5",
        "IN865, 5,  5 4 3 2 1 0 5 7",
        "IN865, 7,  7 5 5 4 3 2 7 7",

        "KR920, 0,  0 0 0 0 0 0",
        "KR920, 1,  1 0 0 0 0 0",
        "KR920, 2,  2 1 0 0 0 0",
        "KR920, 3,  3 2 1 0 0 0",
        "KR920, 4,  4 3 2 1 0 0",
        "KR920, 5,  5 4 3 2 1 0",
    })
    void rx1DataRateTableRow(String regionName, int uplinkDr, String expectedRow) {
        Region region = Region.byName(regionName);
        int[] expected = Arrays.stream(expectedRow.trim().split("\\s+")).mapToInt(Integer::parseInt).toArray();
        for (int offset = 0; offset < expected.length; offset++) {
            assertThat(region.rx1DataRate(uplinkDr, offset))
                    .as("%s uplink DR%d RX1DROffset %d", regionName, uplinkDr, offset)
                    .isEqualTo(expected[offset]);
        }
        int tooBig = expected.length;
        assertThatThrownBy(() -> region.rx1DataRate(uplinkDr, tooBig))
                .isInstanceOf(LorawanFormatException.class)
                .hasMessageContaining("RX1DROffset " + tooBig + " out of range 0.." + (tooBig - 1));
    }

    @ParameterizedTest(name = "AS923 DownlinkDwellTime=1 uplink DR{0} -> RX1 [{1}]")
    @CsvSource({
        "0, 2 2 2 2 2 2 2 2",
        "1, 2 2 2 2 2 2 2 3",
        "2, 2 2 2 2 2 2 3 4",
        "3, 3 2 2 2 2 2 4 5",
        "4, 4 3 2 2 2 2 5 6",
        "5, 5 4 3 2 2 2 6 7",
        "6, 6 5 4 3 2 2 7 7",
        "7, 7 6 5 4 3 2 7 7",
    })
    void as923WithDownlinkDwellTime(int uplinkDr, String expectedRow) {
        int[] expected = Arrays.stream(expectedRow.split(" ")).mapToInt(Integer::parseInt).toArray();
        for (As923 region : new As923[] {As923.AS923_1, As923.AS923_2, As923.AS923_3, As923.AS923_4}) {
            for (int offset = 0; offset < expected.length; offset++) {
                assertThat(region.rx1DataRate(uplinkDr, offset, true))
                        .as("%s DR%d offset %d dwell 1", region, uplinkDr, offset).isEqualTo(expected[offset]);
                assertThat(region.rx1DataRate(uplinkDr, offset, false))
                        .as("dwell time 0 is the default").isEqualTo(region.rx1DataRate(uplinkDr, offset));
            }
        }
    }

    @ParameterizedTest(name = "{0}: uplink DR{1} has no RX1 mapping")
    @CsvSource({
        "EU868, 12", "EU868, -1",
        "US915, 7", "US915, 8", "US915, 13",  // RFU and downlink-only
        "CN470, 6",
        "AS923, 8",
        "AU915, 8", "AU915, 13",
        "IN865, 6",                             // RFU
        "KR920, 6",
    })
    void undefinedUplinkDataRatesAreRejected(String regionName, int uplinkDr) {
        assertThatThrownBy(() -> Region.byName(regionName).rx1DataRate(uplinkDr, 0))
                .isInstanceOf(LorawanFormatException.class)
                .hasMessageContaining(regionName + ": DR" + uplinkDr + " is not an uplink data rate");
    }

    @ParameterizedTest(name = "{0}: negative RX1DROffset is rejected")
    @MethodSource("io.lorafab.lorawan.region.RegionLookupTest#regions")
    void negativeOffsetIsRejected(Region region) {
        assertThatThrownBy(() -> region.rx1DataRate(0, -1))
                .isInstanceOf(LorawanFormatException.class)
                .hasMessageContaining("RX1DROffset -1 out of range");
    }

    @ParameterizedTest(name = "{0}: every uplink data rate has an RX1 row yielding a defined data rate")
    @MethodSource("io.lorafab.lorawan.region.RegionLookupTest#regions")
    void everyUplinkDataRateMapsToADefinedDownlinkDataRate(Region region) {
        for (DataRate dr : region.dataRates()) {
            if (dr.index() > region.maxUplinkDataRate()) {
                continue;
            }
            int[] row = region.rx1DataRateTable()[dr.index()];
            assertThat(row).as("%s DR%d row", region, dr.index()).isNotNull();
            for (int offset = 0; offset < row.length; offset++) {
                DataRate rx1 = region.dataRate(region.rx1DataRate(dr.index(), offset));
                assertThat(rx1.modulation()).as("%s RX1 for DR%d", region, dr.index()).isNotEqualTo(Modulation.LR_FHSS);
            }
        }
    }
}
