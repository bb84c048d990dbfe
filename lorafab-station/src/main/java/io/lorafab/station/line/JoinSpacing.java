package io.lorafab.station.line;

import io.lorafab.station.at.Identity;
import java.time.Duration;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Keeps the join commands of a multi-up fixture's positions {@code spacing} apart. The boards of one fixture sit
 * centimetres from each other and from the test gateway: started at the same instant, their join-requests would
 * overlap on air (61.7 ms each at SF7/125 kHz, EU868 DR5) and their join-accepts would all be due in the same RX1
 * slot of the gateway's one transmitter, so that the server could answer one in RX1, one in RX2 and no more. Spaced
 * by more than a join-accept's time on air in RX1 (72 ms at SF7 with a CFList) plus the gateway's guard (50 ms), every
 * join-accept has RX1 to itself; the whole fixture waits {@code (N − 1) · spacing} once. Thread-safe.
 *
 * <p>The test uplinks are held the same way, and held back until no position is joining: each verified uplink is
 * answered with a test downlink one second later (RX1), and the first positions' uplinks, sent while the last
 * positions' joins are still out, would have their downlinks due among those join-accepts on the one transmitter (an
 * 8-position fixture measured 2.3 times one unit's time so, the downlinks re-tried on later uplinks). Sent after the
 * last join, a spacing apart, every test downlink has its own RX1 slot too, at the cost of waiting for the slowest
 * join once.
 */
public final class JoinSpacing {

    /** The default spacing: above an SF7 join-request (62 ms) and an SF7 join-accept slot (72 ms + 50 ms guard). */
    public static final Duration DEFAULT = Duration.ofMillis(200);

    /** Waits {@code nanos}: the real sleep, or a test's virtual time. */
    interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    private final long spacingNanos;
    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    /** When the next caller may start, once anyone has; guarded by this. */
    private long next;
    private boolean started;
    /** Joins in progress (waiting their turn or running); guarded by {@link #joining}'s monitor. */
    private final int[] joining = {0};
    /** How long an uplink waits at most for the positions still joining (a module retrying its join for long). */
    static final Duration UPLINK_GATE_MAX = Duration.ofSeconds(10);

    public JoinSpacing(Duration spacing, LongSupplier nanoTime) {
        this(spacing, nanoTime, nanos -> Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000)));
    }

    JoinSpacing(Duration spacing, LongSupplier nanoTime, Sleeper sleeper) {
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
        if (spacing.isNegative()) {
            throw new IllegalArgumentException("join spacing must not be negative: " + spacing);
        }
        this.spacingNanos = spacing.toNanos();
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
    }

    /** Waits until no position is joining, {@link #UPLINK_GATE_MAX} at most (wall time: the joins are on air). */
    void awaitNoJoins() {
        long deadline = System.nanoTime() + UPLINK_GATE_MAX.toNanos();
        synchronized (joining) {
            while (joining[0] > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    joining.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Waits until this caller's join may start: at least the spacing after the previous caller's. */
    public void awaitTurn() {
        long at;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            at = !started || now - next >= 0 ? now : next;
            started = true;
            next = at + spacingNanos;
        }
        long wait = at - nanoTime.getAsLong();
        if (wait > 0) {
            try {
                sleeper.sleep(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * {@code fixture} with its join started in turn; everything else passes through. Every method of {@link Fixture} is
     * overridden here, defaults too (JoinSpacingTest checks it): a default left out would answer for the wrapped fixture,
     * as {@code reportsDownlinks} once did, silently leaving out the two-way test on every multi-up station.
     */
    public Fixture spaced(Fixture fixture) {
        Objects.requireNonNull(fixture, "fixture");
        return new Fixture() {
            @Override
            public Step program(Identity identity, String serial) {
                return fixture.program(identity, serial);
            }

            @Override
            public Step readIdentity() {
                return fixture.readIdentity();
            }

            @Override
            public Step program(Identity identity, String serial, Runnable readingBack) {
                return fixture.program(identity, serial, readingBack);
            }

            @Override
            public boolean joinsByItself() {
                return fixture.joinsByItself();
            }

            @Override
            public Step join(Duration timeout) {
                synchronized (joining) {
                    joining[0]++;
                }
                try {
                    awaitTurn();
                    return fixture.join(timeout);
                } finally {
                    synchronized (joining) {
                        joining[0]--;
                        joining.notifyAll();
                    }
                }
            }

            @Override
            public Step sendUplink(int port, byte[] payload, Duration timeout) {
                if (spacingNanos > 0) {
                    awaitNoJoins();
                    awaitTurn();
                }
                return fixture.sendUplink(port, payload, timeout);
            }

            /** Not spaced: a serial command to the module, nothing on air. */
            @Override
            public Step setDataRate(int dr) {
                return fixture.setDataRate(dr);
            }

            @Override
            public java.util.Optional<ChipIdentityReport> chipIdentity() {
                return fixture.chipIdentity();
            }

            @Override
            public boolean reportsDownlinks() {
                return fixture.reportsDownlinks();
            }

            @Override
            public Step receiveDownlink(Duration timeout) {
                return fixture.receiveDownlink(timeout);
            }
        };
    }
}
