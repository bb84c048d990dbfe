package io.lorafab.station.line;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The positions' join commands taken in turn, in virtual time: each waits only as long as its turn needs. */
class JoinSpacingTest {
    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final List<Long> waited = new ArrayList<>();
    final JoinSpacing spacing = new JoinSpacing(Duration.ofMillis(200), now::get, nanos -> waited.add(nanos / 1_000_000));

    @Test
    void joinsAskedAtTheSameMomentStartASpacingApart() {
        for (int i = 0; i < 4; i++) {
            spacing.awaitTurn();
        }
        assertThat(waited).containsExactly(200L, 400L, 600L);
    }

    @Test
    void aJoinAskedLongAfterThePreviousOneStartsAtOnce() {
        spacing.awaitTurn();
        now.addAndGet(Duration.ofMillis(150).toNanos());
        spacing.awaitTurn(); // 50 ms of the 200 left
        now.addAndGet(Duration.ofSeconds(5).toNanos());
        spacing.awaitTurn(); // long after: no wait
        assertThat(waited).containsExactly(50L);
    }

    @Test
    void noSpacingNeverWaits() {
        JoinSpacing none = new JoinSpacing(Duration.ZERO, now::get, nanos -> waited.add(nanos));
        for (int i = 0; i < 8; i++) {
            none.awaitTurn();
        }
        assertThat(waited).isEmpty();
    }

    @Test
    void theSpacedFixturePassesEveryMethodOfFixtureThroughDefaultsIncluded() {
        Fixture spaced = spacing.spaced(new Board());
        for (java.lang.reflect.Method m : Fixture.class.getMethods()) {
            if (java.lang.reflect.Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            assertThat(java.util.Arrays.stream(spaced.getClass().getDeclaredMethods())
                    .anyMatch(d -> d.getName().equals(m.getName()) && java.util.Arrays.equals(d.getParameterTypes(), m.getParameterTypes())))
                    .as("JoinSpacing.spaced overrides Fixture." + m.getName()).isTrue();
        }
    }

    @Test
    void aTestUplinkWaitsUntilNoPositionIsJoiningSoItsDownlinkDoesNotMeetTheirJoinAccepts() throws Exception {
        JoinSpacing real = new JoinSpacing(Duration.ofMillis(1), System::nanoTime);
        java.util.concurrent.CountDownLatch joinMayEnd = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch joining = new java.util.concurrent.CountDownLatch(1);
        List<String> order = java.util.Collections.synchronizedList(new ArrayList<>());
        Fixture board = new Board() {
            @Override
            public Step join(Duration timeout) {
                joining.countDown();
                try {
                    joinMayEnd.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                order.add("join ended");
                return null;
            }

            @Override
            public Step sendUplink(int port, byte[] payload, Duration timeout) {
                order.add("uplink sent");
                return null;
            }
        };
        Fixture slow = real.spaced(board);
        Fixture early = real.spaced(board);
        Thread joiner = new Thread(() -> slow.join(Duration.ofSeconds(5)));
        joiner.start();
        joining.await();
        Thread uplink = new Thread(() -> early.sendUplink(1, new byte[] {1}, Duration.ofSeconds(5)));
        uplink.start();
        Thread.sleep(200);
        assertThat(order).as("held while another position joins").isEmpty();
        joinMayEnd.countDown();
        joiner.join(5_000);
        uplink.join(5_000);
        assertThat(order).containsExactly("join ended", "uplink sent");
    }

    /** A board whose steps a test that calls them overrides. */
    static class Board implements Fixture {
        @Override
        public Step program(io.lorafab.station.at.Identity identity, String serial) {
            throw new AssertionError("not called in this test");
        }

        @Override
        public boolean joinsByItself() {
            return false;
        }

        @Override
        public Step join(Duration timeout) {
            throw new AssertionError("not called in this test");
        }

        @Override
        public Step sendUplink(int port, byte[] payload, Duration timeout) {
            throw new AssertionError("not called in this test");
        }
    }
}
