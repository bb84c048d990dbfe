package io.lorafab.station.line;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.station.at.AtDialect;
import io.lorafab.station.at.AtException;
import io.lorafab.station.at.JoinAttempts;
import io.lorafab.station.at.JoinResult;
import io.lorafab.station.at.ModuleInfo;
import io.lorafab.station.at.ReadBack;
import io.lorafab.station.at.SendResult;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The station's join attempts: a module that retries by itself is given them; for a module that makes one attempt
 * per command the fixture sends the command again, each attempt a period after the previous one started, on a clock
 * the test moves.
 */
class AtFixtureJoinTest {

    /** A one-attempt-per-command module whose attempts take {@code attemptTime} and end as listed. */
    static class OneShot implements AtDialect {
        final Deque<Boolean> results;
        final AtomicLong now;
        final Duration attemptTime;
        int joins;

        OneShot(AtomicLong now, Duration attemptTime, Boolean... results) {
            this.now = now;
            this.attemptTime = attemptTime;
            this.results = new ArrayDeque<>(List.of(results));
        }

        @Override
        public String name() {
            return "one-shot";
        }

        @Override
        public ModuleInfo identify() {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setIdentity(Eui64 devEui, Eui64 joinEui, AesKey appKey, Optional<AesKey> nwkKey) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ReadBack readBack() {
            throw new UnsupportedOperationException();
        }

        @Override
        public JoinResult join(Duration timeout) {
            joins++;
            now.addAndGet(attemptTime.toNanos());
            boolean ok = results.removeFirst();
            return new JoinResult(ok, ok ? "accepted" : "denied");
        }

        @Override
        public SendResult send(int port, byte[] payload, boolean confirmed, Duration timeout) {
            throw new UnsupportedOperationException();
        }

        @Override
        public java.util.Optional<io.lorafab.station.at.ReceivedDownlink> awaitDownlink(Duration timeout) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void dataRate(int dr) {
            throw new UnsupportedOperationException();
        }
    }

    static Stream<Arguments> repeated() {
        return Stream.of(
                Arguments.of("joined at once", 3, new Boolean[] {true}, true, 1, List.of()),
                Arguments.of("denied, then accepted", 3, new Boolean[] {false, true}, true, 2, List.of(Duration.ofSeconds(4))),
                Arguments.of("denied three times", 3, new Boolean[] {false, false, false}, false, 3,
                        List.of(Duration.ofSeconds(4), Duration.ofSeconds(4))),
                Arguments.of("one attempt only", 1, new Boolean[] {false}, false, 1, List.of()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("repeated")
    void aOneAttemptModuleIsAskedAgain(String name, int attempts, Boolean[] results, boolean joined, int joins, List<Duration> pauses) {
        AtomicLong now = new AtomicLong();
        OneShot module = new OneShot(now, Duration.ofSeconds(6), results);
        List<Duration> paused = new ArrayList<>();
        AtFixture f = new AtFixture(module, new JoinAttempts(attempts, Duration.ofSeconds(10)), d -> {
            paused.add(d);
            now.addAndGet(d.toNanos());
        }, now::get);
        Fixture.Step s = f.join(Duration.ofSeconds(60));
        assertThat(s.ok()).isEqualTo(joined);
        assertThat(module.joins).isEqualTo(joins);
        assertThat(paused).isEqualTo(pauses);
        assertThat(s.measurements()).containsEntry("joinAttempts", joins);
    }

    @Test
    void noAttemptStartsThatTheTimeoutCannotWaitFor() {
        AtomicLong now = new AtomicLong();
        OneShot module = new OneShot(now, Duration.ofSeconds(6), false, false, false);
        AtFixture f = new AtFixture(module, new JoinAttempts(3, Duration.ofSeconds(10)), d -> now.addAndGet(d.toNanos()), now::get);
        assertThat(f.join(Duration.ofSeconds(15)).ok()).isFalse();
        assertThat(module.joins).isEqualTo(2);
    }

    @Test
    void aGoneSerialPortIsNotTheUnitsFault() {
        AtDialect gone = new OneShot(new AtomicLong(), Duration.ZERO) {
            @Override
            public JoinResult join(Duration timeout) {
                throw new AtException(AtException.Code.PORT_UNAVAILABLE, "the serial line has closed");
            }
        };
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new AtFixture(gone).join(Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(AtException.class, e -> assertThat(e.code()).isEqualTo(AtException.Code.PORT_UNAVAILABLE));
    }
}
