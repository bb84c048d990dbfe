package io.lorafab.lorawan.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.lorawan.LorawanFormatException;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Time on air by the SX127x modem formula: 8 preamble symbols + 4.25, then 8 + ceil((8·PL − 4·SF + 28 + 16·CRC) /
 * (4·(SF − 2·DE))) · 5 payload symbols (CR 4/5, explicit header), DE when a symbol lasts 16 ms or more.
 */
class AirtimeTest {

    @ParameterizedTest(name = "{0} bytes SF{1} BW{2} CRC {3}: {4} µs")
    @CsvSource({
            // join-request (23 bytes), as uplinks carry it: with the CRC
            "23,  7, 125000, true,    61696",
            "23, 12, 125000, true,  1482752",
            // join-accept without CFList (17 bytes), as downlinks carry it: no CRC, one block less at SF7
            "17,  7, 125000, false,   46336",
            "17,  7, 125000, true,    51456",
            // join-accept with CFList (33 bytes) in EU868 RX2 (SF12, low-data-rate optimisation)
            "33, 12, 125000, true,  1810432",
            // SF7 at 250 kHz (EU868 DR6): half the symbol time
            "23,  7, 250000, true,    30848",
    })
    void loraTimeOnAir(int bytes, int sf, int bw, boolean crc, long micros) {
        assertThat(Airtime.lora(bytes, sf, bw, crc)).isEqualTo(Duration.ofNanos(micros * 1_000));
    }

    @Test
    void fskCountsPreambleSyncLengthAndCrcBytes() {
        // (33 + 11) bytes × 8 bits at 50 kbit/s
        assertThat(Airtime.fsk(33, 50_000)).isEqualTo(Duration.ofNanos(7_040_000));
        assertThat(Airtime.of(Region.byName("EU868").dataRate(7), 33, false)).isEqualTo(Duration.ofNanos(7_040_000));
    }

    @Test
    void outOfRangeInputIsATypedError() {
        assertThatThrownBy(() -> Airtime.lora(23, 13, 125_000, true)).isInstanceOf(LorawanFormatException.class)
                .hasMessageContaining("SF 5..12");
        assertThatThrownBy(() -> Airtime.lora(256, 7, 125_000, true)).isInstanceOf(LorawanFormatException.class);
        assertThatThrownBy(() -> Airtime.fsk(10, 0)).isInstanceOf(LorawanFormatException.class);
    }
}
