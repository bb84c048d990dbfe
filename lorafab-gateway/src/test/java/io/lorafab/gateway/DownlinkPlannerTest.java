package io.lorafab.gateway;

import static io.lorafab.gateway.Fixtures.GW1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.gateway.semtech.CodingRate;
import io.lorafab.gateway.semtech.DataRate;
import io.lorafab.gateway.semtech.Txpk;
import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.region.Eu868;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.region.Us915;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DownlinkPlannerTest {
    private static final byte[] PAYLOAD = Fixtures.bytes(0x20, 17);

    static RxInfo uplink(long tmst, long frequencyHz, int sf, int bwKhz) {
        return RxInfo.lora(GW1, tmst, frequencyHz, sf, bwKhz * 1000, "4/5", -90, 7.5, 0, 0, Optional.empty());
    }

    /**
     * region, uplink MHz-Hz, SF, BW kHz, tmst, RX1DROffset | RX1 Hz, datr, power, tmst | RX2 Hz, datr, power, tmst.
     */
    @ParameterizedTest(name = "{0} {1} Hz SF{2}BW{3} tmst {4} offset {5}")
    @CsvSource({
        // EU868: RX1 on the uplink frequency and DR; RX2 869.525 MHz DR0 (SF12BW125) at 27 dBm.
        "EU868, 868100000,  7, 125, 1000000,    0, 868100000, SF7BW125,  14, 6000000, 869525000, SF12BW125, 27, 7000000",
        "EU868, 868500000, 12, 125, 42,         0, 868500000, SF12BW125, 14, 5000042, 869525000, SF12BW125, 27, 6000042",
        "EU868, 867100000,  7, 125, 0,          2, 867100000, SF9BW125,  14, 5000000, 869525000, SF12BW125, 27, 6000000",
        "EU868, 868300000,  7, 250, 0,          0, 868300000, SF7BW250,  14, 5000000, 869525000, SF12BW125, 27, 6000000",
        // US915 channel 8 (903.9 MHz) DR0 -> RX1 channel 0 (923.3 MHz) DR10; RX2 923.3 MHz DR8 (SF12BW500).
        "US915, 903900000, 10, 125, 1000000,    0, 923300000, SF10BW500, 20, 6000000, 923300000, SF12BW500, 20, 7000000",
        // US915 channel 13 (904.9 MHz) DR3 -> RX1 channel 5 (926.3 MHz) DR13.
        "US915, 904900000,  7, 125, 1000000,    0, 926300000, SF7BW500,  20, 6000000, 923300000, SF12BW500, 20, 7000000",
        // US915 500 kHz channel 65 (904.6 MHz) DR4 -> RX1 channel 1 (923.9 MHz) DR13, offset 1 -> DR13.
        "US915, 904600000,  8, 500, 1000000,    1, 923900000, SF7BW500,  20, 6000000, 923300000, SF12BW500, 20, 7000000",
        // tmst wrap-around: 2^32 - 1 - 1 s + 5 s.
        "EU868, 868100000,  7, 125, 4293967295, 0, 868100000, SF7BW125,  14, 3999999, 869525000, SF12BW125, 27, 4999999",
        "EU868, 868100000,  7, 125, 4294967295, 0, 868100000, SF7BW125,  14, 4999999, 869525000, SF12BW125, 27, 5999999",
    })
    void joinAcceptWindows(String regionName, long upHz, int sf, int bwKhz, long tmst, int offset, long rx1Hz,
            String rx1Datr, int rx1Power, long rx1Tmst, long rx2Hz, String rx2Datr, int rx2Power, long rx2Tmst) {
        Region region = Region.byName(regionName);
        RxInfo rx = uplink(tmst, upHz, sf, bwKhz);

        Txpk rx1 = DownlinkPlanner.joinAcceptRx1(region, rx, PAYLOAD, offset);
        Txpk rx2 = DownlinkPlanner.joinAcceptRx2(region, rx, PAYLOAD);

        assertDownlink(rx1, rx1Tmst, rx1Hz, rx1Datr, rx1Power);
        assertDownlink(rx2, rx2Tmst, rx2Hz, rx2Datr, rx2Power);
    }

    private static void assertDownlink(Txpk t, long tmst, long hz, String datr, int power) {
        assertThat(t.immediate()).isFalse();
        assertThat(t.tmst()).contains(tmst);
        assertThat(t.tmms()).isEmpty();
        assertThat(t.frequencyHz()).isEqualTo(hz);
        assertThat(((DataRate.Lora) t.dataRate()).datr()).isEqualTo(datr);
        assertThat(t.power()).contains(power);
        assertThat(t.codingRate()).contains(CodingRate.CR_4_5);
        assertThat(t.invertPolarity()).isTrue();
        assertThat(t.noCrc()).isTrue();
        assertThat(t.rfch()).isZero();
        assertThat(t.data()).isEqualTo(PAYLOAD);
    }

    @Test
    void dataDownlinksUseTheReceiveDelays() {
        RxInfo rx = uplink(4_294_000_000L, 868_100_000L, 9, 125);

        Txpk rx1 = DownlinkPlanner.dataDownRx1(Eu868.INSTANCE, rx, PAYLOAD, 1);
        Txpk rx2 = DownlinkPlanner.dataDownRx2(Eu868.INSTANCE, rx, PAYLOAD);
        Txpk rx2Custom = DownlinkPlanner.dataDownRx2(Eu868.INSTANCE, rx, PAYLOAD, 3, 869_525_000L);

        assertDownlink(rx1, 32_704L, 868_100_000L, "SF10BW125", 14);   // 4294000000 + 1e6 - 2^32
        assertDownlink(rx2, 1_032_704L, 869_525_000L, "SF12BW125", 27);
        assertDownlink(rx2Custom, 1_032_704L, 869_525_000L, "SF9BW125", 27);
    }

    @Test
    void anExplicitRxDelay() {
        RxInfo rx = uplink(0, 868_100_000L, 7, 125);
        assertThat(DownlinkPlanner.rx1(Eu868.INSTANCE, rx, PAYLOAD, Duration.ofSeconds(15), 0).tmst())
                .contains(15_000_000L);
        assertThat(DownlinkPlanner.tmstAfter(rx, Duration.ofMillis(1500))).isEqualTo(1_500_000L);
    }

    @Test
    void anFskRx2IsAnFskTxpk() {
        Txpk t = DownlinkPlanner.dataDownRx2(Eu868.INSTANCE, uplink(0, 868_100_000L, 7, 125), PAYLOAD, 7,
                869_525_000L);
        assertThat(t.dataRate()).isEqualTo(new DataRate.Fsk(50_000));
        assertThat(t.fdev()).contains(25_000);
        assertThat(t.codingRate()).isEmpty();
        assertThat(t.invertPolarity()).isFalse();
        assertThat(t.noCrc()).isFalse();
    }

    @Test
    void invalidInputRaisesLorawanFormatException() {
        RxInfo eu = uplink(0, 868_100_000L, 7, 125);
        // SF7BW500 is no EU868 uplink data rate.
        assertThatThrownBy(() -> DownlinkPlanner.joinAcceptRx1(Eu868.INSTANCE, uplink(0, 868_100_000L, 7, 500),
                PAYLOAD, 0)).isInstanceOf(LorawanFormatException.class).hasMessageContaining("SF7");
        // RX1DROffset out of range.
        assertThatThrownBy(() -> DownlinkPlanner.joinAcceptRx1(Eu868.INSTANCE, eu, PAYLOAD, 6))
                .isInstanceOf(LorawanFormatException.class).hasMessageContaining("RX1DROffset");
        // Not a US915 uplink channel.
        assertThatThrownBy(() -> DownlinkPlanner.joinAcceptRx1(Us915.INSTANCE, uplink(0, 903_950_000L, 10, 125),
                PAYLOAD, 0)).isInstanceOf(LorawanFormatException.class);
        // Outside the EU868 band.
        assertThatThrownBy(() -> DownlinkPlanner.joinAcceptRx1(Eu868.INSTANCE, uplink(0, 915_000_000L, 7, 125),
                PAYLOAD, 0)).isInstanceOf(LorawanFormatException.class);
        // LR-FHSS has no downlink; DR15 is undefined.
        assertThatThrownBy(() -> DownlinkPlanner.dataDownRx2(Eu868.INSTANCE, eu, PAYLOAD, 8, 869_525_000L))
                .isInstanceOf(LorawanFormatException.class).hasMessageContaining("LR-FHSS");
        assertThatThrownBy(() -> DownlinkPlanner.dataDownRx2(Eu868.INSTANCE, eu, PAYLOAD, 15, 869_525_000L))
                .isInstanceOf(LorawanFormatException.class);
        // A payload too long for a txpk, a negative delay.
        assertThatThrownBy(() -> DownlinkPlanner.joinAcceptRx2(Eu868.INSTANCE, eu, new byte[70_000]))
                .isInstanceOf(LorawanFormatException.class);
        assertThatThrownBy(() -> DownlinkPlanner.rx1(Eu868.INSTANCE, eu, PAYLOAD, Duration.ofSeconds(-1), 0))
                .isInstanceOf(LorawanFormatException.class);
    }
}
