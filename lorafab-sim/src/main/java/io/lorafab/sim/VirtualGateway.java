package io.lorafab.sim;

import io.lorafab.gateway.client.PacketForwarderClient;
import io.lorafab.gateway.semtech.SemtechCodec;
import io.lorafab.gateway.semtech.SemtechPacket;
import io.lorafab.gateway.semtech.Token;
import io.lorafab.gateway.semtech.TxAckError;
import io.lorafab.lorawan.frame.MType;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.Eui64;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A packet forwarder for virtual devices, over the Semtech UDP protocol ({@link PacketForwarderClient}). Its
 * concentrator counter (tmst, µs, 32 bits) runs on the injected clock from when the gateway was created; two
 * receptions never share a tmst. A downlink is matched to the uplink it answers by its tmst: uplink tmst +
 * JOIN_ACCEPT_DELAY1/2 for a join-request, + RX1 delay / RX1 delay + 1 s for a data frame; PULL_RESPs for other
 * receptions (other devices on the same gateway) go to their own waiters, so several threads may
 * {@link #deliver} at once. A receiver thread reads the socket and answers each matched PULL_RESP with TX_ACK
 * NONE; unmatched ones are answered TOO_LATE (no device is listening).
 */
public final class VirtualGateway implements AutoCloseable {

    private static final long TMST_MASK = 0xFFFF_FFFFL;
    private static final Duration POLL = Duration.ofMillis(50);

    private final PacketForwarderClient client;
    private final Clock clock;
    private final Instant counterStart;
    private final Duration replyTimeout;
    private final AtomicLong lastTmst = new AtomicLong(-1);
    private final Map<Long, CompletableFuture<byte[]>> waiting = new ConcurrentHashMap<>();
    private final Object sendLock = new Object();
    private final AtomicLong unmatched = new AtomicLong();
    private final java.util.SplittableRandom keepAliveTokens = new java.util.SplittableRandom();
    private volatile boolean open = true;
    private Thread receiver;

    /**
     * @param replyTimeout how long (wall time: this is network I/O) {@link #deliver} waits for a downlink
     */
    public VirtualGateway(Eui64 eui, InetSocketAddress server, Clock clock, Duration replyTimeout) throws IOException {
        this.client = new PacketForwarderClient(eui, server);
        this.clock = clock;
        this.counterStart = clock.instant();
        this.replyTimeout = replyTimeout;
    }

    public Eui64 eui() {
        return client.eui();
    }

    /** Sends PULL_DATA (so that the server knows where to send downlinks) and starts receiving. */
    public synchronized void connect(Duration timeout) throws IOException {
        if (receiver != null) {
            return;
        }
        client.pull(timeout);
        receiver = new Thread(this::receiveLoop, "virtual-gateway-" + client.eui());
        receiver.setDaemon(true);
        receiver.start();
    }

    /**
     * Sends another PULL_DATA without waiting (the receiver thread drops the PULL_ACK); call every few seconds in
     * long runs, as a real forwarder does every 10 s, to keep the server's route and any NAT mapping fresh.
     */
    public void keepAlive() throws IOException {
        synchronized (sendLock) {
            client.sendRaw(SemtechCodec.encode(new SemtechPacket.PullData(Token.fromLe(keepAliveTokens.nextInt(0x10000)),
                    client.eui())));
        }
    }

    /** The next concentrator timestamp: µs since the gateway started on its clock, strictly increasing mod 2^32. */
    public long nextTmst() {
        long now = Duration.between(counterStart, clock.instant()).toNanos() / 1_000;
        return lastTmst.updateAndGet(last -> last < 0 || now > last ? now : last + 1) & TMST_MASK;
    }

    /** Downlinks received that no waiting device claimed. */
    public long unmatchedDownlinks() {
        return unmatched.get();
    }

    /** Pushes an uplink heard from a device and does not wait for any downlink. Returns the tmst used. */
    public long push(byte[] phy, long frequencyHz, int sf, int rssi, double snr) throws IOException {
        long tmst = nextTmst();
        synchronized (sendLock) {
            client.push(PacketForwarderClient.rxpk(phy, tmst, frequencyHz, sf, rssi, snr));
        }
        return tmst;
    }

    /**
     * Pushes {@code phy} as heard from {@code device} and waits for the downlink in its RX1 or RX2 slot. Empty
     * when none came within the reply timeout (a data uplink usually has no answer).
     */
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
        CompletableFuture<byte[]> answer = new CompletableFuture<>();
        long tmst;
        long rx1;
        long rx2;
        synchronized (sendLock) { // register before pushing so a fast answer is not missed
            do { // no slot may be shared with another waiting reception (e.g. RX2 of one = RX1 of the next)
                tmst = nextTmst();
                rx1 = (tmst + d1.toNanos() / 1_000) & TMST_MASK;
                rx2 = (tmst + d2.toNanos() / 1_000) & TMST_MASK;
            } while (waiting.containsKey(rx1) || waiting.containsKey(rx2));
            waiting.put(rx1, answer);
            waiting.put(rx2, answer);
            client.push(PacketForwarderClient.rxpk(phy, tmst, frequencyHz, sf, rssi, snr));
        }
        try {
            return Optional.of(answer.get(replyTimeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a downlink", e);
        } catch (ExecutionException e) {
            throw new IOException("downlink failed: " + e.getCause(), e.getCause());
        } finally {
            waiting.remove(rx1, answer);
            waiting.remove(rx2, answer);
        }
    }

    private void receiveLoop() {
        while (open) {
            try {
                Optional<SemtechPacket> p = client.receive(POLL);
                if (p.isPresent() && p.get() instanceof SemtechPacket.PullResp resp) {
                    onPullResp(resp);
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
        Optional<Long> t = resp.txpk().tmst();
        CompletableFuture<byte[]> f = t.map(waiting::get).orElse(null);
        boolean claimed = f != null && f.complete(resp.txpk().data());
        if (!claimed) {
            unmatched.incrementAndGet();
        }
        synchronized (sendLock) {
            client.txAck(resp, claimed ? TxAckError.NONE : TxAckError.TOO_LATE);
        }
    }

    @Override
    public void close() {
        open = false;
        Thread r;
        synchronized (this) {
            r = receiver;
        }
        if (r != null) {
            try {
                r.join(POLL.toMillis() * 4);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        client.close();
        waiting.values().forEach(f -> f.cancel(false));
    }

    @Override
    public String toString() {
        return "VirtualGateway[" + eui() + "]";
    }
}
