package io.lorafab.gateway;

import static io.lorafab.gateway.Fixtures.GW1;
import static io.lorafab.gateway.Fixtures.GW2;
import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.gateway.semtech.Txpk;
import io.lorafab.lorawan.region.Eu868;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.Eui64;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The plan of each gateway's one transmitter, in virtual concentrator time: join-requests heard at given counter
 * values on given gateways, and the window each join-accept is planned for ("-" for none: the device tries again).
 */
class TransmitterPlanTest {
    private static final Region EU = Eu868.INSTANCE;
    /** A join-accept with a CFList: 33 bytes. */
    private static final byte[] ACCEPT = Fixtures.bytes(0x20, 33);

    /** A join-request heard by {@code gw} at counter {@code tmst} at SF7 (answered at SF7 in RX1, SF12 in RX2). */
    record Join(Eui64 gw, long tmst) {
    }

    static Stream<Arguments> joins() {
        return Stream.of(
                Arguments.of("one join: RX1", List.of(new Join(GW1, 1_000_000)), List.of("RX1")),
                Arguments.of("two joins at the same moment on one gateway: one RX1, one RX2",
                        List.of(new Join(GW1, 1_000_000), new Join(GW1, 1_000_000)), List.of("RX1", "RX2")),
                Arguments.of("three at the same moment: the third is not scheduled",
                        List.of(new Join(GW1, 1_000_000), new Join(GW1, 1_000_000), new Join(GW1, 1_000_000)),
                        List.of("RX1", "RX2", "-")),
                Arguments.of("different gateways are independent",
                        List.of(new Join(GW1, 1_000_000), new Join(GW2, 1_000_000), new Join(GW1, 1_000_000), new Join(GW2, 1_000_000)),
                        List.of("RX1", "RX1", "RX2", "RX2")),
                Arguments.of("20 ms apart: RX1 of the first is still on air (SF7, 33 bytes: 72 ms + 50 ms guard)",
                        List.of(new Join(GW1, 1_000_000), new Join(GW1, 1_020_000)), List.of("RX1", "RX2")),
                Arguments.of("150 ms apart: both fit in RX1",
                        List.of(new Join(GW1, 1_000_000), new Join(GW1, 1_150_000)), List.of("RX1", "RX1")),
                Arguments.of("RX1 of a join one second later falls into the first's RX2 (SF12: 1.8 s): RX2",
                        List.of(new Join(GW1, 1_000_000), new Join(GW1, 1_000_000), new Join(GW1, 2_000_000)),
                        List.of("RX1", "RX2", "-")),
                Arguments.of("after the first's windows have passed, the counter has moved on: RX1 again",
                        List.of(new Join(GW1, 1_000_000), new Join(GW1, 1_000_000), new Join(GW1, 9_000_000)),
                        List.of("RX1", "RX2", "RX1")),
                Arguments.of("across the counter's wrap (2^32 µs)",
                        List.of(new Join(GW1, 0xFFFF_FFFFL - 5_000_000L), new Join(GW1, 0xFFFF_FFFFL - 5_000_000L)),
                        List.of("RX1", "RX2")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("joins")
    void eachJoinAcceptTakesTheFirstFreeWindowOfItsGateway(String name, List<Join> joins, List<String> windows) {
        TransmitterPlan plan = new TransmitterPlan();
        List<String> got = new ArrayList<>();
        for (Join j : joins) {
            RxInfo rx = RxInfo.lora(j.gw(), j.tmst(), 868_100_000L, 7, 125_000, "4/5", -60, 9.0, 0, 0, Optional.empty());
            Txpk rx1 = DownlinkPlanner.joinAcceptRx1(EU, rx, ACCEPT, 0);
            Txpk rx2 = DownlinkPlanner.joinAcceptRx2(EU, rx, ACCEPT);
            got.add(plan.reserve(j.gw(), j.tmst(), rx1, rx2).map(Enum::name).orElse("-"));
        }
        assertThat(got).isEqualTo(windows);
    }

    @Test
    void aReleasedWindowIsFreeAgainAndANotScheduledJoinTakesNothing() {
        TransmitterPlan plan = new TransmitterPlan();
        RxInfo rx = RxInfo.lora(GW1, 1_000_000, 868_100_000L, 7, 125_000, "4/5", -60, 9.0, 0, 0, Optional.empty());
        Txpk rx1 = DownlinkPlanner.joinAcceptRx1(EU, rx, ACCEPT, 0);
        Txpk rx2 = DownlinkPlanner.joinAcceptRx2(EU, rx, ACCEPT);
        assertThat(plan.reserve(GW1, 1_000_000, rx1, rx2)).contains(RxWindow.RX1);
        assertThat(plan.reserve(GW1, 1_000_000, rx1, rx2)).contains(RxWindow.RX2);
        assertThat(plan.reserve(GW1, 1_000_000, rx1, rx2)).isEmpty();
        assertThat(plan.planned(GW1)).hasSize(2);
        plan.release(GW1, rx1); // the gateway refused it after all
        assertThat(plan.reserve(GW1, 1_000_000, rx1, rx2)).contains(RxWindow.RX1);
    }

    @Test
    void airtimeOfAJoinAcceptIsTheModemFormulasWithItsCrc() {
        RxInfo rx = RxInfo.lora(GW1, 1_000_000, 868_100_000L, 7, 125_000, "4/5", -60, 9.0, 0, 0, Optional.empty());
        // 33 bytes at SF7/125 kHz: 8 + ceil((264 - 28 + 28 + 16) / 28) * 5 = 58 symbols + 12.25 = 70.25 x 1.024 ms
        assertThat(TransmitterPlan.airtimeMicros(DownlinkPlanner.joinAcceptRx1(EU, rx, ACCEPT, 0))).isEqualTo(71_936);
        // SF12 (RX2 in EU868), low-data-rate optimisation: 8 + ceil(260 / 40) * 5 = 43 symbols + 12.25 = 55.25 x 32.768 ms
        assertThat(TransmitterPlan.airtimeMicros(DownlinkPlanner.joinAcceptRx2(EU, rx, ACCEPT))).isEqualTo(1_810_432);
    }
}
