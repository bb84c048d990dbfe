package io.lorafab.gateway;

import static io.lorafab.gateway.Fixtures.GW1;
import static io.lorafab.gateway.Fixtures.GW2;
import static io.lorafab.gateway.Fixtures.GW3;
import static io.lorafab.gateway.Fixtures.JOIN_REQUEST;
import static io.lorafab.gateway.Fixtures.OTHER_FRAME;
import static io.lorafab.gateway.Fixtures.T0;
import static io.lorafab.gateway.Fixtures.rx;
import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.gateway.Deduplicator.Offer;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeduplicatorTest {
    private static final Duration WINDOW = Duration.ofMillis(200);
    private final Deduplicator dedup = new Deduplicator(WINDOW, 3);

    @Test
    void aFrameIsDueExactlyOneWindowAfterItsFirstReception() {
        assertThat(dedup.offer(JOIN_REQUEST, rx(GW1, -80, 5.0), T0)).isEqualTo(Offer.NEW_FRAME);
        assertThat(dedup.nextDue()).contains(T0.plus(WINDOW));

        assertThat(dedup.flushDue(T0.plusMillis(199))).isEmpty();
        List<Uplink> out = dedup.flushDue(T0.plusMillis(200));

        assertThat(out).hasSize(1);
        assertThat(out.get(0).phyPayload()).isEqualTo(JOIN_REQUEST);
        assertThat(out.get(0).receivedAt()).isEqualTo(T0);
        assertThat(out.get(0).receptions()).containsExactly(rx(GW1, -80, 5.0));
        assertThat(dedup.pendingFrames()).isZero();
        assertThat(dedup.nextDue()).isEmpty();
        assertThat(dedup.flushDue(T0.plusSeconds(10))).isEmpty();
    }

    @Test
    void receptionsBySeveralGatewaysWithinTheWindowMakeOneUplinkBestFirst() {
        dedup.offer(JOIN_REQUEST, rx(GW1, -110, -3.0), T0);
        assertThat(dedup.offer(JOIN_REQUEST.clone(), rx(GW2, -70, 9.5), T0.plusMillis(50))).isEqualTo(Offer.ADDED);
        // Same SNR as GW1, better RSSI: ranks above GW1.
        dedup.offer(JOIN_REQUEST, rx(GW3, -100, -3.0), T0.plusMillis(199));

        List<Uplink> out = dedup.flushDue(T0.plusMillis(200));

        assertThat(out).hasSize(1);
        Uplink u = out.get(0);
        assertThat(u.receptions()).extracting(RxInfo::gatewayEui).containsExactly(GW2, GW3, GW1);
        assertThat(u.best().gatewayEui()).isEqualTo(GW2);
        assertThat(u.receivedAt()).isEqualTo(T0);
    }

    @Test
    void theSameGatewayCountsOnceAndKeepsItsBetterReception() {
        dedup.offer(JOIN_REQUEST, rx(GW1, -90, 1.0), T0);
        assertThat(dedup.offer(JOIN_REQUEST, rx(GW1, -85, 4.0), T0.plusMillis(1))).isEqualTo(Offer.SAME_GATEWAY);
        assertThat(dedup.offer(JOIN_REQUEST, rx(GW1, -120, -10.0), T0.plusMillis(2)))
                .isEqualTo(Offer.SAME_GATEWAY);

        Uplink u = dedup.flushDue(T0.plus(WINDOW)).get(0);

        assertThat(u.receptions()).containsExactly(rx(GW1, -85, 4.0));
    }

    @Test
    void differentFramesAreSeparateUplinksInFirstReceptionOrder() {
        dedup.offer(OTHER_FRAME, rx(GW1, -90, 1.0), T0);
        dedup.offer(JOIN_REQUEST, rx(GW1, -90, 1.0), T0.plusMillis(100));
        dedup.offer(JOIN_REQUEST, rx(GW2, -95, 0.0), T0.plusMillis(150));

        List<Uplink> first = dedup.flushDue(T0.plusMillis(250));
        assertThat(first).hasSize(1);
        assertThat(first.get(0).phyPayload()).isEqualTo(OTHER_FRAME);

        List<Uplink> second = dedup.flushDue(T0.plusMillis(300));
        assertThat(second).hasSize(1);
        assertThat(second.get(0).phyPayload()).isEqualTo(JOIN_REQUEST);
        assertThat(second.get(0).receptions()).hasSize(2);
        assertThat(second.get(0).receivedAt()).isEqualTo(T0.plusMillis(100));
    }

    @Test
    void aReceptionAfterTheFlushStartsANewUplink() {
        dedup.offer(JOIN_REQUEST, rx(GW1, -90, 1.0), T0);
        assertThat(dedup.flushDue(T0.plus(WINDOW))).hasSize(1);

        assertThat(dedup.offer(JOIN_REQUEST, rx(GW2, -90, 1.0), T0.plusMillis(201))).isEqualTo(Offer.NEW_FRAME);
        List<Uplink> late = dedup.flushDue(T0.plusMillis(401));
        assertThat(late).hasSize(1);
        assertThat(late.get(0).receptions()).extracting(RxInfo::gatewayEui).containsExactly(GW2);
    }

    @Test
    void newFramesBeyondTheLimitAreRefusedButWaitingFramesStillCollect() {
        dedup.offer(bytes(1), rx(GW1, -90, 1.0), T0);
        dedup.offer(bytes(2), rx(GW1, -90, 1.0), T0);
        dedup.offer(bytes(3), rx(GW1, -90, 1.0), T0);

        assertThat(dedup.offer(bytes(4), rx(GW1, -90, 1.0), T0)).isEqualTo(Offer.REJECTED_FULL);
        assertThat(dedup.offer(bytes(3), rx(GW2, -90, 1.0), T0)).isEqualTo(Offer.ADDED);
        assertThat(dedup.pendingFrames()).isEqualTo(3);

        assertThat(dedup.flushDue(T0.plus(WINDOW))).hasSize(3);
        assertThat(dedup.offer(bytes(4), rx(GW1, -90, 1.0), T0.plus(WINDOW))).isEqualTo(Offer.NEW_FRAME);
    }

    @Test
    void theOfferedPayloadIsCopied() {
        byte[] payload = JOIN_REQUEST.clone();
        dedup.offer(payload, rx(GW1, -90, 1.0), T0);
        payload[0] = 0x7F;

        assertThat(dedup.flushAll().get(0).phyPayload()).isEqualTo(JOIN_REQUEST);
        assertThat(dedup.pendingFrames()).isZero();
    }

    @Test
    void aZeroWindowDeliversAtTheSameInstant() {
        Deduplicator immediate = new Deduplicator(Duration.ZERO, 10);
        immediate.offer(JOIN_REQUEST, rx(GW1, -90, 1.0), T0);
        assertThat(immediate.flushDue(T0)).hasSize(1);
    }

    private static byte[] bytes(int n) {
        return new byte[] {0x40, (byte) n};
    }

    @Test
    void nextDueIsTheOldestFrame() {
        dedup.offer(bytes(1), rx(GW1, -90, 1.0), T0.plusMillis(30));
        dedup.offer(bytes(2), rx(GW1, -90, 1.0), T0.plusMillis(10));
        assertThat(dedup.nextDue()).isEqualTo(Optional.of(T0.plusMillis(210)));
        assertThat(dedup.flushDue(T0.plusMillis(210))).extracting(u -> u.phyPayload()[1])
                .containsExactly((byte) 2);
    }

    @Test
    void withManyFramesWaitingATickHandsOutExactlyTheDueOnesInFirstReceptionOrder() {
        Deduplicator big = new Deduplicator(WINDOW, 20_000);
        for (int i = 0; i < 10_000; i++) {
            // one frame every 0.1 ms over a second: five windows' worth waiting at once
            big.offer(new byte[] {0x40, (byte) (i >> 8), (byte) i}, rx(GW1, -90, 1.0), T0.plusNanos(i * 100_000L));
        }
        // due: first + 200 ms <= T0 + 209.95 ms, i.e. first <= 9.95 ms: frames 0..99
        List<Uplink> due = big.flushDue(T0.plusNanos(209_950_000L));
        assertThat(due).hasSize(100);
        for (int i = 0; i < due.size(); i++) {
            assertThat(due.get(i).receivedAt()).isEqualTo(T0.plusNanos(i * 100_000L));
        }
        assertThat(big.pendingFrames()).isEqualTo(9_900);
        assertThat(big.nextDue()).contains(T0.plusMillis(210));
        assertThat(big.flushDue(T0.plusNanos(209_999_999L))).isEmpty();
        assertThat(big.flushDue(T0.plusMillis(1_200))).hasSize(9_900);
        assertThat(big.pendingFrames()).isZero();
        assertThat(big.nextDue()).isEmpty();
    }

    @Test
    void framesOfferedWithTimesGoingBackwardsAreStillHandedOutInTheOrderTheyCame() {
        dedup.offer(bytes(1), rx(GW1, -90, 1.0), T0.plusMillis(30));
        dedup.offer(bytes(2), rx(GW1, -90, 1.0), T0.plusMillis(10));
        dedup.offer(bytes(3), rx(GW1, -90, 1.0), T0.plusMillis(20));
        assertThat(dedup.flushDue(T0.plusMillis(230))).extracting(u -> u.phyPayload()[1])
                .containsExactly((byte) 1, (byte) 2, (byte) 3);
    }

    @Test
    void aFlushedFrameOfferedAgainWaitsItsOwnWindowNotTheOldOne() {
        dedup.offer(JOIN_REQUEST, rx(GW1, -90, 1.0), T0);
        dedup.offer(OTHER_FRAME, rx(GW1, -90, 1.0), T0.plusMillis(150));
        assertThat(dedup.flushDue(T0.plus(WINDOW))).hasSize(1);
        dedup.offer(JOIN_REQUEST, rx(GW2, -90, 1.0), T0.plusMillis(250));
        assertThat(dedup.flushDue(T0.plusMillis(350))).extracting(Uplink::phyPayload).containsExactly(OTHER_FRAME);
        assertThat(dedup.flushDue(T0.plusMillis(449))).isEmpty();
        assertThat(dedup.flushDue(T0.plusMillis(450))).extracting(Uplink::phyPayload).containsExactly(JOIN_REQUEST);
    }
}
