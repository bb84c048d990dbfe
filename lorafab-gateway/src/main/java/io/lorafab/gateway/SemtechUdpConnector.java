package io.lorafab.gateway;

import io.lorafab.gateway.semtech.CrcStatus;
import io.lorafab.gateway.semtech.PacketType;
import io.lorafab.gateway.semtech.Rxpk;
import io.lorafab.gateway.semtech.SemtechCodec;
import io.lorafab.gateway.semtech.SemtechPacket;
import io.lorafab.gateway.semtech.SemtechPacket.PullAck;
import io.lorafab.gateway.semtech.SemtechPacket.PullData;
import io.lorafab.gateway.semtech.SemtechPacket.PullResp;
import io.lorafab.gateway.semtech.SemtechPacket.PushAck;
import io.lorafab.gateway.semtech.SemtechPacket.PushData;
import io.lorafab.gateway.semtech.SemtechPacket.TxAck;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.lorafab.gateway.semtech.SemtechProtocolException;
import io.lorafab.gateway.semtech.Token;
import io.lorafab.gateway.semtech.TxAckError;
import io.lorafab.gateway.semtech.Txpk;
import io.lorafab.lorawan.types.Eui64;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The Semtech UDP packet-forwarder protocol (version 2), server side: one {@link DatagramSocket}, one receive
 * thread, and one scheduler thread for deduplication flushes and TX_ACK timeouts.
 *
 * <ul>
 * <li>PUSH_DATA: acknowledged at once (PUSH_ACK, same token, to the sender; also when its JSON is malformed
 * but its header is not). Each rxpk with CRC OK and LoRa modulation goes to the {@link Deduplicator}; the
 * {@code stat} is stored on the gateway.</li>
 * <li>PULL_DATA: acknowledged (PULL_ACK); its source becomes the gateway's downlink address.</li>
 * <li>TX_ACK: completes the {@link #send} whose PULL_RESP carried the same gateway EUI and token, if it came
 * from the address the PULL_RESP went to.</li>
 * </ul>
 *
 * <p>Nothing a datagram contains stops the receive thread: every datagram that is dropped is counted under a
 * reason ({@link #counters()}), logged once at WARNING per reason (without detail) and at DEBUG every time
 * (with detail; never payload bytes above DEBUG). A listener that throws is counted under
 * {@link #LISTENER_ERROR}.
 *
 * <p>Gateway state (registry, counters) is updated before the acknowledgement of the datagram that changed it
 * is sent, so a gateway that got its PULL_ACK can be sent to at once.
 *
 * <p>The clock gives arrival times (uplink {@code receivedAt}, gateway {@code lastSeen}); real-time waits
 * (deduplication window, TX_ACK timeout) run on the scheduler.
 *
 * <p>The protocol has no authentication: anyone who can reach the port can announce any gateway EUI. What
 * limits that, in the order a datagram meets it (each check O(1)):
 * <ol>
 * <li>size: a datagram over {@link SemtechUdpConfig#maxDatagramBytes()} is dropped before it is decoded;</li>
 * <li>the allow-list ({@link GatewayAllowList}), by EUI and, where given, source address;</li>
 * <li>address pinning: a gateway stays pinned to the IP address it is heard from; another address claiming its EUI
 * is refused until the pinned one has been silent for {@link SemtechUdpConfig#addrChangeBlock()} (logged at
 * WARNING once per claiming address, counted, and kept on the gateway's state), so a PULL_DATA from elsewhere
 * cannot take over its downlinks, nor a TX_ACK from elsewhere answer them;</li>
 * <li>a PUSH_DATA with more than {@link SemtechUdpConfig#maxRxpkPerPush()} receptions is dropped whole;</li>
 * <li>receptions per second per source address ({@link SemtechUdpConfig#rxpkPerSecondPerAddress()}), so one
 * sender cannot fill the deduplication window or the join server's queue for everyone.</li>
 * </ol>
 * Dropped datagrams are not acknowledged (except a PUSH_DATA whose receptions were dropped after its EUI and address
 * were accepted, so that a real forwarder's {@code ackr} stays truthful). Expose the port only on networks the
 * gateways are on.
 */
public final class SemtechUdpConnector implements GatewayConnector, MeterBinder {

    private static final System.Logger LOG = System.getLogger(SemtechUdpConnector.class.getName());

    // ---- event counters
    /** PUSH_DATA datagrams accepted. */
    public static final String PUSH_DATA = "push_data";
    /** Datagrams from a gateway EUI outside {@link SemtechUdpConfig#allowList()}, dropped unanswered. */
    public static final String GATEWAY_NOT_ALLOWED = "gateway_not_allowed";
    /** Datagrams from an allowed gateway EUI but from an address its entry does not list, dropped unanswered. */
    public static final String GATEWAY_ADDRESS_NOT_ALLOWED = "gateway_address_not_allowed";
    /**
     * Datagrams claiming a gateway EUI from another address than the one it is pinned to, while that one is
     * active ({@link SemtechUdpConfig#addrChangeBlock()}), dropped unanswered.
     */
    public static final String GATEWAY_ADDRESS_REFUSED = "gateway_address_refused";
    /** Gateways that moved to another address after the old one had been silent for the block time. */
    public static final String GATEWAY_ADDRESS_CHANGED = "gateway_address_changed";
    /** PULL_DATA datagrams accepted. */
    public static final String PULL_DATA = "pull_data";
    /** TX_ACK datagrams matched to a send. */
    public static final String TX_ACK = "tx_ack";
    /** PULL_RESP datagrams sent. */
    public static final String PULL_RESP_SENT = "pull_resp_sent";
    /** Sends that got no TX_ACK in time. */
    public static final String TX_TIMEOUT = "tx_timeout";
    /** Receptions handed to the deduplicator. */
    public static final String RXPK_ACCEPTED = "rxpk_accepted";
    /** Receptions of a waiting frame by a gateway that had already reported it. */
    public static final String RXPK_SAME_GATEWAY = "rxpk_same_gateway";
    /** Uplinks handed to the listener. */
    public static final String UPLINKS = "uplinks";

    // ---- drop reasons: datagrams
    /** Larger than {@link SemtechUdpConfig#maxDatagramBytes()}. */
    public static final String DATAGRAM_TOO_LARGE = "datagram_too_large";
    /** PUSH_DATA with more receptions than {@link SemtechUdpConfig#maxRxpkPerPush()}: acknowledged, receptions dropped. */
    public static final String TOO_MANY_RXPK = "too_many_rxpk";
    /** Shorter than its header (4 bytes, or 12 for types with a gateway EUI). */
    public static final String TRUNCATED = "truncated";
    /** Protocol version other than 2. */
    public static final String UNSUPPORTED_VERSION = "unsupported_version";
    /** Unknown identifier byte. */
    public static final String UNKNOWN_TYPE = "unknown_type";
    /** Valid header, invalid body (JSON, fields, length). */
    public static final String MALFORMED = "malformed";
    /** A server-to-gateway type (PUSH_ACK, PULL_ACK, PULL_RESP) sent to the server. */
    public static final String UNEXPECTED_TYPE = "unexpected_type";
    /** A TX_ACK matching no waiting send (unknown, or too late after its timeout). */
    public static final String TX_ACK_UNKNOWN_TOKEN = "tx_ack_unknown_token";
    /** A TX_ACK from another address than the one its PULL_RESP went to. */
    public static final String TX_ACK_UNEXPECTED_SOURCE = "tx_ack_unexpected_source";
    // ---- drop reasons: receptions
    public static final String RXPK_CRC_BAD = "rxpk_crc_bad";
    public static final String RXPK_NO_CRC = "rxpk_no_crc";
    /** FSK receptions (only LoRa is supported). */
    public static final String RXPK_NOT_LORA = "rxpk_not_lora";
    public static final String RXPK_EMPTY = "rxpk_empty";
    /** Too many frames in the deduplication window. */
    public static final String DEDUP_OVERFLOW = "dedup_overflow";
    /** Receptions over the per-source-address rate ({@link SemtechUdpConfig#rxpkPerSecondPerAddress()}). */
    public static final String RXPK_RATE_LIMITED = "rxpk_rate_limited";
    // ---- other problems
    /** A gateway forgotten to make room for a new one (the registry was full; the one heard least recently goes). */
    public static final String GATEWAY_EVICTED = "gateway_evicted";
    /** The uplink listener threw. */
    public static final String LISTENER_ERROR = "listener_error";
    /** A send to a gateway without downlink route. */
    public static final String SEND_NO_ROUTE = "send_no_route";
    /** A datagram could not be sent. */
    public static final String SEND_ERROR = "send_error";
    /** The socket reported an error while receiving. */
    public static final String RECEIVE_ERROR = "receive_error";
    /** A bug: an unexpected exception while handling a datagram. */
    public static final String INTERNAL_ERROR = "internal_error";

    /**
     * The counter of TX_ACKs that refused a downlink with {@code error} ({@code tx_ack_error_too_late}, ...); a
     * timeout is {@link #TX_TIMEOUT}.
     */
    public static String txAckError(TxAckError error) {
        return TX_ACK_ERRORS[error.ordinal()];
    }

    private static final String[] TX_ACK_ERRORS = java.util.Arrays.stream(TxAckError.values())
            .map(e -> "tx_ack_error_" + e.name().toLowerCase(java.util.Locale.ROOT)).toArray(String[]::new);

    /** Attempts at drawing a PULL_RESP token not already waiting for the same gateway. */
    private static final int TOKEN_ATTEMPTS = 32;
    /** Source addresses whose reception rate is tracked at most (beyond it the stalest is forgotten). */
    private static final int MAX_RATE_TRACKED_ADDRESSES = 65_536;

    private final SemtechUdpConfig config;
    private final Clock clock;
    private final InMemoryGatewayRegistry registry;
    private final Deduplicator dedup;
    private final AddressRateLimit rxpkPerAddress;
    private final Counters counters = new Counters();
    private final ConcurrentHashMap<PendingKey, PendingSend> pendingSends = new ConcurrentHashMap<>();

    private final Object lifecycle = new Object();
    private volatile boolean closed;
    private volatile DatagramSocket socket;
    private volatile UplinkListener listener;
    private Thread receiver;
    private ScheduledThreadPoolExecutor scheduler;

    public SemtechUdpConnector(SemtechUdpConfig config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.registry = new InMemoryGatewayRegistry(config.maxGateways(), evicted -> {
            counters.increment(GATEWAY_EVICTED);
            LOG.log(System.Logger.Level.DEBUG, () -> "gateway " + evicted.eui() + " forgotten to make room (registry full)");
        });
        this.dedup = new Deduplicator(config.dedupWindow(), config.maxPendingFrames());
        this.rxpkPerAddress = new AddressRateLimit(config.rxpkPerSecondPerAddress(), MAX_RATE_TRACKED_ADDRESSES);
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public void start(UplinkListener uplinkListener) {
        Objects.requireNonNull(uplinkListener, "uplinkListener");
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("connector is closed");
            }
            if (socket != null) {
                throw new IllegalStateException("connector already started");
            }
            DatagramSocket s;
            try {
                s = new DatagramSocket(config.bindAddress());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot bind UDP " + config.bindAddress() + ": " + e.getMessage(), e);
            }
            try {
                // Bursts of PUSH_DATA from many gateways must not overflow the kernel's queue while a frame is
                // decoded; the kernel caps this at net.core.rmem_max.
                s.setReceiveBufferSize(4 << 20);
            } catch (java.net.SocketException e) {
                LOG.log(System.Logger.Level.DEBUG, "cannot enlarge the UDP receive buffer: " + e);
            }
            int port = s.getLocalPort();
            ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
                Thread t = new Thread(r, "semtech-udp-timer-" + port);
                t.setDaemon(true);
                return t;
            });
            timer.setRemoveOnCancelPolicy(true);
            this.listener = uplinkListener;
            this.scheduler = timer;
            this.socket = s;
            this.receiver = new Thread(this::receiveLoop, "semtech-udp-rx-" + port);
            receiver.setDaemon(true);
            receiver.start();
            LOG.log(System.Logger.Level.INFO, () -> "Semtech UDP connector listening on " + s.getLocalSocketAddress());
        }
    }

    /** The bound port (useful with port 0). */
    public int localPort() {
        return runningSocket().getLocalPort();
    }

    /** The bound address. */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) runningSocket().getLocalSocketAddress();
    }

    private DatagramSocket runningSocket() {
        DatagramSocket s = socket;
        if (s == null) {
            throw new IllegalStateException("connector not started");
        }
        return s;
    }

    @Override
    public void close() {
        Thread rx;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            rx = receiver;
            if (socket != null) {
                socket.close();
            }
            if (scheduler != null) {
                scheduler.shutdownNow();
            }
        }
        if (rx != null && rx != Thread.currentThread()) {
            try {
                rx.join(TimeUnit.SECONDS.toMillis(2));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Map.Entry<PendingKey, PendingSend> e : pendingSends.entrySet()) {
            if (pendingSends.remove(e.getKey(), e.getValue())) {
                e.getValue().future.completeExceptionally(
                        new GatewayUnavailableException(e.getKey().gatewayEui(), "connector closed"));
            }
        }
        dedup.flushAll();
    }

    // ---------------------------------------------------------------- accessors

    @Override
    public GatewayRegistry gateways() {
        return registry;
    }

    /** Event and drop counters by name (the constants of this class), a sorted snapshot. */
    public Map<String, Long> counters() {
        return counters.snapshot();
    }

    /**
     * Exposes the connector's totals as meters read from its own counters when scraped, so that nothing is added
     * to the receive path: {@code lorafab_gateway_datagrams_total{type}} (datagrams accepted: PUSH_DATA, PULL_DATA,
     * TX_ACK), {@code lorafab_gateway_downlinks_total} (PULL_RESP sent), {@code lorafab_gateway_downlink_errors_total{error}}
     * (a TX_ACK's error word, NO_TX_ACK for none in time, SEND_FAILED for a PULL_RESP that could not be sent),
     * {@code lorafab_gateway_datagrams_dropped_total} and {@code lorafab_gateways} (known gateways). No meter has a
     * gateway tag: how many gateways there are is not bounded here ({@code /api/gateways} has them one by one).
     */
    @Override
    public void bindTo(MeterRegistry meters) {
        for (String type : List.of(PUSH_DATA, PULL_DATA, TX_ACK)) {
            FunctionCounter.builder("lorafab.gateway.datagrams", counters, c -> c.get(type))
                    .description("Semtech UDP datagrams accepted, by type").tag("type", type.toUpperCase(java.util.Locale.ROOT))
                    .register(meters);
        }
        FunctionCounter.builder("lorafab.gateway.downlinks", counters, c -> c.get(PULL_RESP_SENT))
                .description("Downlinks sent to gateways (PULL_RESP)").register(meters);
        for (TxAckError e : TxAckError.values()) {
            if (e != TxAckError.NONE) {
                downlinkErrors(meters, e.name(), txAckError(e));
            }
        }
        downlinkErrors(meters, "NO_TX_ACK", TX_TIMEOUT);
        downlinkErrors(meters, "SEND_FAILED", SEND_ERROR);
        FunctionCounter.builder("lorafab.gateway.datagrams.dropped", counters, c -> DROPPED.stream().mapToLong(c::get).sum())
                .description("Semtech UDP datagrams dropped (malformed, not allowed, too large, ...)").register(meters);
        Gauge.builder("lorafab.gateways", registry, r -> r.all().size()).description("Gateways known to the listener")
                .register(meters);
    }

    private void downlinkErrors(MeterRegistry meters, String error, String counter) {
        FunctionCounter.builder("lorafab.gateway.downlink.errors", counters, c -> c.get(counter))
                .description("Downlinks a gateway refused (TX_ACK error) or did not acknowledge").tag("error", error)
                .register(meters);
    }

    /** The reasons a datagram is dropped whole. */
    private static final List<String> DROPPED = List.of(GATEWAY_NOT_ALLOWED, GATEWAY_ADDRESS_NOT_ALLOWED, GATEWAY_ADDRESS_REFUSED,
            DATAGRAM_TOO_LARGE, TRUNCATED, UNSUPPORTED_VERSION, UNKNOWN_TYPE, MALFORMED, UNEXPECTED_TYPE, TX_ACK_UNKNOWN_TOKEN,
            TX_ACK_UNEXPECTED_SOURCE);

    /** One counter, 0 if it never happened. */
    public long counter(String name) {
        return counters.get(name);
    }

    // ---------------------------------------------------------------- sending

    @Override
    public CompletableFuture<TxResult> send(Eui64 gatewayEui, Txpk txpk) {
        try {
            return doSend(Objects.requireNonNull(gatewayEui, "gatewayEui"), Objects.requireNonNull(txpk, "txpk"));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CompletableFuture<TxResult> doSend(Eui64 eui, Txpk txpk) {
        DatagramSocket s = socket;
        if (s == null || closed) {
            return CompletableFuture.failedFuture(new GatewayUnavailableException(eui,
                    closed ? "connector closed" : "connector not started"));
        }
        Optional<InetSocketAddress> route = registry.get(eui).flatMap(GatewayState::pullAddress);
        if (route.isEmpty()) {
            counters.increment(SEND_NO_ROUTE);
            return CompletableFuture.failedFuture(new GatewayUnavailableException(eui,
                    "no downlink route (it has not sent PULL_DATA)"));
        }
        InetSocketAddress destination = route.get();
        PendingSend pending = new PendingSend(destination);
        PendingKey key = null;
        for (int i = 0; i < TOKEN_ATTEMPTS && key == null; i++) {
            PendingKey candidate = new PendingKey(eui, Token.random(ThreadLocalRandom.current()));
            if (pendingSends.putIfAbsent(candidate, pending) == null) {
                key = candidate;
            }
        }
        if (key == null) {
            return CompletableFuture.failedFuture(new GatewayUnavailableException(eui,
                    "too many downlinks waiting for TX_ACK"));
        }
        byte[] datagram = SemtechCodec.encode(new PullResp(key.token(), txpk));
        PendingKey k = key;
        try {
            pending.timeout = scheduler.schedule(() -> timedOut(k, pending), config.ackTimeout().toNanos(),
                    TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            pendingSends.remove(k, pending);
            return CompletableFuture.failedFuture(new GatewayUnavailableException(eui, "connector closed"));
        }
        try {
            s.send(new DatagramPacket(datagram, datagram.length, destination));
        } catch (IOException e) {
            if (pendingSends.remove(k, pending)) {
                pending.timeout.cancel(false);
                counters.increment(SEND_ERROR);
                LOG.log(System.Logger.Level.WARNING, () -> "cannot send PULL_RESP to gateway " + eui + " at "
                        + destination + ": " + e);
                pending.future.completeExceptionally(new UncheckedIOException(
                        "cannot send PULL_RESP to gateway " + eui + ": " + e.getMessage(), e));
            }
            return pending.future;
        }
        counters.increment(PULL_RESP_SENT);
        registry.recordTxSent(eui);
        LOG.log(System.Logger.Level.DEBUG, () -> "PULL_RESP " + k.token() + " to gateway " + eui + " at "
                + destination + ": " + txpk.size() + " bytes at " + txpk.frequencyHz() + " Hz "
                + txpk.dataRate() + (txpk.tmst().isPresent() ? " tmst " + txpk.tmst().get() : ""));
        return pending.future;
    }

    private void timedOut(PendingKey key, PendingSend pending) {
        if (pendingSends.remove(key, pending)) {
            counters.increment(TX_TIMEOUT);
            registry.recordTxTimeout(key.gatewayEui());
            LOG.log(System.Logger.Level.DEBUG, () -> "no TX_ACK " + key.token() + " from gateway "
                    + key.gatewayEui() + " within " + config.ackTimeout());
            pending.future.complete(TxResult.timeout(key.gatewayEui(), key.token()));
        }
    }

    // ---------------------------------------------------------------- receiving

    private void receiveLoop() {
        DatagramSocket s = socket;
        // One byte more than allowed, to tell an oversized datagram from one that just fits.
        byte[] buf = new byte[config.maxDatagramBytes() + 1];
        DatagramPacket packet = new DatagramPacket(buf, buf.length);
        while (!closed && !s.isClosed()) {
            packet.setData(buf, 0, buf.length);
            try {
                s.receive(packet);
            } catch (SocketException e) {
                if (closed || s.isClosed()) {
                    break;
                }
                problem(RECEIVE_ERROR, null, e::toString);
                continue;
            } catch (IOException e) {
                problem(RECEIVE_ERROR, null, e::toString);
                continue;
            }
            InetSocketAddress from = (InetSocketAddress) packet.getSocketAddress();
            int length = packet.getLength();
            try {
                handle(buf, length, from);
            } catch (RuntimeException e) {
                counters.increment(INTERNAL_ERROR);
                LOG.log(System.Logger.Level.ERROR, "unexpected error handling a " + length + "-byte datagram from "
                        + from, e);
            }
        }
    }

    private void handle(byte[] buf, int length, InetSocketAddress from) {
        if (length > config.maxDatagramBytes()) {
            problem(DATAGRAM_TOO_LARGE, from, () -> "more than " + config.maxDatagramBytes() + " bytes");
            return;
        }
        if (length < SemtechCodec.HEADER_SIZE) {
            problem(TRUNCATED, from, () -> length + " bytes");
            return;
        }
        int version = buf[0] & 0xFF;
        if (version != SemtechCodec.PROTOCOL_VERSION) {
            problem(UNSUPPORTED_VERSION, from, () -> "version " + version);
            return;
        }
        int id = buf[3] & 0xFF;
        if (PacketType.fromId(id).isEmpty()) {
            problem(UNKNOWN_TYPE, from, () -> String.format("identifier 0x%02x", id));
            return;
        }
        SemtechCodec.Header header;
        try {
            header = SemtechCodec.decodeHeader(buf, 0, length);
        } catch (SemtechProtocolException e) {
            problem(TRUNCATED, from, e::getMessage);
            return;
        }
        Optional<Eui64> sender = header.gatewayEui();
        Instant now = null;
        if (sender.isPresent()) {
            // Who may speak for this EUI is settled from the header, before any JSON is parsed: a refused sender
            // costs no decoding.
            Eui64 eui = sender.get();
            // not acknowledged: the forwarder's log then shows that this server does not serve it
            switch (config.allowList().check(eui, from.getAddress())) {
                case ALLOWED -> { }
                case EUI_NOT_ALLOWED -> {
                    problem(GATEWAY_NOT_ALLOWED, from, () -> "gateway " + eui + " is not in the allowed list");
                    return;
                }
                case ADDRESS_NOT_ALLOWED -> {
                    problem(GATEWAY_ADDRESS_NOT_ALLOWED, from, () -> "gateway " + eui + " is allowed only from "
                            + config.allowList());
                    return;
                }
            }
            now = clock.instant();
            if (!admitted(eui, from, now)) {
                return;
            }
        }
        SemtechPacket packet;
        try {
            packet = SemtechCodec.decode(buf, 0, length);
        } catch (SemtechProtocolException e) {
            rejectBody(buf, length, from, e);
            return;
        }
        if (packet instanceof PushData p) {
            onPushData(p, from, now);
        } else if (packet instanceof PullData p) {
            onPullData(p, from, now);
        } else if (packet instanceof TxAck p) {
            onTxAck(p, from, now);
        } else {
            problem(UNEXPECTED_TYPE, from, () -> packet.type() + " is sent by servers, not gateways");
        }
    }

    /**
     * Address pinning: whether the datagram's source may speak for {@code eui}. A refused claim and an accepted move
     * are logged at WARNING naming the EUI and both addresses (a refused claim once per claiming address, not per
     * datagram), counted, and kept on the gateway's state.
     */
    private boolean admitted(Eui64 eui, InetSocketAddress from, Instant now) {
        InMemoryGatewayRegistry.Admission a = registry.admit(eui, from, now, config.addrChangeBlock());
        switch (a.check()) {
            case NEW_GATEWAY, SAME_ADDRESS -> {
                return true;
            }
            case MOVED -> {
                counters.increment(GATEWAY_ADDRESS_CHANGED);
                LOG.log(System.Logger.Level.WARNING, () -> "gateway " + eui + " moved from " + a.pinned().map(
                        InetAddress::getHostAddress).orElse("?") + " to " + from.getAddress().getHostAddress()
                        + " (silent at the old address for " + config.addrChangeBlock().toSeconds() + " s or more)");
                return true;
            }
            case REFUSED -> {
                counters.increment(GATEWAY_ADDRESS_REFUSED);
                if (a.newClaim()) {
                    LOG.log(System.Logger.Level.WARNING, () -> "gateway " + eui + " is claimed from "
                            + from.getAddress().getHostAddress() + " while active at " + a.pinned().map(
                            InetAddress::getHostAddress).orElse("?") + ": refused (accepted only after "
                            + config.addrChangeBlock().toSeconds() + " s of silence at the old address)");
                }
                LOG.log(System.Logger.Level.DEBUG, () -> "Semtech UDP: " + GATEWAY_ADDRESS_REFUSED + " from " + from
                        + ": gateway " + eui);
                return false;
            }
        }
        throw new AssertionError(a.check());
    }

    /** A datagram whose version and type are fine but whose header or body is not. */
    private void rejectBody(byte[] buf, int length, InetSocketAddress from, SemtechProtocolException e) {
        SemtechCodec.Header header;
        try {
            header = SemtechCodec.decodeHeader(buf, 0, length);
        } catch (SemtechProtocolException he) {
            problem(TRUNCATED, from, he::getMessage);
            return;
        }
        if (header.type() == PacketType.PUSH_DATA) {
            // The datagram did arrive: acknowledge it so that the forwarder's ackr stays truthful.
            reply(new PushAck(header.token()), from);
        }
        problem(MALFORMED, from, () -> header.gatewayEui().map(eui -> "gateway " + eui + ": ").orElse("")
                + e.getMessage());
    }

    /**
     * The gateway's state is updated before the acknowledgement goes out, so that whoever sees the PUSH_ACK
     * sees the state too; the receptions go to the deduplicator right after.
     */
    private void onPushData(PushData p, InetSocketAddress from, Instant now) {
        counters.increment(PUSH_DATA);
        Eui64 eui = p.gatewayEui();
        int n = p.rxpk().size();
        List<Rxpk> received = p.rxpk();
        if (n > config.maxRxpkPerPush()) {
            problem(TOO_MANY_RXPK, from, () -> "gateway " + eui + ": " + n + " receptions in one PUSH_DATA (at most "
                    + config.maxRxpkPerPush() + ")");
            received = List.of();
        } else if (!rxpkPerAddress.tryTake(from.getAddress(), n, now.toEpochMilli())) {
            counters.add(RXPK_RATE_LIMITED, n);
            if (counters.get(RXPK_RATE_LIMITED) == n) {
                LOG.log(System.Logger.Level.WARNING, () -> "Semtech UDP: " + RXPK_RATE_LIMITED + " from " + from
                        + " (first occurrence; further ones are counted and logged at DEBUG)");
            }
            LOG.log(System.Logger.Level.DEBUG, () -> "Semtech UDP: " + RXPK_RATE_LIMITED + " from " + from + ": gateway "
                    + eui + ", " + n + " receptions");
            received = List.of();
        }
        List<Rxpk> accepted = new ArrayList<>(received.size());
        for (Rxpk rxpk : received) {
            String reason = rejection(rxpk);
            if (reason == null) {
                accepted.add(rxpk);
            } else {
                counters.increment(reason);
                LOG.log(System.Logger.Level.TRACE, () -> "gateway " + eui + ": reception dropped: " + reason);
            }
        }
        registry.recordPushData(eui, from, now, p.stat(), accepted.size(), n - accepted.size());
        reply(PushAck.of(p), from);
        for (Rxpk rxpk : accepted) {
            offer(rxpk.data(), RxInfo.fromRxpk(eui, rxpk), now);
        }
    }

    /** Why a reception is not deduplicated and delivered, or null if it is. */
    private static String rejection(Rxpk rxpk) {
        if (rxpk.crcStatus() == CrcStatus.BAD) {
            return RXPK_CRC_BAD;
        }
        if (rxpk.crcStatus() == CrcStatus.NO_CRC) {
            return RXPK_NO_CRC;
        }
        if (!RxInfo.supports(rxpk)) {
            return RXPK_NOT_LORA;
        }
        if (rxpk.size() == 0) {
            return RXPK_EMPTY;
        }
        return null;
    }

    /**
     * A reception heard through another transport (a Basics Station gateway): it joins this connector's
     * deduplication window, so that one frame heard by gateways on both transports reaches the listener once, with
     * all its receptions. Ignored before {@link #start} and after {@link #close}.
     */
    public void offerReception(byte[] phyPayload, RxInfo rx) {
        if (scheduler == null || closed) {
            return;
        }
        offer(phyPayload, rx, clock.instant());
    }

    private void offer(byte[] phyPayload, RxInfo rx, Instant now) {
        switch (dedup.offer(phyPayload, rx, now)) {
            case NEW_FRAME -> {
                counters.increment(RXPK_ACCEPTED);
                Instant due = now.plus(config.dedupWindow());
                try {
                    scheduler.schedule(() -> flush(due), config.dedupWindow().toNanos(), TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException e) {
                    // closing
                }
            }
            case ADDED -> counters.increment(RXPK_ACCEPTED);
            case SAME_GATEWAY -> counters.increment(RXPK_SAME_GATEWAY);
            case REJECTED_FULL -> problem(DEDUP_OVERFLOW, null, () -> "gateway " + rx.gatewayEui() + ": "
                    + dedup.pendingFrames() + " frames waiting");
        }
    }

    /**
     * Delivers the frames due at {@code due}: a task scheduled one window after a first reception. The clock
     * may lag the scheduler (or be fixed in tests), so this flushes at least up to {@code due}.
     */
    private void flush(Instant due) {
        Instant now = clock.instant();
        for (Uplink uplink : dedup.flushDue(now.isAfter(due) ? now : due)) {
            if (closed) {
                return;
            }
            counters.increment(UPLINKS);
            try {
                listener.onUplink(uplink);
            } catch (RuntimeException e) {
                counters.increment(LISTENER_ERROR);
                LOG.log(System.Logger.Level.WARNING, "uplink listener failed on " + uplink, e);
            }
        }
    }

    /** The downlink route is recorded before the PULL_ACK goes out: whoever sees the ack can send. */
    private void onPullData(PullData p, InetSocketAddress from, Instant now) {
        counters.increment(PULL_DATA);
        Eui64 eui = p.gatewayEui();
        Optional<InetSocketAddress> before = registry.get(eui).flatMap(GatewayState::pullAddress);
        registry.recordPullData(eui, from, now);
        if (before.isPresent() && !before.get().equals(from)) {
            // The same IP address (pinning saw to that), another port: a NAT mapping or forwarder restart.
            LOG.log(System.Logger.Level.INFO, () -> "gateway " + eui + " downlink address changed from "
                    + before.get() + " to " + from);
        }
        reply(PullAck.of(p), from);
    }

    private void onTxAck(TxAck ack, InetSocketAddress from, Instant now) {
        PendingKey key = new PendingKey(ack.gatewayEui(), ack.token());
        PendingSend pending = pendingSends.get(key);
        if (pending == null) {
            registry.recordSeen(ack.gatewayEui(), now);
            problem(TX_ACK_UNKNOWN_TOKEN, from, () -> "gateway " + ack.gatewayEui() + " token " + ack.token());
            return;
        }
        if (!pending.destination.equals(from)) {
            problem(TX_ACK_UNEXPECTED_SOURCE, from, () -> "gateway " + ack.gatewayEui() + " token " + ack.token()
                    + ": PULL_RESP went to " + pending.destination);
            return;
        }
        if (!pendingSends.remove(key, pending)) {
            // Lost the race against the timeout.
            problem(TX_ACK_UNKNOWN_TOKEN, from, () -> "gateway " + ack.gatewayEui() + " token " + ack.token()
                    + " (after timeout)");
            return;
        }
        pending.timeout.cancel(false);
        TxResult result = TxResult.fromAck(ack);
        counters.increment(TX_ACK);
        if (!result.accepted()) {
            counters.increment(txAckError(result.error()));
        }
        registry.recordTxAck(ack.gatewayEui(), now, result.accepted());
        LOG.log(System.Logger.Level.DEBUG, () -> "TX_ACK " + ack.token() + " from gateway " + ack.gatewayEui()
                + ": " + result.status() + (result.accepted() ? "" : " " + result.error()));
        pending.future.complete(result);
    }

    private void reply(SemtechPacket packet, InetSocketAddress to) {
        byte[] datagram = SemtechCodec.encode(packet);
        try {
            socket.send(new DatagramPacket(datagram, datagram.length, to));
        } catch (IOException e) {
            problem(SEND_ERROR, to, () -> packet.type() + ": " + e);
        }
    }

    /**
     * Counts a problem; logs it at WARNING the first time its reason occurs (without detail, which may quote
     * datagram content) and at DEBUG every time.
     */
    private void problem(String reason, InetSocketAddress peer, Supplier<String> detail) {
        long n = counters.increment(reason);
        String where = peer == null ? "" : " from " + peer;
        if (n == 1) {
            LOG.log(System.Logger.Level.WARNING, () -> "Semtech UDP: " + reason + where
                    + " (first occurrence; further ones are counted and logged at DEBUG)");
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "Semtech UDP: " + reason + where + ": " + detail.get());
    }

    private record PendingKey(Eui64 gatewayEui, Token token) {
    }

    private static final class PendingSend {
        final InetSocketAddress destination;
        final CompletableFuture<TxResult> future = new CompletableFuture<>();
        volatile ScheduledFuture<?> timeout;

        PendingSend(InetSocketAddress destination) {
            this.destination = destination;
        }
    }
}
