package io.lorafab.sim;

import io.lorafab.testkit.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.lorawan.region.Region;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JoinBackoffTest {

    static final Instant T0 = Instant.parse("2026-11-22T00:00:00Z");
    static final Duration SF12 = LoraAirtime.timeOnAir(23, 12, 125_000);

    @ParameterizedTest
    @CsvSource({
        "23, 7, 125000, 61696000",
        "23, 8, 125000, 113152000",
        "23, 9, 125000, 205824000",
        "23, 10, 125000, 370688000",
        "23, 11, 125000, 823296000",
        "23, 12, 125000, 1482752000",
        "23, 7, 250000, 30848000",
        "0, 7, 125000, 25856000"})
    void timeOnAirTable(int bytes, int sf, int bw, long nanos) {
        assertThat(LoraAirtime.timeOnAir(bytes, sf, bw)).isEqualTo(Duration.ofNanos(nanos));
    }

    @Test
    void joinRequestAirtimeFromTheRegionsDataRate() {
        Region eu = Region.byName("EU868");
        assertThat(LoraAirtime.joinRequest(eu.dataRate(0))).isEqualTo(SF12);
        assertThat(LoraAirtime.joinRequest(eu.dataRate(5))).isEqualTo(Duration.ofNanos(61_696_000));
        assertThatThrownBy(() -> LoraAirtime.timeOnAir(23, 13, 125_000)).isInstanceOf(SimException.class);
    }

    JoinBackoff backoff(MutableClock clock) {
        return new JoinBackoff(clock, T0, new Random(1), Duration.ofSeconds(1), Duration.ofSeconds(10));
    }

    /** Sends SF12 join-requests back to back from {@code from} while the budget allows; returns how many. */
    static int sendWhileAllowed(JoinBackoff b, Instant from) {
        int n = 0;
        Instant t = from;
        while (b.mayTransmit(t, SF12)) {
            b.transmitted(t, SF12);
            t = t.plusSeconds(2);
            n++;
        }
        return n;
    }

    @Test
    void firstHourBudgetIs36Seconds() {
        JoinBackoff b = backoff(new MutableClock(T0));
        assertThat(sendWhileAllowed(b, T0)).isEqualTo(24); // 24 × 1.483 s = 35.6 s; a 25th would exceed 36 s
        assertThat(b.usedAt(T0.plusSeconds(100))).isEqualTo(SF12.multipliedBy(24));
        assertThat(b.mayTransmit(T0.plus(Duration.ofMinutes(59)), SF12)).isFalse();
        assertThat(b.earliestTransmit(T0.plusSeconds(60), SF12)).isEqualTo(T0.plus(Duration.ofHours(1)));
        assertThat(b.mayTransmit(T0.plus(Duration.ofHours(1)), SF12)).isTrue();
    }

    @Test
    void next10HoursShare36Seconds() {
        JoinBackoff b = backoff(new MutableClock(T0));
        Instant oneHour = T0.plus(Duration.ofHours(1));
        assertThat(sendWhileAllowed(b, oneHour)).isEqualTo(24);
        Instant later = T0.plus(Duration.ofHours(10));
        assertThat(b.windowAt(later).budget()).isEqualTo(JoinBackoff.NEXT_10_HOURS_BUDGET);
        assertThat(b.mayTransmit(later, SF12)).isFalse();
        assertThat(b.earliestTransmit(later, SF12)).isEqualTo(T0.plus(Duration.ofHours(11)));
        // The first hour's budget is separate from the next ten hours'.
        assertThat(b.mayTransmit(T0, SF12)).isTrue();
    }

    @Test
    void after11HoursTheBudgetIs8point7SecondsPerDay() {
        JoinBackoff b = backoff(new MutableClock(T0));
        Instant eleven = T0.plus(Duration.ofHours(11));
        assertThat(b.windowAt(eleven).budget()).isEqualTo(JoinBackoff.DAILY_BUDGET);
        assertThat(sendWhileAllowed(b, eleven)).isEqualTo(5); // 5 × 1.483 = 7.4 s; 6 would be 8.9 s
        assertThat(b.earliestTransmit(eleven.plusSeconds(30), SF12)).isEqualTo(eleven.plus(Duration.ofHours(24)));
        Instant dayTwo = eleven.plus(Duration.ofHours(24));
        assertThat(sendWhileAllowed(b, dayTwo)).isEqualTo(5);
        assertThat(b.windowAt(dayTwo.plus(Duration.ofHours(30))).start()).isEqualTo(dayTwo.plus(Duration.ofHours(24)));
        // SF7 join-requests: 141 fit in 8.7 s
        assertThat(8_700_000_000L / LoraAirtime.timeOnAir(23, 7, 125_000).toNanos()).isEqualTo(141);
    }

    @Test
    void nextAttemptDelayIsRandomizedAndWaitsForTheBudget() {
        MutableClock clock = new MutableClock(T0);
        JoinBackoff b = backoff(clock);
        for (int i = 0; i < 24; i++) {
            Duration d = b.nextAttemptDelay(SF12);
            assertThat(d).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(11));
            clock.advance(d);
            b.transmitted(clock.instant(), SF12);
        }
        Duration wait = b.nextAttemptDelay(SF12);
        Duration toHour = Duration.between(clock.instant(), T0.plus(Duration.ofHours(1)));
        assertThat(wait).isBetween(toHour, toHour.plusSeconds(10));
        clock.advance(wait);
        assertThat(b.mayTransmit(clock.instant(), SF12)).isTrue();
    }

    @Test
    void refusesTimesBeforePowerUpAndOversizedFrames() {
        JoinBackoff b = backoff(new MutableClock(T0));
        assertThatThrownBy(() -> b.mayTransmit(T0.minusSeconds(1), SF12)).isInstanceOf(SimException.class);
        assertThatThrownBy(() -> b.earliestTransmit(T0, Duration.ofSeconds(9))).isInstanceOf(SimException.class);
    }
}
