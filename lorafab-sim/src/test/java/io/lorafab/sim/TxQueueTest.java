package io.lorafab.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.gateway.semtech.TxAckError;
import java.util.OptionalLong;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The forwarder's just-in-time queue rules, on the 32-bit µs counter. */
class TxQueueTest {

    /** A join-accept (17 bytes at SF7/125 kHz) is 51.5 ms on air. */
    static final long AIRTIME = LoraAirtime.timeOnAir(17, 7, 125_000).toNanos() / 1_000;

    @ParameterizedTest(name = "now {0}, tmst {1}: {2}")
    @CsvSource({
            // now,        tmst,        TX_ACK
            "1000000,      6000000,     NONE",        // RX1 of a join-request, 5 s ahead
            "1000000,      1032501,     NONE",        // just more than 32.5 ms ahead
            "1000000,      1032500,     TOO_LATE",    // 1.5 ms start + 30 ms programming + 1 ms margin
            "1000000,      1000000,     TOO_LATE",    // now
            "1000000,      500000,      TOO_LATE",    // half a second ago
            "5000000,      3999999,     TOO_EARLY",   // more than 1 s ago: seen as 2^32 µs ahead
            "1000000,      513000000,   NONE",        // 512 s ahead: four beacon periods
            "1000000,      513000001,   TOO_EARLY",
            "4294000000,   4032704,     NONE",        // 5 s ahead across the counter's wrap
            "4000,         4294966296,  TOO_LATE",    // 5 ms ago, across the wrap
    })
    void timingRules(long now, long tmst, TxAckError expected) {
        assertThat(TxQueue.timing(now, tmst)).isEqualTo(expected);
        assertThat(new TxQueue<String>().offer(now, tmst, AIRTIME, "x")).isEqualTo(expected);
    }

    @ParameterizedTest(name = "queued at 6 s, offered at {0} µs: {1}")
    @CsvSource({
            // a downlink must keep 31.5 ms (start + programming) + 1 ms margin clear of another's air time
            "6000000,            COLLISION_PACKET",
            "5967501,            COLLISION_PACKET", // ends inside the other one's preparation time
            "5900000,            NONE",             // 100 ms before: its air time and the other's preparation fit
            "6078999,            COLLISION_PACKET", // its preparation overlaps the other's air time
            "6100000,            NONE",
    })
    void overlappingDownlinksCollide(long tmst, TxAckError expected) {
        TxQueue<String> q = new TxQueue<>();
        assertThat(q.offer(1_000_000, 6_000_000, AIRTIME, "first")).isEqualTo(TxAckError.NONE);
        assertThat(q.offer(1_000_000, tmst, AIRTIME, "second")).isEqualTo(expected);
    }

    @Test
    void aFullQueueRefusesWithCollision() {
        TxQueue<Integer> q = new TxQueue<>();
        for (int i = 0; i < TxQueue.CAPACITY; i++) {
            assertThat(q.offer(0, 1_000_000 + i * 200_000L, AIRTIME, i)).isEqualTo(TxAckError.NONE);
        }
        assertThat(q.offer(0, 100_000_000, AIRTIME, 99)).isEqualTo(TxAckError.COLLISION_PACKET);
    }

    @Test
    void downlinksLeaveInDueOrderWhenTheirTimeComes() {
        TxQueue<String> q = new TxQueue<>();
        q.offer(0, 7_000_000, AIRTIME, "rx2");
        q.offer(0, 6_000_000, AIRTIME, "rx1");
        assertThat(q.untilNext(1_000_000)).isEqualTo(OptionalLong.of(5_000_000));
        assertThat(q.due(5_999_999)).isEmpty();
        assertThat(q.due(6_000_000)).extracting(TxQueue.Entry::item).containsExactly("rx1");
        assertThat(q.due(9_000_000)).extracting(TxQueue.Entry::item).containsExactly("rx2");
        assertThat(q.untilNext(9_000_000)).isEmpty();
        assertThat(q.size()).isZero();
    }

    @Test
    void anImmediateDownlinkGoesOneSecondAheadOrIntoTheNextGap() {
        TxQueue<String> q = new TxQueue<>();
        assertThat(q.asap(2_000_000, AIRTIME)).isEqualTo(3_000_000);
        q.offer(2_000_000, 3_000_000, AIRTIME, "queued");
        long t = q.asap(2_000_000, AIRTIME);
        assertThat(t).isGreaterThan(3_000_000 + AIRTIME);
        assertThat(q.offer(2_000_000, t, AIRTIME, "immediate")).isEqualTo(TxAckError.NONE);
    }

    @Test
    void countersOutsideUint32AreRefused() {
        assertThatThrownBy(() -> TxQueue.timing(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TxQueue<String>().offer(0, 1L << 32, 0, "x"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("uint32");
    }
}
