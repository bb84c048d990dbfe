package io.lorafab.gateway;

import static io.lorafab.gateway.Fixtures.GW1;
import static io.lorafab.gateway.Fixtures.GW2;
import static io.lorafab.gateway.Fixtures.JOIN_REQUEST;
import static io.lorafab.gateway.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.gateway.semtech.Token;
import io.lorafab.gateway.semtech.TxAckError;
import io.lorafab.gateway.semtech.Txpk;
import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.region.Eu868;
import io.lorafab.lorawan.types.Eui64;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Deterministic: an in-process connector whose sends the test answers. */
class JoinAcceptSchedulerTest {
    private static final byte[] JOIN_ACCEPT = Fixtures.bytes(0x20, 17);

    private final FakeConnector connector = new FakeConnector();
    private final JoinAcceptScheduler scheduler = new JoinAcceptScheduler(connector);

    /** A simulated connector: records sends and answers them with queued results. */
    static final class FakeConnector implements GatewayConnector {
        final InMemoryGatewayRegistry registry = new InMemoryGatewayRegistry();
        final List<Eui64> sentTo = new ArrayList<>();
        final List<Txpk> sent = new ArrayList<>();
        final Deque<Object> answers = new ArrayDeque<>();

        @Override
        public void start(UplinkListener listener) {
        }

        @Override
        public CompletableFuture<TxResult> send(Eui64 gatewayEui, Txpk txpk) {
            sentTo.add(gatewayEui);
            sent.add(txpk);
            Object answer = answers.removeFirst();
            if (answer instanceof Throwable t) {
                return CompletableFuture.failedFuture(t);
            }
            if (answer == TxResult.Status.TIMEOUT) {
                return CompletableFuture.completedFuture(TxResult.timeout(gatewayEui, Token.of(0, 0)));
            }
            return CompletableFuture.completedFuture(TxResult.of(gatewayEui, Token.of(0, 0), (TxAckError) answer));
        }

        @Override
        public GatewayRegistry gateways() {
            return registry;
        }

        @Override
        public void close() {
        }
    }

    private Uplink joinRequest() {
        connector.registry.recordPullData(GW1, new InetSocketAddress("192.0.2.1", 1), T0);
        connector.registry.recordPullData(GW2, new InetSocketAddress("192.0.2.2", 1), T0);
        return new Uplink(JOIN_REQUEST, List.of(
                RxInfo.lora(GW1, 1_000_000L, 868_300_000L, 9, 125_000, "4/5", -90, 3.0, 0, 0, Optional.empty()),
                RxInfo.lora(GW2, 7_000_000L, 868_300_000L, 9, 125_000, "4/5", -80, 1.0, 0, 0, Optional.empty())),
                T0);
    }

    @Test
    void rx1AcceptedIsTheOnlySend() {
        connector.answers.add(TxAckError.NONE);

        DownlinkResult r = scheduler.scheduleJoinAccept(Eu868.INSTANCE, joinRequest(), JOIN_ACCEPT).join();

        assertThat(r.sent()).isTrue();
        assertThat(r.window()).contains(RxWindow.RX1);
        assertThat(r.gatewayEui()).isEqualTo(GW1);   // best SNR
        assertThat(r.attempts()).hasSize(1);
        assertThat(r.finalResult().accepted()).isTrue();
        assertThat(connector.sent).hasSize(1);
        Txpk rx1 = connector.sent.get(0);
        assertThat(rx1.tmst()).contains(6_000_000L);
        assertThat(rx1.frequencyHz()).isEqualTo(868_300_000L);
        assertThat(rx1.dataRate().toString()).isEqualTo("SF9BW125");
    }

