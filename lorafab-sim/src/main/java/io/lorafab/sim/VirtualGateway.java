package io.lorafab.sim;

import io.lorafab.gateway.client.PacketForwarderClient;
import io.lorafab.gateway.semtech.DataRate;
import io.lorafab.gateway.semtech.SemtechCodec;
import io.lorafab.gateway.semtech.SemtechPacket;
import io.lorafab.gateway.semtech.Stat;
import io.lorafab.gateway.semtech.Token;
import io.lorafab.gateway.semtech.TxAckError;
import io.lorafab.gateway.semtech.Txpk;
import io.lorafab.lorawan.frame.MType;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.Eui64;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A packet forwarder for virtual devices, over the Semtech UDP protocol ({@link PacketForwarderClient}).
 *
 * <p>Its concentrator counter (tmst, µs, 32 bits) runs on the injected clock from when the gateway was created;
 * two receptions never share a tmst. A downlink is matched to the uplink it answers by its tmst: uplink tmst +
 * JOIN_ACCEPT_DELAY1/2 for a join-request, + RX1 delay / RX1 delay + 1 s for a data frame. Several devices may
 * {@link #deliver} at once; each gets only the downlinks for its own slots.
 *
 * <p>Every PULL_RESP is checked as a reference forwarder's just-in-time queue does ({@link TxQueue}) and answered
 * at once with TX_ACK: TOO_LATE, TOO_EARLY or COLLISION_PACKET, or NONE when it was queued. What happens to a
 * queued downlink depends on the {@link Timing}:
 * <ul>
 * <li>{@link Timing#ON_AIR}: it is transmitted when the counter reaches its tmst on the injected clock and heard
 * by the device listening in that slot, if any; a device's reception ends when its RX2 slot has passed, so
 * {@link #deliver} returns empty then. Transmissions occupy the air, so overlapping downlinks collide.
 * <li>{@link Timing#COMPRESSED}: it is handed to the device as soon as it is accepted; the seconds before RX1
 * or RX2 are skipped and no air is shared. The timing rules (TOO_LATE/TOO_EARLY) still hold. For load
 * generators and demos, which measure the server rather than the radio's wait.
 * </ul>
 *
 * <p>{@link #startKeepAlive} sends PULL_DATA (and a {@code stat} report) on a timer, as a forwarder does every
 * {@code keepalive_interval} seconds.
 */
public final class VirtualGateway implements SimGateway {

    /** A reference forwarder's {@code keepalive_interval}. */
    public static final Duration KEEPALIVE_INTERVAL = Duration.ofSeconds(10);
    /** Its {@code stat_interval} (30 s) in keep-alives. */
    public static final int STAT_EVERY = 3;

    private static final long TMST_MASK = 0xFFFF_FFFFL;
    private static final Duration POLL = Duration.ofMillis(50);
    /** How often the transmitter looks at the clock while something is due: an injected clock may be moved by hand. */
    private static final long TICK_NANOS = 5_000_000;
    /** A device stops listening this long after its RX2 slot starts (a few symbols of preamble detection). */
    private static final long RX_WINDOW_US = 1_000;

    private final PacketForwarderClient client;
    private final Clock clock;
    private final Instant counterStart;
    private final Duration replyTimeout;
    private final Timing timing;
    private final AtomicLong lastTmst = new AtomicLong(-1);
    private final Object sendLock = new Object();
    private final SplittableRandom keepAliveTokens = new SplittableRandom();

    /** Guards the queue and the receptions; the transmitter waits on it. */
    private final Object radio = new Object();
    private final TxQueue<Txpk> queue = new TxQueue<>();
    private final Map<Long, Reception> listening = new HashMap<>();
    private final List<Reception> receptions = new ArrayList<>();
    private final Map<TxAckError, Long> refused = new EnumMap<>(TxAckError.class);
    /** Scripted refusals still to give (under radio), and with what error. */
    private int refusalsLeft;
    private TxAckError refusal = TxAckError.NONE;

    private final AtomicLong unheard = new AtomicLong();
    private final AtomicLong transmitted = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong downlinks = new AtomicLong();
    private final AtomicLong pullAcks = new AtomicLong();
    private final AtomicLong pullData = new AtomicLong();
    private final AtomicLong pushData = new AtomicLong();
    private final AtomicLong pushAcks = new AtomicLong();
    private volatile boolean open = true;
    private Thread receiver;
    private Thread transmitter;
    private Thread keepAlive;

    /** A device's class-A reception: its two slots and the answer it waits for. */
    private record Reception(long rx1, long rx2, CompletableFuture<byte[]> answer) {
    }

    /**
     * A gateway whose downlinks reach devices {@link Timing#ON_AIR}.
     *
     * @param replyTimeout how long (wall time: this is network I/O) {@link #deliver} waits for a downlink at most
     */
    public VirtualGateway(Eui64 eui, InetSocketAddress server, Clock clock, Duration replyTimeout) throws IOException {
        this(eui, server, clock, replyTimeout, Timing.ON_AIR);
    }

    /**
     * @param replyTimeout how long (wall time: this is network I/O) {@link #deliver} waits for a downlink at most
     */
    public VirtualGateway(Eui64 eui, InetSocketAddress server, Clock clock, Duration replyTimeout, Timing timing)
            throws IOException {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.replyTimeout = Objects.requireNonNull(replyTimeout, "replyTimeout");
        this.timing = Objects.requireNonNull(timing, "timing");
        this.client = new PacketForwarderClient(eui, server);
        this.counterStart = clock.instant();
    }

    @Override
    public Eui64 eui() {
        return client.eui();
    }

    @Override
    public Timing timing() {
        return timing;
    }

    /** Sends PULL_DATA (so that the server knows where to send downlinks) and starts receiving. */
    @Override
    public synchronized void connect(Duration timeout) throws IOException {
        if (receiver != null) {
            return;
        }
        client.pull(timeout);
        pullData.incrementAndGet();
        pullAcks.incrementAndGet();
        receiver = daemon(this::receiveLoop, "virtual-gateway-rx-" + client.eui());
        if (timing == Timing.ON_AIR) {
            transmitter = daemon(this::transmitLoop, "virtual-gateway-tx-" + client.eui());
        }
    }

    /**
     * Sends PULL_DATA now, without waiting (the receiver thread counts the PULL_ACK), to keep the server's
     * downlink route and any NAT mapping fresh.
     */
    public void keepAlive() throws IOException {
        synchronized (sendLock) {
            client.sendRaw(SemtechCodec.encode(new SemtechPacket.PullData(Token.fromLe(keepAliveTokens.nextInt(0x10000)),
                    client.eui())));
        }
        pullData.incrementAndGet();
    }

    /** {@link #startKeepAlive(Duration, int)} at a reference forwarder's intervals: 10 s, a stat every 30 s. */
    @Override
    public void startKeepAlive() {
        startKeepAlive(KEEPALIVE_INTERVAL, STAT_EVERY);
    }

    /**
     * Sends PULL_DATA every {@code interval} (wall time) until closed, and every {@code statEvery}-th time a
     * PUSH_DATA {@code stat} report with the gateway's counters, as a forwarder with {@code keepalive_interval}
     * and {@code stat_interval} does (10 s and 30 s by default there). Call after {@link #connect}.
     */
    public synchronized void startKeepAlive(Duration interval, int statEvery) {
        if (interval.isNegative() || interval.isZero() || statEvery < 1) {
            throw new IllegalArgumentException("keep-alive interval must be positive and statEvery >= 1");
        }
        if (receiver == null) {
            throw new SimException("virtual gateway " + eui() + ": connect() first");
        }
        if (keepAlive != null) {
            return;
        }
        keepAlive = daemon(() -> {
            long n = 0;
            while (open) {
                try {
                    Thread.sleep(interval.toMillis(), interval.toNanosPart() % 1_000_000);
                    keepAlive();
                    if (++n % statEvery == 0) {
                        sendStat();
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (IOException | UncheckedIOException e) {
                    if (!open) {
                        return;
                    }
                }
            }
        }, "virtual-gateway-keepalive-" + client.eui());
    }

    /** Sends a PUSH_DATA with a {@code stat} object: the time and the gateway's reception and downlink counters. */
    public void sendStat() throws IOException {
        long rx = received.get();
        long dn = downlinks.get();
        long pushed = pushData.get();
        double ackr = pushed == 0 ? 0 : Math.min(100.0, 100.0 * pushAcks.get() / pushed);
        Stat stat = new Stat(Optional.of(clock.instant()), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.of(rx & TMST_MASK), Optional.of(rx & TMST_MASK), Optional.of(rx & TMST_MASK),
                Optional.of(ackr), Optional.of(dn & TMST_MASK), Optional.of(transmitted.get() & TMST_MASK));
        synchronized (sendLock) {
            client.sendRaw(SemtechCodec.encode(new SemtechPacket.PushData(Token.fromLe(keepAliveTokens.nextInt(0x10000)),
                    client.eui(), List.of(), Optional.of(stat))));
        }
        pushData.incrementAndGet();
    }

    /** The next concentrator timestamp: µs since the gateway started on its clock, strictly increasing mod 2^32. */
    public long nextTmst() {
        long now = elapsedMicros();
        return lastTmst.updateAndGet(last -> last < 0 || now > last ? now : last + 1) & TMST_MASK;
    }

    /** The concentrator counter now, on the gateway's clock (never behind a tmst already handed out). */
    public long counter() {
        long now = elapsedMicros();
        return Math.max(now, lastTmst.get()) & TMST_MASK;
    }

    private long elapsedMicros() {
        return Duration.between(counterStart, clock.instant()).toNanos() / 1_000;
    }

    /** PULL_RESPs received from the server: every downlink it asked for, in every window, taken or refused. */
    public long downlinksRequested() {
        return downlinks.get();
    }

    @Override
    public long unmatchedDownlinks() {
        return unheard.get();
    }

    /**
     * A fault to inject: the next {@code count} PULL_RESPs are refused with {@code error} whatever their timing, as a
     * gateway whose radio is taken by another transmission answers ({@code COLLISION_PACKET}), for testing that a
     * refused downlink is told apart from a board fault.
     */
    public void refuseNextDownlinks(int count, TxAckError error) {
        if (count < 0 || error == TxAckError.NONE) {
            throw new IllegalArgumentException("refuse a non-negative number of downlinks with an error, not " + count + " " + error);
        }
        synchronized (radio) {
            refusalsLeft = count;
            refusal = error;
        }
    }

    /** PULL_RESPs refused with {@code error}. */
    @Override
    public long refusedDownlinks(TxAckError error) {
        synchronized (radio) {
            return refused.getOrDefault(error, 0L);
        }
    }

    /** The next {@code count} PULL_RESPs are refused with COLLISION_PACKET (the radio is taken). */
    @Override
    public void refuseNextDownlinks(int count) {
        refuseNextDownlinks(count, TxAckError.COLLISION_PACKET);
    }

    /** PULL_ACKs received (including the one {@link #connect} waited for). */
    public long pullAcks() {
        return pullAcks.get();
    }

    /** PUSH_ACKs received for uplinks and stat reports. */
    public long pushAcks() {
        return pushAcks.get();
    }

    /** Pushes an uplink heard from a device (rxpk at the next tmst) and does not wait for any downlink. */
    @Override
    public void push(byte[] phy, long frequencyHz, int sf, int rssi, double snr) throws IOException {
        long tmst = nextTmst();
        synchronized (sendLock) {
            client.push(PacketForwarderClient.rxpk(phy, tmst, frequencyHz, sf, rssi, snr));
        }
        received.incrementAndGet();
        pushData.incrementAndGet();
    }

    /**
     * Pushes {@code phy} as heard from {@code device} and waits for the downlink in its RX1 or RX2 slot. Empty
     * when none came: on air, once the RX2 slot has passed; in any timing, after the reply timeout (a data uplink
     * usually has no answer).
     */
    @Override
    public Optional<byte[]> deliver(VirtualDevice device, byte[] phy, long frequencyHz, int sf, int rssi, double snr)
            throws IOException {
        if (receiver == null) {
            throw new SimException("virtual gateway " + eui() + ": connect() first");
        }
        if (phy == null || phy.length == 0) {
            throw new SimException("virtual gateway: empty frame");
        }
        Duration d1;
        Duration d2;
        Region region = device.identity().region();
        if (MType.ofCode((phy[0] & 0xff) >> 5) == MType.JOIN_REQUEST) {
            d1 = region.joinAcceptDelay1();
            d2 = region.joinAcceptDelay2();
        } else {
            d1 = device.session().map(s -> Duration.ofSeconds(s.rxDelaySeconds())).orElse(region.receiveDelay1());
            d2 = d1.plusSeconds(1);
        }
        Reception r;
        synchronized (sendLock) { // register before pushing so a fast answer is not missed
            synchronized (radio) {
                long tmst;
                long rx1;
                long rx2;
                do { // no slot may be shared with another waiting reception (e.g. RX2 of one = RX1 of the next)
                    tmst = nextTmst();
                    rx1 = (tmst + d1.toNanos() / 1_000) & TMST_MASK;
                    rx2 = (tmst + d2.toNanos() / 1_000) & TMST_MASK;
                } while (listening.containsKey(rx1) || listening.containsKey(rx2));
                r = new Reception(rx1, rx2, new CompletableFuture<>());
                listening.put(rx1, r);
                listening.put(rx2, r);
                receptions.add(r);
                radio.notifyAll();
                client.push(PacketForwarderClient.rxpk(phy, tmst, frequencyHz, sf, rssi, snr));
            }
        }
        received.incrementAndGet();
        pushData.incrementAndGet();
        try {
            return Optional.ofNullable(r.answer().get(replyTimeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a downlink", e);
        } catch (ExecutionException e) {
            throw new IOException("downlink failed: " + e.getCause(), e.getCause());
        } catch (java.util.concurrent.CancellationException e) {
            throw new IOException("virtual gateway " + eui() + " closed while a device waited for its downlink", e);
        } finally {
            synchronized (radio) {
                stopListening(r);
            }
        }
    }

    private void stopListening(Reception r) {
        listening.remove(r.rx1(), r);
        listening.remove(r.rx2(), r);
        receptions.remove(r);
    }

    private void receiveLoop() {
        while (open) {
            try {
                Optional<SemtechPacket> p = client.receive(POLL);
                if (p.isPresent() && p.get() instanceof SemtechPacket.PullResp resp) {
                    onPullResp(resp);
                } else if (p.isPresent() && p.get() instanceof SemtechPacket.PullAck) {
                    pullAcks.incrementAndGet();
                } else if (p.isPresent() && p.get() instanceof SemtechPacket.PushAck) {
                    pushAcks.incrementAndGet();
                }
            } catch (IOException | UncheckedIOException e) {
                if (!open) {
                    return;
                }
            } catch (RuntimeException e) {
                if (!open) {
                    return;
                }
            }
        }
    }

    private void onPullResp(SemtechPacket.PullResp resp) throws IOException {
        downlinks.incrementAndGet();
        Txpk txpk = resp.txpk();
        TxAckError result;
        synchronized (radio) {
            long now = counter();
            long airtime = airtimeMicros(txpk);
            if (refusalsLeft > 0) {
                refusalsLeft--;
                result = refusal;
            } else if (timing == Timing.ON_AIR) {
                long at = txpk.immediate() ? queue.asap(now, airtime) : txpk.tmst().orElse(-1L);
                result = at < 0 ? TxAckError.GPS_UNLOCKED : queue.offer(now, at, airtime, txpk);
                radio.notifyAll();
            } else {
                long at = txpk.immediate() ? (now + TxQueue.IMMEDIATE_DELAY_US) & TMST_MASK : txpk.tmst().orElse(-1L);
                result = at < 0 ? TxAckError.GPS_UNLOCKED : TxQueue.timing(now, at);
                if (result == TxAckError.NONE) {
                    transmit(at, txpk);
                }
            }
            if (result != TxAckError.NONE) {
                refused.merge(result, 1L, Long::sum);
            }
        }
        synchronized (sendLock) {
            client.txAck(resp, result);
        }
    }

    /** Hands {@code txpk}, sent at counter {@code at}, to the device listening in that slot, if any. Under radio. */
    private void transmit(long at, Txpk txpk) {
        transmitted.incrementAndGet();
        Reception r = listening.get(at);
        if (r != null && r.answer().complete(txpk.data())) {
            stopListening(r);
        } else {
            unheard.incrementAndGet();
        }
    }

    /** On air: sends what is due and ends the receptions whose RX2 slot has passed, as the counter moves. */
    private void transmitLoop() {
        synchronized (radio) {
            while (open) {
                long now = counter();
                for (TxQueue.Entry<Txpk> e : queue.due(now)) {
                    transmit(e.tmst(), e.item());
                }
                OptionalLong next = queue.untilNext(now);
                for (Reception r : List.copyOf(receptions)) {
                    long close = (r.rx2() + RX_WINDOW_US) & TMST_MASK;
                    if (TxQueue.isPast(now, close)) {
                        stopListening(r);
                        r.answer().complete(null); // heard nothing in RX1 or RX2
                    } else {
                        long until = TxQueue.ahead(now, close);
                        next = OptionalLong.of(next.isPresent() ? Math.min(next.getAsLong(), until) : until);
                    }
                }
                try {
                    if (next.isEmpty()) {
                        radio.wait();
                    } else {
                        long waitNanos = Math.max(1, Math.min(TICK_NANOS, next.getAsLong() * 1_000));
                        TimeUnit.NANOSECONDS.timedWait(radio, waitNanos);
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Time on air of a downlink, µs (LoRa: the modem formula; FSK: preamble, sync word, length and CRC bytes). */
    static long airtimeMicros(Txpk txpk) {
        if (txpk.dataRate() instanceof DataRate.Lora lora) {
            return LoraAirtime.timeOnAir(txpk.size(), lora.spreadingFactor(), lora.bandwidthHz()).toNanos() / 1_000;
        }
        DataRate.Fsk fsk = (DataRate.Fsk) txpk.dataRate();
        return (txpk.size() + 11) * 8L * 1_000_000L / fsk.bitRate();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    @Override
    public void close() {
        open = false;
        Thread rx;
        Thread tx;
        Thread ka;
        synchronized (this) {
            rx = receiver;
            tx = transmitter;
            ka = keepAlive;
        }
        if (ka != null) {
            ka.interrupt();
        }
        if (tx != null) {
            tx.interrupt();
        }
        for (Thread t : new Thread[] {rx, tx, ka}) {
            if (t != null) {
                try {
                    t.join(POLL.toMillis() * 4);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        client.close();
        synchronized (radio) {
            receptions.forEach(r -> r.answer().cancel(false));
            receptions.clear();
            listening.clear();
        }
    }

    @Override
    public String toString() {
        return "VirtualGateway[" + eui() + ", " + timing + "]";
    }
}
