package io.lorafab.lorawan.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.lorawan.LorawanFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The data-rate tables, written out like the regional parameters' tables. */
class DataRateTableTest {

    @ParameterizedTest(name = "{0} DR{1} = {2}")
    @CsvSource({
        // region, DR, datr, modulation, bit rate
        "EU868, 0,  SF12BW125, LORA,    250",
        "EU868, 1,  SF11BW125, LORA,    440",
        "EU868, 2,  SF10BW125, LORA,    980",
        "EU868, 3,  SF9BW125,  LORA,    1760",
        "EU868, 4,  SF8BW125,  LORA,    3125",
        "EU868, 5,  SF7BW125,  LORA,    5470",
        "EU868, 6,  SF7BW250,  LORA,    11000",
        "EU868, 7,  50000,     FSK,     50000",
        "EU868, 8,  M0CW137,   LR_FHSS, 162",
        "EU868, 9,  M0CW137,   LR_FHSS, 325",
        "EU868, 10, M0CW336,   LR_FHSS, 162",
        "EU868, 11, M0CW336,   LR_FHSS, 325",
        "US915, 0,  SF10BW125, LORA,    980",
        "US915, 1,  SF9BW125,  LORA,    1760",
        "US915, 2,  SF8BW125,  LORA,    3125",
        "US915, 3,  SF7BW125,  LORA,    5470",
        "US915, 4,  SF8BW500,  LORA,    12500",
        "US915, 5,  M0CW1523,  LR_FHSS, 162",
        "US915, 6,  M0CW1523,  LR_FHSS, 325",
        "US915, 8,  SF12BW500, LORA,    980",
        "US915, 9,  SF11BW500, LORA,    1760",
        "US915, 10, SF10BW500, LORA,    3900",
        "US915, 11, SF9BW500,  LORA,    7000",
        "US915, 12, SF8BW500,  LORA,    12500",
        "US915, 13, SF7BW500,  LORA,    21900",
        "CN470, 0,  SF12BW125, LORA,    250",
        "CN470, 5,  SF7BW125,  LORA,    5470",
        "AS923, 0,  SF12BW125, LORA,    250",
        "AS923, 2,  SF10BW125, LORA,    980",
        "AS923, 5,  SF7BW125,  LORA,    5470",
        "AS923, 6,  SF7BW250,  LORA,    11000",
        "AS923, 7,  50000,     FSK,     50000",
        "AS923-3, 6, SF7BW250, LORA,    11000",
        "AU915, 0,  SF12BW125, LORA,    250",
        "AU915, 5,  SF7BW125,  LORA,    5470",
        "AU915, 6,  SF8BW500,  LORA,    12500",
        "AU915, 7,  M0CW1523,  LR_FHSS, 162",
        "AU915, 8,  SF12BW500, LORA,    980",
        "AU915, 13, SF7BW500,  LORA,    21900",
        "IN865, 0,  SF12BW125, LORA,    250",
        "IN865, 5,  SF7BW125,  LORA,    5470",
        "IN865, 7,  50000,     FSK,     50000",
        "KR920, 0,  SF12BW125, LORA,    250",
        "KR920, 5,  SF7BW125,  LORA,    5470",
    })
    void dataRates(String region, int dr, String datr, Modulation modulation, int bitRate) {
        DataRate d = Region.byName(region).dataRate(dr);
        assertThat(d.index()).isEqualTo(dr);
        assertThat(d.datr()).isEqualTo(datr);
        assertThat(d.modulation()).isEqualTo(modulation);
        assertThat(d.bitRate()).isEqualTo(bitRate);
    }

    @ParameterizedTest(name = "{0} DR{1} is not defined")
    @CsvSource({
        "EU868, 12", "EU868, 15", "EU868, -1",
        "US915, 7", "US915, 14", "US915, 16",
        "CN470, 6", "CN470, 7",
        "AS923, 8",
        "AU915, 14",
        "IN865, 6", "IN865, 8",
        "KR920, 6",
    })
    void undefinedDataRatesAreRejected(String region, int dr) {
        assertThatThrownBy(() -> Region.byName(region).dataRate(dr))
                .isInstanceOf(LorawanFormatException.class)
                .hasMessageContaining(region)
                .hasMessageContaining("DR" + dr + " is not defined");
    }

    @ParameterizedTest(name = "{0}: every table row sits at its own index")
    @MethodSource("io.lorafab.lorawan.region.RegionLookupTest#regions")
    void tableIndicesMatchPositions(Region region) {
        DataRate[] table = region.dataRateTable();
        for (int i = 0; i < table.length; i++) {
            if (table[i] != null) {
                assertThat(table[i].index()).as("%s DR%d", region, i).isEqualTo(i);
            }
        }
        assertThat(region.dataRates()).isNotEmpty().allSatisfy(d -> assertThat(region.dataRate(d.index())).isEqualTo(d));
    }