    @ParameterizedTest
    @EnumSource(value = TxAckError.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void anyRx1ErrorFallsBackToRx2(TxAckError error) {
        connector.answers.add(error);
        connector.answers.add(TxAckError.NONE);

        DownlinkResult r = scheduler.scheduleJoinAccept(Eu868.INSTANCE, joinRequest(), JOIN_ACCEPT).join();

        assertThat(r.window()).contains(RxWindow.RX2);
        assertThat(r.attempts()).extracting(a -> a.result().error()).containsExactly(error, TxAckError.NONE);
        assertThat(connector.sentTo).containsExactly(GW1, GW1);
        Txpk rx2 = connector.sent.get(1);
        assertThat(rx2.tmst()).contains(7_000_000L);
        assertThat(rx2.frequencyHz()).isEqualTo(869_525_000L);
        assertThat(rx2.dataRate().toString()).isEqualTo("SF12BW125");
        assertThat(r.attempts().get(1).txpk()).isEqualTo(rx2);
    }

    @Test
    void aTimeoutFallsBackToRx2UnlessDisabled() {
        connector.answers.add(TxResult.Status.TIMEOUT);
        connector.answers.add(TxAckError.NONE);
        assertThat(scheduler.scheduleJoinAccept(Eu868.INSTANCE, joinRequest(), JOIN_ACCEPT).join().window())
                .contains(RxWindow.RX2);

        FakeConnector strict = new FakeConnector();
        strict.answers.add(TxResult.Status.TIMEOUT);
        strict.registry.recordPullData(GW1, new InetSocketAddress("192.0.2.1", 1), T0);
        DownlinkResult r = new JoinAcceptScheduler(strict, false)
                .scheduleJoinAccept(Eu868.INSTANCE, joinRequest(), JOIN_ACCEPT).join();
        assertThat(r.sent()).isFalse();
        assertThat(r.finalResult().status()).isEqualTo(TxResult.Status.TIMEOUT);
        assertThat(strict.sent).hasSize(1);
    }

    @Test
    void bothWindowsRefusedReportsTheLastError() {
        connector.answers.add(TxAckError.TOO_LATE);
        connector.answers.add(TxAckError.COLLISION_PACKET);

        DownlinkResult r = scheduler.scheduleJoinAccept(Eu868.INSTANCE, joinRequest(), JOIN_ACCEPT).join();

        assertThat(r.sent()).isFalse();
        assertThat(r.window()).isEmpty();
        assertThat(r.finalResult().error()).isEqualTo(TxAckError.COLLISION_PACKET);
        assertThat(r.attempts()).extracting(DownlinkAttempt::window).containsExactly(RxWindow.RX1, RxWindow.RX2);
    }

    @Test
    void anUnavailableGatewayFailsWithoutRx2() {
        connector.answers.add(new GatewayUnavailableException(GW1, "test"));

        CompletableFuture<DownlinkResult> f = scheduler.scheduleJoinAccept(Eu868.INSTANCE, joinRequest(),
                JOIN_ACCEPT);

        assertThatThrownBy(f::join).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(GatewayUnavailableException.class);
        assertThat(connector.sent).hasSize(1);
    }

    @Test
    void theBestReceptionWithADownlinkRouteIsChosen() {
        Uplink u = new Uplink(JOIN_REQUEST, List.of(Fixtures.rx(GW1, -50, 9.0), Fixtures.rx(GW2, -110, -5.0)), T0);
        InMemoryGatewayRegistry registry = new InMemoryGatewayRegistry();

        assertThat(JoinAcceptScheduler.chooseReception(u, registry).gatewayEui()).isEqualTo(GW1);
        registry.recordPushData(GW1, new InetSocketAddress("192.0.2.1", 1), T0, Optional.empty(), 1, 0);
        registry.recordPullData(GW2, new InetSocketAddress("192.0.2.2", 1), T0);
        assertThat(JoinAcceptScheduler.chooseReception(u, registry).gatewayEui()).isEqualTo(GW2);
        registry.recordPullData(GW1, new InetSocketAddress("192.0.2.1", 2), T0);
        assertThat(JoinAcceptScheduler.chooseReception(u, registry).gatewayEui()).isEqualTo(GW1);
    }

    @Test
    void invalidInputFailsBeforeAnythingIsSent() {
        Uplink u = new Uplink(JOIN_REQUEST, List.of(RxInfo.lora(GW1, 0, 868_100_000L, 7, 500_000, "4/5", -50, 5.0,
                0, 0, Optional.empty())), T0);
        assertThatThrownBy(() -> scheduler.scheduleJoinAccept(Eu868.INSTANCE, u, JOIN_ACCEPT))
                .isInstanceOf(LorawanFormatException.class);
        assertThat(connector.sent).isEmpty();
    }

    /**
     * The uplink arrived at T0 (GW1 reception tmst 1 s); the join-accept is ready {@code sinceUplinkMs} later, and
     * the forwarder needs it 200 ms before a window. RX1 opens 5 s after the uplink, RX2 6 s.
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource({
            "ready at once: RX1,                         0,    RX1, 6000000",
            "ready 4.8 s later: RX1 just met,            4800, RX1, 6000000",
            "ready 4.801 s later: RX1 missed so RX2 only, 4801, RX2, 7000000",
            "ready 5.8 s later: RX2 just met,            5800, RX2, 7000000"})
    void aWindowThatCannotBeMetIsNotTried(String name, long sinceUplinkMs, RxWindow window, long tmst) {
        connector.answers.add(TxAckError.NONE);
        java.time.Clock clock = java.time.Clock.fixed(T0.plusMillis(sinceUplinkMs), java.time.ZoneOffset.UTC);
        JoinAcceptScheduler timed = new JoinAcceptScheduler(connector, true, clock, java.time.Duration.ofMillis(200));

        DownlinkResult r = timed.scheduleJoinAccept(Eu868.INSTANCE, joinRequest(), JOIN_ACCEPT).join();

        assertThat(r.window()).contains(window);
        assertThat(r.attempts()).hasSize(1);
        assertThat(connector.sent).singleElement().satisfies(t -> assertThat(t.tmst()).contains(tmst));
    }

    @Test
    void bothWindowsPassedSendsNothingAndSaysWhy() {
        java.time.Clock clock = java.time.Clock.fixed(T0.plusMillis(5801), java.time.ZoneOffset.UTC);
        JoinAcceptScheduler timed = new JoinAcceptScheduler(connector, true, clock, java.time.Duration.ofMillis(200));

        CompletableFuture<DownlinkResult> f = timed.scheduleJoinAccept(Eu868.INSTANCE, joinRequest(), JOIN_ACCEPT);

        assertThatThrownBy(f::join).isInstanceOf(CompletionException.class).cause()
                .isInstanceOf(RxWindowsMissedException.class).hasMessageContaining("5801 ms since the uplink");
        assertThat(connector.sent).isEmpty();
    }

    @Test
    void withAPlanJoinsAtTheSameMomentGoOneInRx1OneInRx2AndTheThirdIsNotSent() {
        JoinAcceptScheduler planned = new JoinAcceptScheduler(connector, true, null, java.time.Duration.ZERO, new TransmitterPlan());
        connector.answers.add(TxAckError.NONE);
        connector.answers.add(TxAckError.NONE);

        DownlinkResult first = planned.scheduleJoinAccept(Eu868.INSTANCE, joinRequest(), JOIN_ACCEPT).join();
        DownlinkResult second = planned.scheduleJoinAccept(Eu868.INSTANCE, joinRequest(), JOIN_ACCEPT).join();
        CompletableFuture<DownlinkResult> third = planned.scheduleJoinAccept(Eu868.INSTANCE, joinRequest(), JOIN_ACCEPT);

        assertThat(first.window()).contains(RxWindow.RX1);
        assertThat(second.window()).contains(RxWindow.RX2);
        assertThat(second.attempts()).as("RX1 is not offered to the gateway at all").singleElement()
                .satisfies(a -> assertThat(a.window()).isEqualTo(RxWindow.RX2));
        assertThatThrownBy(third::join).cause().isInstanceOf(DownlinkNotScheduledException.class)
                .hasMessageContaining(GW1.toString());
        assertThat(connector.sent).extracting(t -> t.tmst().orElseThrow()).containsExactly(6_000_000L, 7_000_000L);
    }

    @Test
    void withAPlanAnRx1TheGatewayRefusedIsFreedAndItsRx2Fallback() {
        TransmitterPlan plan = new TransmitterPlan();
        JoinAcceptScheduler planned = new JoinAcceptScheduler(connector, true, null, java.time.Duration.ZERO, plan);
        connector.answers.add(TxAckError.TOO_LATE);
        connector.answers.add(TxAckError.NONE);

        assertThat(planned.scheduleJoinAccept(Eu868.INSTANCE, joinRequest(), JOIN_ACCEPT).join().window()).contains(RxWindow.RX2);

        assertThat(plan.planned(GW1)).singleElement().satisfies(b -> assertThat(b.tmst()).isEqualTo(7_000_000L));
    }

    /** A unit's first uplink heard at tmst 5 s: its test downlink's RX1 (1 s later) is the join-accept's slot of a join at 1 s. */
    private static final RxInfo UPLINK_AT_5S = RxInfo.lora(GW1, 5_000_000L, 868_300_000L, 9, 125_000, "4/5", -90, 3.0, 0, 0,
            Optional.empty());
    private static final byte[] DATA = Fixtures.bytes(0x60, 21);

    @Test
    void aTestDownlinkWhoseRx1FallsOnAnotherUnitsJoinAcceptTakesRx2AndNoneFitsWhenBothAreTaken() {
        TransmitterPlan plan = new TransmitterPlan();
        JoinAcceptScheduler planned = new JoinAcceptScheduler(connector, true, null, java.time.Duration.ZERO, plan);
        connector.answers.add(TxAckError.NONE);
        connector.answers.add(TxAckError.NONE);
        // unit A's join-request at tmst 1 s: its join-accept goes in RX1 at 6 s
        assertThat(planned.scheduleJoinAccept(Eu868.INSTANCE, joinRequest(), JOIN_ACCEPT).join().window()).contains(RxWindow.RX1);
        // unit B's first uplink heard at 5 s: its test downlink's RX1 (1 s later) is A's join-accept's slot
        Txpk rx1 = DownlinkPlanner.rx1(Eu868.INSTANCE, UPLINK_AT_5S, DATA, java.time.Duration.ofSeconds(1), 0);
        Txpk rx2 = DownlinkPlanner.dataDownRx2(Eu868.INSTANCE, UPLINK_AT_5S, DATA);

        DownlinkResult b = planned.sendPlanned(UPLINK_AT_5S, Eui64.parse("70b3d57ed0000b0b"), rx1, rx2, false, true).join();

        assertThat(b.window()).contains(RxWindow.RX2);
        assertThat(connector.sent).extracting(t -> t.tmst().orElseThrow()).containsExactly(6_000_000L, 7_000_000L);
        // a third downlink wanting the same two slots is not sent at all
        assertThatThrownBy(() -> planned.sendPlanned(UPLINK_AT_5S, Eui64.parse("70b3d57ed0000c0c"), rx1, rx2, false, true).join())
                .cause().isInstanceOf(DownlinkNotScheduledException.class);
        assertThat(connector.sent).hasSize(2);
    }

    @Test
    void aDownlinkThatMayNotTakeRx2WhenRx1IsPlannedIsNotSentAndLeavesRx2Free() {
        TransmitterPlan plan = new TransmitterPlan();
        JoinAcceptScheduler planned = new JoinAcceptScheduler(connector, true, null, java.time.Duration.ZERO, plan);
        connector.answers.add(TxAckError.NONE);
        assertThat(planned.scheduleJoinAccept(Eu868.INSTANCE, joinRequest(), JOIN_ACCEPT).join().window()).contains(RxWindow.RX1);
        Txpk rx1 = DownlinkPlanner.rx1(Eu868.INSTANCE, UPLINK_AT_5S, DATA, java.time.Duration.ofSeconds(1), 0);
        Txpk rx2 = DownlinkPlanner.dataDownRx2(Eu868.INSTANCE, UPLINK_AT_5S, DATA);

        assertThatThrownBy(() -> planned.sendPlanned(UPLINK_AT_5S, Eui64.parse("70b3d57ed0000b0b"), rx1, rx2, false, false).join())
                .cause().isInstanceOf(DownlinkNotScheduledException.class);
        assertThat(connector.sent).as("only the join-accept").hasSize(1);
        assertThat(plan.planned(GW1)).as("RX2 left free").hasSize(1);
    }
}
