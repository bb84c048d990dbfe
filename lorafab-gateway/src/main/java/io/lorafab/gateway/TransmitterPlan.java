package io.lorafab.gateway;

import io.lorafab.gateway.semtech.DataRate;
import io.lorafab.gateway.semtech.Txpk;
import io.lorafab.lorawan.region.Airtime;
import io.lorafab.lorawan.types.Eui64;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the server has already promised each gateway's one transmitter, on that gateway's concentrator counter (the
 * Semtech {@code tmst}, or the Basics Station {@code xtime}'s µs): one busy interval per downlink planned, from its
 * time for its time on air. A gateway has a single transmitter and refuses a downlink that overlaps one it queued
 * already (the packet forwarder's COLLISION_PACKET; a Basics Station drops it); units of a multi-up fixture that join
 * at the same moment would otherwise have every join-accept but the first refused in RX1 — and with three, the third
 * in RX2 as well. Planning them here puts one in RX1, the next in RX2, and says at once, with nothing sent, when
 * neither window is free (the device then tries again).
 *
 * <p>Two downlinks conflict when less than {@link #GUARD} separates the end of one from the start of the other: the
 * Semtech reference forwarder's just-in-time queue keeps 32.5 ms before a transmission (30 ms to program the packet,
 * 1.5 ms to start the radio, 1 ms of margin; a variant of the queue programs 40 ms ahead, 42.5 ms in all). Times on air are counted with the physical CRC, as the simulator counts them, so that a
 * downlink is never planned shorter than a gateway may time it. Pure (the counter values come in with the downlinks)
 * and thread-safe.
 */
public final class TransmitterPlan {

    /** Kept free between two planned transmissions. */
    public static final Duration GUARD = Duration.ofMillis(50);
    /** No class-A downlink is planned further ahead of its uplink than this (the planner allows 60 s at most). */
    private static final long HORIZON_US = 60_000_000L;
    /** Intervals kept per gateway at most: a gateway that never advances its counter cannot grow the plan forever. */
    static final int MAX_PER_GATEWAY = 256;
    private static final long MASK = 0xFFFF_FFFFL;

    /** One planned transmission: from {@code tmst} for {@code airtimeUs}. */
    public record Busy(long tmst, long airtimeUs) {
        public Busy {
            if (tmst < 0 || tmst > MASK || airtimeUs < 0) {
                throw new IllegalArgumentException("busy interval needs a uint32 tmst and a non-negative air time");
            }
        }

        boolean conflicts(Busy o, long guardUs) {
            return ahead(tmst, o.tmst) < airtimeUs + guardUs || ahead(o.tmst, tmst) < o.airtimeUs + guardUs;
        }
    }

    private final long guardUs;
    private final Map<Eui64, List<Busy>> plans = new HashMap<>();

    public TransmitterPlan() {
        this(GUARD);
    }

    public TransmitterPlan(Duration guard) {
        if (guard.isNegative()) {
            throw new IllegalArgumentException("guard must not be negative: " + guard);
        }
        this.guardUs = guard.toNanos() / 1_000;
    }

    /**
     * Takes the first free window of a class-A downlink for {@code gateway}: {@code rx1} when its time on air (and the
     * guard) is free, else {@code rx2}; empty when neither is, and then nothing is taken. {@code nowTmst} is the
     * counter at the uplink being answered: what ended before it is forgotten.
     */
    public synchronized Optional<RxWindow> reserve(Eui64 gateway, long nowTmst, Txpk rx1, Txpk rx2) {
        List<Busy> plan = prune(gateway, nowTmst);
        Busy first = busy(rx1);
        if (free(plan, first)) {
            add(plan, first);
            return Optional.of(RxWindow.RX1);
        }
        Busy second = busy(rx2);
        if (free(plan, second)) {
            add(plan, second);
            return Optional.of(RxWindow.RX2);
        }
        return Optional.empty();
    }

    /** Takes {@code txpk}'s interval if it is free (a downlink that has one window only); false, and nothing taken, if not. */
    public synchronized boolean reserve(Eui64 gateway, long nowTmst, Txpk txpk) {
        List<Busy> plan = prune(gateway, nowTmst);
        Busy b = busy(txpk);
        if (!free(plan, b)) {
            return false;
        }
        add(plan, b);
        return true;
    }

    /**
     * Records {@code txpk} as planned whether or not it is free: a downlink the gateway took outside the plan (the
     * fallback to RX2 after the gateway refused RX1).
     */
    public synchronized void occupy(Eui64 gateway, Txpk txpk) {
        add(plans.computeIfAbsent(gateway, g -> new ArrayList<>()), busy(txpk));
    }

    /** Gives back the interval of a downlink the gateway did not send. */
    public synchronized void release(Eui64 gateway, Txpk txpk) {
        List<Busy> plan = plans.get(gateway);
        if (plan != null) {
            plan.remove(busy(txpk));
        }
    }

    /** The intervals planned for {@code gateway}, for tests and diagnostics. */
    public synchronized List<Busy> planned(Eui64 gateway) {
        return List.copyOf(plans.getOrDefault(gateway, List.of()));
    }

    /** Time on air of a planned downlink, µs (LoRa with the CRC counted; FSK with its framing). */
    public static long airtimeMicros(Txpk txpk) {
        Duration d = txpk.dataRate() instanceof DataRate.Lora lora
                ? Airtime.lora(txpk.size(), lora.spreadingFactor(), lora.bandwidthHz(), true)
                : Airtime.fsk(txpk.size(), (int) ((DataRate.Fsk) txpk.dataRate()).bitRate());
        return d.toNanos() / 1_000;
    }

    private static Busy busy(Txpk txpk) {
        long tmst = txpk.tmst().orElseThrow(() -> new IllegalArgumentException("only a timed downlink can be planned"));
        return new Busy(tmst, airtimeMicros(txpk));
    }

    private boolean free(List<Busy> plan, Busy b) {
        for (Busy p : plan) {
            if (p.conflicts(b, guardUs)) {
                return false;
            }
        }
        return true;
    }

    private static void add(List<Busy> plan, Busy b) {
        if (plan.size() >= MAX_PER_GATEWAY) {
            plan.remove(0);
        }
        plan.add(b);
    }

    /**
     * Forgets what ended before {@code now}, what is under way (answers to {@code now}'s uplink start seconds later), and
     * what lies beyond any downlink's horizon (planned before the gateway's counter restarted).
     */
    private List<Busy> prune(Eui64 gateway, long now) {
        if (now < 0 || now > MASK) {
            throw new IllegalArgumentException("concentrator counter must be a uint32, got " + now);
        }
        List<Busy> plan = plans.computeIfAbsent(Objects.requireNonNull(gateway, "gateway"), g -> new ArrayList<>());
        plan.removeIf(b -> {
            long end = (b.tmst() + b.airtimeUs()) & MASK;
            // ended (the counter is past its end), or started already, or further ahead than any downlink is planned
            return ahead(end, now) < (1L << 31) || ahead(now, b.tmst()) > HORIZON_US;
        });
        return plan;
    }

    /** {@code later - now} on the 32-bit counter. */
    private static long ahead(long now, long later) {
        return (later - now) & MASK;
    }
}
