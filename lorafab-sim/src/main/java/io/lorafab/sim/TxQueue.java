package io.lorafab.sim;

import io.lorafab.gateway.semtech.TxAckError;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * The just-in-time transmit queue of a packet forwarder's concentrator, on its 32-bit µs counter: the rules a
 * Semtech reference forwarder applies before it answers a PULL_RESP with TX_ACK. Pure (the counter value is
 * passed in), not thread-safe.
 *
 * <p>A downlink for counter value {@code tmst} is refused
 * <ul>
 * <li>{@link TxAckError#TOO_LATE} when it is due in {@value #MIN_LEAD_US} µs or less (the radio needs 1.5 ms to
 * start, the queue 30 ms to program it, plus 1 ms of margin), or when its time passed less than 1 s ago;
 * <li>{@link TxAckError#TOO_EARLY} when it is due more than {@value #MAX_ADVANCE_US} µs ahead (four beacon
 * periods of 128 s), which also catches a tmst more than 1 s in the past, since the counter wraps;
 * <li>{@link TxAckError#COLLISION_PACKET} when its air time, with the start and programming time before it and
 * 1 ms of margin, overlaps a downlink already queued, or when {@value #CAPACITY} are queued already.
 * </ul>
 * An immediate downlink ({@code imme}) is given the counter value 1 s from now ({@link #asap}), or the first gap
 * after that the queue leaves for it.
 *
 * @param <T> what is transmitted
 */
public final class TxQueue<T> {

    /** Time the radio needs to start a transmission, µs. */
    public static final long START_DELAY_US = 1_500;
    /** Margin kept between two transmissions and before a deadline, µs. */
    public static final long MARGIN_US = 1_000;
    /** Time the queue needs to program a packet into the concentrator before it is due, µs. */
    public static final long JIT_DELAY_US = 30_000;
    /** A downlink due this soon or sooner is too late. */
    public static final long MIN_LEAD_US = START_DELAY_US + MARGIN_US + JIT_DELAY_US;
    /** A downlink due further ahead than this is too early. */
    public static final long MAX_ADVANCE_US = 4 * 128_000_000L;
    /** Where an immediate downlink is placed, µs from now, when nothing is in the way. */
    public static final long IMMEDIATE_DELAY_US = 1_000_000;
    /** Downlinks the queue holds at most. */
    public static final int CAPACITY = 32;

    private static final long MASK = 0xFFFF_FFFFL;
    private static final long RECENT_PAST_US = 1_000_000;
    private static final long PRE_DELAY_US = START_DELAY_US + JIT_DELAY_US;

    /** A queued downlink: due at {@code tmst}, on air for {@code airtimeUs}. */
    public record Entry<T>(long tmst, long airtimeUs, T item) {
        public Entry {
            checkCounter(tmst);
            if (airtimeUs < 0) {
                throw new IllegalArgumentException("air time must not be negative: " + airtimeUs);
            }
        }
    }

    private final List<Entry<T>> queued = new ArrayList<>();

    /** {@code later - now} on the 32-bit counter, as the unsigned distance forward from {@code now}. */
    static long ahead(long now, long later) {
        return (later - now) & MASK;
    }

    /**
     * Queues {@code item} for {@code tmst}, or says why not. {@link TxAckError#NONE} means queued.
     */
    public TxAckError offer(long now, long tmst, long airtimeUs, T item) {
        checkCounter(now);
        Entry<T> e = new Entry<>(tmst, airtimeUs, item);
        TxAckError timing = timing(now, tmst);
        if (timing != TxAckError.NONE) {
            return timing;
        }
        if (queued.size() >= CAPACITY) {
            return TxAckError.COLLISION_PACKET;
        }
        for (Entry<T> q : queued) {
            if (collide(e, q)) {
                return TxAckError.COLLISION_PACKET;
            }
        }
        queued.add(e);
        queued.sort(Comparator.comparingLong(x -> ahead(now, x.tmst())));
        return TxAckError.NONE;
    }

    /**
     * The timing rules alone (TOO_LATE, TOO_EARLY or NONE), for a gateway that checks a downlink's time but does
     * not model the air it occupies.
     */
    public static TxAckError timing(long now, long tmst) {
        checkCounter(now);
        checkCounter(tmst);
        if (ahead(now, tmst) <= MIN_LEAD_US || ahead(tmst, now) < RECENT_PAST_US) {
            return TxAckError.TOO_LATE;
        }
        if (ahead(now, tmst) > MAX_ADVANCE_US) {
            return TxAckError.TOO_EARLY;
        }
        return TxAckError.NONE;
    }

    /** The counter value for an immediate downlink of {@code airtimeUs}: 1 s from now, or the first gap after. */
    public long asap(long now, long airtimeUs) {
        checkCounter(now);
        long t = (now + IMMEDIATE_DELAY_US) & MASK;
        for (Entry<T> q : queued) { // in order of due time
            Entry<T> candidate = new Entry<>(t, airtimeUs, null);
            if (!collide(candidate, q)) {
                if (ahead(now, q.tmst()) > ahead(now, t)) {
                    break; // fits before q, and the rest come later still
                }
                continue;
            }
            t = (q.tmst() + q.airtimeUs() + PRE_DELAY_US + MARGIN_US + 1) & MASK;
        }
        return t;
    }

    /** Removes and returns, in due order, the downlinks whose time has come at {@code now}. */
    public List<Entry<T>> due(long now) {
        checkCounter(now);
        List<Entry<T>> out = new ArrayList<>();
        while (!queued.isEmpty() && isPast(now, queued.get(0).tmst())) {
            out.add(queued.remove(0));
        }
        return out;
    }

    /** µs from {@code now} until the next downlink is due, if any is queued. */
    public OptionalLong untilNext(long now) {
        checkCounter(now);
        if (queued.isEmpty()) {
            return OptionalLong.empty();
        }
        long t = queued.get(0).tmst();
        return OptionalLong.of(isPast(now, t) ? 0 : ahead(now, t));
    }

    public int size() {
        return queued.size();
    }

    /** Whether {@code tmst} is at or before {@code now} (within half the counter's range). */
    static boolean isPast(long now, long tmst) {
        return ahead(tmst, now) < (1L << 31);
    }

    private static boolean collide(Entry<?> a, Entry<?> b) {
        return ahead(b.tmst(), a.tmst()) <= PRE_DELAY_US + b.airtimeUs() + MARGIN_US
                || ahead(a.tmst(), b.tmst()) <= PRE_DELAY_US + a.airtimeUs() + MARGIN_US;
    }

    private static void checkCounter(long v) {
        if (v < 0 || v > MASK) {
            throw new IllegalArgumentException("concentrator counter must be a uint32, got " + v);
        }
    }

    @Override
    public String toString() {
        return "TxQueue" + Objects.toString(queued.stream().map(Entry::tmst).toList());
    }
}