    @ParameterizedTest(name = "{0} uplink SF{1} BW{2} = DR{3}")
    @CsvSource({
        "EU868, 12, 125000, 0",
        "EU868, 7,  125000, 5",
        "EU868, 7,  250000, 6",
        "US915, 10, 125000, 0",
        "US915, 7,  125000, 3",
        "US915, 8,  500000, 4",
        "CN470, 12, 125000, 0",
        "CN470, 7,  125000, 5",
        "AS923, 10, 125000, 2",
        "AS923, 7,  250000, 6",
        "AS923-4, 9, 125000, 3",
        "AU915, 12, 125000, 0",
        "AU915, 7,  125000, 5",
        "AU915, 8,  500000, 6",
        "IN865, 12, 125000, 0",
        "IN865, 7,  125000, 5",
        "KR920, 8,  125000, 4",
    })
    void uplinkDataRateOfAReceivedLoRaPacket(String region, int sf, int bw, int dr) {
        assertThat(Region.byName(region).uplinkDataRate(sf, bw)).isEqualTo(dr);
    }

    @ParameterizedTest(name = "{0} has no uplink SF{1} BW{2}")
    @CsvSource({
        "US915, 12, 500000",  // downlink-only DR8
        "US915, 7,  500000",  // downlink-only DR13
        "US915, 12, 125000",
        "US915, 11, 125000",
        "AU915, 12, 500000",  // downlink-only DR8
        "AU915, 7,  500000",
        "EU868, 7,  500000",
        "CN470, 7,  250000",
        "KR920, 7,  250000",
        "IN865, 7,  250000",  // DR6 is RFU in IN865
        "EU868, 6,  125000",
    })
    void uplinkDataRateRejectsWhatTheRegionDoesNotHave(String region, int sf, int bw) {
        assertThatThrownBy(() -> Region.byName(region).uplinkDataRate(sf, bw))
                .isInstanceOf(LorawanFormatException.class)
                .hasMessageContaining(region)
                .hasMessageContaining("no uplink data rate for LoRa SF" + sf);
    }

    @ParameterizedTest(name = "{0} datr \"{1}\" = DR{2}")
    @CsvSource({
        "EU868, SF12BW125, 0",
        "EU868, SF7BW250,  6",
        "EU868, sf9bw125,  3",
        "EU868, 50000,     7",
        "US915, SF10BW125, 0",
        "US915, SF8BW500,  4",
        "AS923, 50000,     7",
        "IN865, 50000,     7",
        "AU915, SF8BW500,  6",
    })
    void uplinkDataRateFromDatr(String region, String datr, int dr) {
        assertThat(Region.byName(region).uplinkDataRate(datr)).isEqualTo(dr);
    }

    @ParameterizedTest(name = "{0} datr \"{1}\" is rejected: {2}")
    @CsvSource({
        "EU868, SF12,      malformed",
        "EU868, SFxBW125,  malformed",
        "EU868, BW125,     malformed",
        "EU868, M0CW137,   coding rate",
        "US915, SF12BW500, no uplink data rate",
        "US915, 50000,     no uplink FSK",
        "KR920, 50000,     no uplink FSK",
        "EU868, '',        missing datr",
        "EU868, SF\u0667BW125, malformed",
        "EU868, SF+7BW125, malformed",
        "EU868, SF7BW\uff11\uff12\uff15, malformed",
        "EU868, \u0665\u0660\u0660\u0660\u0660, malformed",
        "EU868, +50000,    malformed",
        "EU868, SF7BW9999999, malformed",
    })
    void badDatrIsRejected(String region, String datr, String message) {
        assertThatThrownBy(() -> Region.byName(region).uplinkDataRate(datr))
                .isInstanceOf(LorawanFormatException.class)
                .hasMessageContaining(message);
    }

    @Test
    void dataRateRecordValidatesItsParameters() {
        assertThatThrownBy(() -> new DataRate(16, Modulation.LORA, 7, 125_000, 5470))
                .isInstanceOf(LorawanFormatException.class).hasMessageContaining("0..15");
        assertThatThrownBy(() -> new DataRate(0, Modulation.LORA, 13, 125_000, 250))
                .isInstanceOf(LorawanFormatException.class).hasMessageContaining("bad LoRa parameters");
        assertThatThrownBy(() -> new DataRate(7, Modulation.FSK, 7, 0, 50_000))
                .isInstanceOf(LorawanFormatException.class).hasMessageContaining("FSK");
        assertThatThrownBy(() -> new DataRate(8, Modulation.LR_FHSS, 0, 0, 162))
                .isInstanceOf(LorawanFormatException.class).hasMessageContaining("operating channel width");
        assertThat(new DataRate(3, Modulation.LORA, 9, 125_000, 1760)).hasToString("DR3(SF9BW125)");
    }
}
