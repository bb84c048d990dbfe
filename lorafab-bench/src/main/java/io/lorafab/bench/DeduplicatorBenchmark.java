package io.lorafab.bench;

import io.lorafab.gateway.Deduplicator;
import io.lorafab.gateway.RxInfo;
import io.lorafab.gateway.Uplink;
import io.lorafab.lorawan.types.Eui64;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The deduplicator in its steady state with {@code pending} frames waiting: each operation offers one new frame and
 * runs the flush tick that a frame's due time triggers, which hands out the one frame whose window has just closed.
 * Time advances by window / pending per operation, so the number waiting stays at {@code pending}; the cost per
 * operation should not grow with it.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DeduplicatorBenchmark {

    @Param({"100", "2000", "10000"})
    int pending;

    private Deduplicator dedup;
    private byte[][] frames;
    private RxInfo rx;
    private long stepNanos;
    private long op;
    private final Instant t0 = Instant.parse("2026-12-07T00:00:00Z");

    @Setup
    public void setup() {
        Duration window = Deduplicator.DEFAULT_WINDOW;
        dedup = new Deduplicator(window, pending + 16);
        stepNanos = window.toNanos() / pending;
        frames = new byte[2 * pending + 2][];
        for (int i = 0; i < frames.length; i++) {
            // a join-request-sized frame, distinct for every frame waiting at once
            frames[i] = new byte[23];
            frames[i][0] = 0x00;
            frames[i][1] = (byte) i;
            frames[i][2] = (byte) (i >> 8);
            frames[i][3] = (byte) (i >> 16);
        }
        rx = RxInfo.lora(Eui64.of(1), 1_000_000L, 868_100_000L, 7, 125_000, "4/5", -90, 5.0, 0, 0, java.util.Optional.empty());
        for (op = 0; op < pending; op++) {
            dedup.offer(frames[(int) (op % frames.length)], rx, t0.plusNanos(op * stepNanos));
        }
    }

    @Benchmark
    public List<Uplink> offerAndTick() {
        Instant now = t0.plusNanos(op * stepNanos);
        dedup.offer(frames[(int) (op % frames.length)], rx, now);
        op++;
        return dedup.flushDue(now);
    }
}
