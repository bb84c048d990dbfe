package io.lorafab.gateway;

import io.lorafab.lorawan.types.Eui64;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;

/**
 * Merges the receptions of one frame by several gateways into one {@link Uplink}. Pure and deterministic: the
 * caller passes the time, so tests need no clock or sleeping; thread-safe.
 *
 * <p>A frame (byte-equal PHYPayload) first offered at {@code t} collects receptions until {@code t + window};
 * {@link #flushDue(Instant)} then hands it out. One gateway counts once per frame: when it reports the frame
 * again (a multi-channel echo, or the same frame on two antennas), the better reception is kept. A frame
 * offered again after it was flushed starts a new uplink (a late duplicate or a genuine retransmission).
 *
 * <p>At most {@code maxPending} frames wait at a time; further new frames are refused
 * ({@link Offer#REJECTED_FULL}), which bounds memory under a flood.
 *
 * <p>The waiting frames are also held in a queue ordered by when they are due, so that a {@link #flushDue} tick
 * (the receive path calls it on every datagram and timer tick, under this lock) costs O(k log n) for the k frames it
 * hands out instead of a scan of all n waiting: at thousands of joins a second, n is the frames of the last window.
 */
public final class Deduplicator {

    public static final Duration DEFAULT_WINDOW = Duration.ofMillis(200);
    public static final int DEFAULT_MAX_PENDING = 10_000;

    /** What {@link #offer} did with a reception. */
    public enum Offer {
        /** First reception of this frame: it is due at {@code now + window}. */
        NEW_FRAME,
        /** Another gateway's reception of a waiting frame. */
        ADDED,
        /** The same gateway again: counted once (the better of the two receptions is kept). */
        SAME_GATEWAY,
        /** Too many frames waiting: the reception was dropped. */
        REJECTED_FULL
    }

    private final Duration window;
    private final int maxPending;
    private final HashMap<ByteBuffer, Pending> pending = new HashMap<>();
    /** The same frames, earliest due first; among equal due times, first offered first. */
    private final PriorityQueue<Pending> byDue = new PriorityQueue<>(Deduplicator::byDue);
    /** Numbers the frames in the order they were first offered (first-reception order). */
    private long offered;

    public Deduplicator() {
        this(DEFAULT_WINDOW, DEFAULT_MAX_PENDING);
    }

    public Deduplicator(Duration window, int maxPending) {
        Objects.requireNonNull(window, "window");
        if (window.isNegative()) {
            throw new IllegalArgumentException("window must not be negative, got " + window);
        }
        if (maxPending < 1) {
            throw new IllegalArgumentException("maxPending must be positive, got " + maxPending);
        }
        this.window = window;
        this.maxPending = maxPending;
    }

    public Duration window() {
        return window;
    }

    /** Adds one gateway's reception of {@code phyPayload}, received at {@code now}. */
    public synchronized Offer offer(byte[] phyPayload, RxInfo rx, Instant now) {
        Objects.requireNonNull(phyPayload, "phyPayload");
        Objects.requireNonNull(rx, "rx");
        Objects.requireNonNull(now, "now");
        ByteBuffer key = ByteBuffer.wrap(phyPayload.clone());
        Pending p = pending.get(key);
        if (p == null) {
            if (pending.size() >= maxPending) {
                return Offer.REJECTED_FULL;
            }
            p = new Pending(key.array(), now, offered++);
            pending.put(key, p);
            byDue.add(p);
            p.byGateway.put(rx.gatewayEui(), rx);
            return Offer.NEW_FRAME;
        }
        RxInfo old = p.byGateway.get(rx.gatewayEui());
        if (old == null) {
            p.byGateway.put(rx.gatewayEui(), rx);
            return Offer.ADDED;
        }
        if (RxInfo.BEST_FIRST.compare(rx, old) < 0) {
            p.byGateway.put(rx.gatewayEui(), rx);
        }
        return Offer.SAME_GATEWAY;
    }

    /**
     * Removes and returns the frames whose window has closed at {@code now} (first reception + window ≤
     * {@code now}), in first-reception order.
     */
    public synchronized List<Uplink> flushDue(Instant now) {
        Objects.requireNonNull(now, "now");
        // Due means first + window <= now, i.e. first <= now - window (the window is never negative).
        Instant firstAtLatest = now.minus(window);
        if (byDue.isEmpty() || byDue.peek().first.isAfter(firstAtLatest)) {
            return new ArrayList<>(0);
        }
        List<Pending> due = new ArrayList<>();
        while (!byDue.isEmpty() && !byDue.peek().first.isAfter(firstAtLatest)) {
            Pending p = byDue.poll();
            pending.remove(ByteBuffer.wrap(p.payload));
            due.add(p);
        }
        // Due order is first-reception order unless the caller's times went backwards between offers; the
        // contract is first-reception order, so sort the (few) due frames by it.
        due.sort(Comparator.comparingLong(p -> p.seq));
        List<Uplink> out = new ArrayList<>(due.size());
        for (Pending p : due) {
            out.add(p.toUplink());
        }
        return out;
    }

    /** Removes and returns every waiting frame, whatever its window, in first-reception order. */
    public synchronized List<Uplink> flushAll() {
        List<Pending> all = new ArrayList<>(pending.values());
        all.sort(Comparator.comparingLong(p -> p.seq));
        List<Uplink> out = new ArrayList<>(all.size());
        all.forEach(p -> out.add(p.toUplink()));
        pending.clear();
        byDue.clear();
        return out;
    }

    /** When the oldest waiting frame is due, if any. */
    public synchronized Optional<Instant> nextDue() {
        Pending p = byDue.peek();
        return p == null ? Optional.empty() : Optional.of(p.first.plus(window));
    }

    /** How many frames are waiting. */
    public synchronized int pendingFrames() {
        return pending.size();
    }

    private static int byDue(Pending a, Pending b) {
        int c = a.first.compareTo(b.first);
        return c != 0 ? c : Long.compare(a.seq, b.seq);
    }

    private static final class Pending {
        final byte[] payload;
        final Instant first;
        final long seq;
        final Map<Eui64, RxInfo> byGateway = new LinkedHashMap<>();

        Pending(byte[] payload, Instant first, long seq) {
            this.payload = payload;
            this.first = first;
            this.seq = seq;
        }

        Uplink toUplink() {
            return new Uplink(payload, new ArrayList<>(byGateway.values()), first);
        }
    }
}
