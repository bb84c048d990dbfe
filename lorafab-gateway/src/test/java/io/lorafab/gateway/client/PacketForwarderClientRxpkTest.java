package io.lorafab.gateway.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.gateway.semtech.Rxpk;
import io.lorafab.gateway.semtech.SemtechCodec;
import io.lorafab.gateway.semtech.SemtechPacket;
import io.lorafab.gateway.semtech.Token;
import io.lorafab.lorawan.types.Eui64;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The metadata a simulated forwarder reports with each uplink, as it goes on the wire. */
class PacketForwarderClientRxpkTest {

    static final byte[] PHY = {0x40, 1, 2, 3, 4, 0, 0, 0, 0, 1, 2, 3, 4};

    /** The JSON of a PUSH_DATA carrying {@code r}. */
    static String wire(Rxpk r) {
        byte[] d = SemtechCodec.encode(new SemtechPacket.PushData(Token.fromLe(1), Eui64.of(1), List.of(r), Optional.empty()));
        return new String(d, 12, d.length - 12, StandardCharsets.UTF_8);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        // case,                                  frequency,  chan, rfch
        "default channel 868.1 MHz,               868100000,  0,    1",
        "default channel 868.3 MHz,               868300000,  1,    1",
        "default channel 868.5 MHz,               868500000,  2,    1",
        "CFList channel 867.1 MHz on radio 0,     867100000,  3,    0",
        "CFList channel 867.9 MHz on radio 0,     867900000,  7,    0",
    })
    void chanAndRfchFollowTheDefaultChannelPlan(String name, long frequencyHz, int chan, int rfch) {
        Rxpk r = PacketForwarderClient.rxpk(PHY, 1000, frequencyHz, 7, -60, 9.0);
        assertThat(r.chan()).isEqualTo(chan);
        assertThat(r.rfch()).isEqualTo(rfch);
        assertThat(wire(r)).contains("\"chan\":" + chan).contains("\"rfch\":" + rfch);
        assertThat(SemtechCodec.decode(SemtechCodec.encode(new SemtechPacket.PushData(Token.fromLe(1), Eui64.of(1), List.of(r),
                Optional.empty())))).isInstanceOfSatisfying(SemtechPacket.PushData.class, p -> assertThat(p.rxpk()).containsExactly(r));
    }

    @Test
    void aFrequencyOffThePlanIsRefused() {
        assertThatThrownBy(() -> PacketForwarderClient.rxpk(PHY, 1000, 868_200_000L, 7, -60, 9.0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("868200000");
    }

    @Test
    void timeAndTmmsAreReportedWhenGiven() {
        Instant t = Instant.parse("2026-12-02T18:00:00.123456Z");
        Rxpk r = PacketForwarderClient.rxpk(PHY, 1000, Optional.of(t), Optional.of(1_448_650_818_123L), 868_300_000L, 7, -60, 9.0);
        assertThat(wire(r)).contains("\"time\":\"2026-12-02T18:00:00.123456Z\"").contains("\"tmms\":1448650818123");
    }

    @Test
    void withoutAClockSourceNeitherTimeNorTmmsIsSent() {
        assertThat(wire(PacketForwarderClient.rxpk(PHY, 1000, 868_100_000L, 7, -60, 9.0))).doesNotContain("\"time\"")
                .doesNotContain("tmms");
    }
}
