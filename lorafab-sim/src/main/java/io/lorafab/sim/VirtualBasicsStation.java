package io.lorafab.sim;

import io.lorafab.gateway.basicstation.LnsCodec;
import io.lorafab.gateway.basicstation.LnsFrames;
import io.lorafab.gateway.basicstation.LnsMessage;
import io.lorafab.gateway.basicstation.LnsMessage.DownlinkMessage;
import io.lorafab.gateway.basicstation.LnsMessage.DownlinkTransmitted;
import io.lorafab.gateway.basicstation.LnsMessage.DrDef;
import io.lorafab.gateway.basicstation.LnsMessage.RouterConfig;
import io.lorafab.gateway.basicstation.LnsMessage.RouterInfoError;
import io.lorafab.gateway.basicstation.LnsMessage.RouterInfoRequest;
import io.lorafab.gateway.basicstation.LnsMessage.RouterInfoResponse;
import io.lorafab.gateway.basicstation.LnsMessage.TimesyncRequest;
import io.lorafab.gateway.basicstation.LnsMessage.TimesyncResponse;
import io.lorafab.gateway.basicstation.LnsMessage.UpInfo;
import io.lorafab.gateway.basicstation.LnsMessage.Version;
import io.lorafab.gateway.basicstation.LnsMessage.Window;
import io.lorafab.gateway.basicstation.LnsProtocolException;
import io.lorafab.gateway.semtech.TxAckError;
import io.lorafab.lorawan.frame.MType;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.Eui64;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * A LoRa Basics Station (protocol 2, as 2.0.6 speaks it) for virtual devices, over the JDK's websocket client.
 *
 * <p>What it does, in the station's order: discovery on {@code <lns>/router-info} ({@code {"router": ID6}}, the
 * answer's {@code uri}), the traffic socket, {@code version} first, then it waits for {@code router_config}; a
 * {@code dnmsg} that comes before it is dropped, as the station drops it. Uplinks go out as {@code jreq} or
 * {@code updf} (the PHYPayload split by {@link LnsFrames}, {@code propdf} for anything else) with {@code upinfo}:
 * {@code rctx} 0 (one radio), {@code xtime} (µs on the gateway's clock in bits 0-47, the radio session in bits 48-55,
 * never 0), {@code gpstime} once a {@code timesync} answer gave the offset (0 before), RSSI, SNR, {@code rxtime} and
 * the data-rate index of the router_config's table.
 *
 * <p>A class-A {@code dnmsg} is sent at {@code xtime + RxDelay} seconds (RxDelay 0 read as 1) on RX1; if RX1 cannot be
 * sent (too late, taken by another transmission, or refused by {@link #refuseNextDownlinks}), RX2 one second later;
 * if neither, the station says nothing (it has no negative answer). A transmitted downlink for a non-zero DevEui is
 * reported with {@code dntxed}. With {@link Timing#ON_AIR} it reaches the device listening in that slot when the
 * clock gets there; with {@link Timing#COMPRESSED} at once (the timing rules still decide RX1 or RX2).
 *
 * <p>A traffic socket that closes is reopened through discovery again, with a growing pause; a {@code dnmsg} timed
 * from an earlier connection's radio session is dropped, as a restarted station's is.
 *
 * <p>Not simulated: class B and C downlinks (dropped), remote shell, CUPS, several radios, GPS.
 */
public final class VirtualBasicsStation implements SimGateway {

    /**
     * How a station proves who it is: {@code Name: value} header lines sent with both websocket upgrades (a
     * {@code tc.key} in token mode, e.g. {@code Authorization: Bearer ...}), and the TLS context of {@code wss://}
     * ({@code tc.trust}, and {@code tc.crt}/{@code tc.key} for a client certificate). Header values are never shown.
     */
    public record Auth(Map<String, String> headers, SSLContext tls) {
        public static final Auth NONE = new Auth(Map.of(), null);

        public Auth {
            headers = Map.copyOf(headers);
        }

        /** An {@code Authorization: Bearer TOKEN} header. */
        public static Auth bearer(String token, SSLContext tls) {
            return new Auth(Map.of("Authorization", "Bearer " + token), tls);
        }

        @Override
        public String toString() {
            return "Auth[headers " + headers.keySet() + ", tls " + (tls != null) + "]";
        }
    }

    /** What the station says of itself in {@code version} (tc.c: station, firmware, package, model, protocol, features). */
    static final String STATION = "2.0.6(lorafab-sim/std)";
    static final String MODEL = "lorafab-sim";
    /** The station's firmware and package: {@code sys_version()} for both on a real one. */
    static final String FIRMWARE = "lorafab-sim";
    static final int PROTOCOL = 2;
    /** A production Linux build says {@code rmtsh prod} (and {@code gps} with one); this one has no remote shell. */
    static final String FEATURES = "prod";

    /** How often the station asks for the server's time once connected (simplified: the real one sends volleys). */
    public static final Duration TIMESYNC_INTERVAL = Duration.ofSeconds(10);

    private static final long MASK32 = 0xFFFF_FFFFL;
    private static final long MICROS_MASK = (1L << 48) - 1;
    private static final long TICK_NANOS = 5_000_000;
    private static final long RX_WINDOW_US = 1_000;
    private static final Duration RECONNECT_FIRST = Duration.ofMillis(100);
    private static final Duration RECONNECT_MAX = Duration.ofSeconds(5);

    private final Eui64 eui;
    private final URI lns;
    private final Clock clock;
    private final Duration replyTimeout;
    private final Timing timing;
    private final Auth auth;
    private final HttpClient http;
    private final Instant counterStart;
    private final AtomicLong lastMicros = new AtomicLong(-1);
    private final SplittableRandom sessions = new SplittableRandom();

    /** Guards the connection state below. */
    private final Object link = new Object();
    private Traffic traffic;
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Thread reconnector;

    /** Guards the queue, the receptions and the counters of refusals; the transmitter waits on it. */
    private final Object radio = new Object();
    private final TxQueue<Tx> queue = new TxQueue<>();
    private final Map<Long, Reception> receptions = new LinkedHashMap<>();
    private final Map<TxAckError, Long> refused = new EnumMap<>(TxAckError.class);
    private int refusalsLeft;

    private final AtomicLong unheard = new AtomicLong();
    private final AtomicLong transmitted = new AtomicLong();
    private final AtomicLong dntxed = new AtomicLong();
    private final AtomicLong droppedBeforeConfig = new AtomicLong();
    private final AtomicLong droppedOtherSession = new AtomicLong();
    private final AtomicLong uplinksLost = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong timesyncAnswers = new AtomicLong();
    private volatile long gpsOffsetMicros = Long.MIN_VALUE;
    private volatile boolean open = true;
    private Thread transmitter;
    private Thread keepAlive;

    /** A device's class-A reception: the counter (low 48 bits of xtime) of its two slots and its answer. */
    private record Reception(long rx1, long rx2, CompletableFuture<byte[]> answer) {
    }

    /** A downlink accepted for a slot: when (full xtime), what, and what dntxed says of it. */
    private record Tx(long xtime, byte[] pdu, long uplinkXtime, Eui64 devEui, long diid, Window window, long rctx) {
    }

    /**
     * @param lns          the LNS's base URI, {@code ws://host:port} or {@code wss://host:port}; discovery asks
     *                     {@code <lns>/router-info}
     * @param replyTimeout how long (wall time) {@link #deliver} waits for a downlink at most
     */
    public VirtualBasicsStation(Eui64 eui, URI lns, Clock clock, Duration replyTimeout, Timing timing, Auth auth) {
        this.eui = Objects.requireNonNull(eui, "eui");
        this.lns = checkUri(Objects.requireNonNull(lns, "lns"));
        this.clock = Objects.requireNonNull(clock, "clock");
        this.replyTimeout = Objects.requireNonNull(replyTimeout, "replyTimeout");
        this.timing = Objects.requireNonNull(timing, "timing");
        this.auth = Objects.requireNonNull(auth, "auth");
        HttpClient.Builder b = HttpClient.newBuilder();
        if (auth.tls() != null) {
            b.sslContext(auth.tls());
        }
        this.http = b.build();
        this.counterStart = clock.instant();
    }

    /** A ws:// or wss:// URI with a host, as the station's {@code tc.uri} must be. */
    public static URI checkUri(URI u) {
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss") || u.getHost() == null) {
            throw new SimException("--lns: expected ws://HOST:PORT or wss://HOST:PORT, got '" + u + "'");
        }
        return u;
    }

    @Override
    public Eui64 eui() {
        return eui;
    }

    @Override
    public Timing timing() {
        return timing;
    }

    // ---------------------------------------------------------------- connection

    /** Discovery, the traffic socket, version and router_config; then the radio runs. */
    @Override
    public void connect(Duration timeout) throws IOException {
        synchronized (link) {
            if (traffic != null) {
                return;
            }
            connectTimeout = timeout;
            traffic = openTraffic(discover(timeout), timeout);
        }
        synchronized (this) {
            if (timing == Timing.ON_AIR && transmitter == null) {
                transmitter = daemon(this::transmitLoop, "virtual-station-tx-" + eui);
            }
        }
    }

    /** Whether the traffic socket is open and router_config has come. */
    public boolean connected() {
        synchronized (link) {
            return traffic != null && traffic.configured.isDone() && !traffic.closed.isDone();
        }
    }

    /** Traffic sockets reopened after one closed. */
    public long reconnects() {
        return reconnects.get();
    }

    /** For tests: the connection breaks as a network fault would break it (no close handshake). */
    public void dropConnection() {
        Traffic t;
        synchronized (link) {
            t = traffic;
        }
        if (t != null && t.ws != null) {
            t.ws.abort();
            t.lost();
        }
    }

    private URI discover(Duration timeout) throws IOException {
        String base = lns.toString().replaceAll("/+$", "");
        URI info = URI.create(base.endsWith("/router-info") ? base : base + "/router-info");
        Collector answer = new Collector();
        WebSocket ws = open(info, answer, timeout);
        try {
            await(ws.sendText(LnsCodec.encode(new RouterInfoRequest(eui)), true), timeout, "router-info");
            String text = await(answer.first, timeout, "router-info answer");
            LnsMessage m;
            try {
                m = LnsCodec.decodeRouterInfoAnswer(text);
            } catch (LnsProtocolException e) {
                throw new IOException("router-info: " + e.getMessage());
            }
            if (m instanceof RouterInfoError err) {
                throw new IOException("router-info refused gateway " + eui + ": " + err.error());
            }
            return URI.create(((RouterInfoResponse) m).uri());
        } finally {
            ws.abort(); // the station closes after the answer
        }
    }

    private Traffic openTraffic(URI uri, Duration timeout) throws IOException {
        Traffic t = new Traffic();
        t.ws = open(uri, t, timeout);
        t.send(LnsCodec.encode(new Version(STATION, FIRMWARE, FIRMWARE, MODEL, PROTOCOL, FEATURES)));
        try {
            await(t.configured, timeout, "router_config");
        } catch (IOException e) {
            t.ws.abort();
            throw e;
        }
        t.send(LnsCodec.encode(new TimesyncRequest(micros())));
        return t;
    }

    private WebSocket open(URI uri, WebSocket.Listener listener, Duration timeout) throws IOException {
        WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(timeout);
        auth.headers().forEach(b::header);
        return await(b.buildAsync(uri, listener), timeout.plusSeconds(1), "connecting to " + uri);
    }

    private static <T> T await(CompletableFuture<T> f, Duration timeout, String what) throws IOException {
        try {
            return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new IOException(what + ": no answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(what + ": interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause() instanceof CompletionException ce && ce.getCause() != null ? ce.getCause() : e.getCause();
            throw new IOException(what + ": " + why(c), c);
        }
    }

    /** A failure in words for a person (the JDK's exceptions often carry no message). */
    private static String why(Throwable c) {
        if (c instanceof java.net.ConnectException) {
            return "connection refused";
        }
        if (c instanceof java.net.http.HttpTimeoutException) {
            return "timed out";
        }
        if (c instanceof java.net.http.WebSocketHandshakeException h) {
            return "the server refused the websocket (HTTP " + h.getResponse().statusCode() + ")";
        }
        if (c instanceof javax.net.ssl.SSLException) {
            return "TLS failed" + (c.getMessage() != null ? ": " + c.getMessage() : "");
        }
        return c.getMessage() != null ? c.getMessage() : "failed";
    }

    /** The traffic socket was lost: reopen it (discovery first, as the station does) until closed. */
    private void lost(Traffic t) {
        synchronized (link) {
            if (!open || traffic != t || reconnector != null) {
                return;
            }
            reconnector = daemon(this::reconnect, "virtual-station-reconnect-" + eui);
        }
    }

    private void reconnect() {
        Duration pause = RECONNECT_FIRST;
        while (open) {
            try {
                Thread.sleep(pause.toMillis());
                Duration timeout;
                synchronized (link) {
                    timeout = connectTimeout;
                }
                Traffic t = openTraffic(discover(timeout), timeout);
                synchronized (link) {
                    if (!open) {
                        t.ws.abort();
                        return;
                    }
                    traffic = t;
                    reconnector = null;
                }
                reconnects.incrementAndGet();
                return;
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                pause = pause.multipliedBy(2).compareTo(RECONNECT_MAX) > 0 ? RECONNECT_MAX : pause.multipliedBy(2);
            }
        }
    }

    /** Collects the first whole text message of a socket (discovery). */
    private static final class Collector implements WebSocket.Listener {
        final CompletableFuture<String> first = new CompletableFuture<>();
        private final StringBuilder part = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            part.append(data);
            if (last) {
                first.complete(part.toString());
                part.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int statusCode, String reason) {
            first.completeExceptionally(new IOException("closed (" + statusCode + ") before an answer"));
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            first.completeExceptionally(error);
        }
    }

    /** One traffic socket: its radio session, whether router_config came, and its sends in order. */
    private final class Traffic implements WebSocket.Listener {
        final int session = 1 + sessions.nextInt(255);
        final CompletableFuture<RouterConfig> configured = new CompletableFuture<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        private final StringBuilder part = new StringBuilder();
        /** The JDK's websocket takes one send at a time: each waits for the one before. */
        private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);
        volatile WebSocket ws;

        CompletableFuture<?> send(String text) {
            synchronized (this) {
                WebSocket w = ws;
                tail = tail.handle((x, e) -> null).thenCompose(x -> w.sendText(text, true));
                return tail;
            }
        }

        long xtimeBase() {
            return (long) session << 48;
        }

        @Override
        public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            part.append(data);
            if (last) {
                String text = part.toString();
                part.setLength(0);
                try {
                    received(this, text);
                } catch (RuntimeException e) {
                    // a message the station cannot use is dropped; the socket stays
                }
            }
            w.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket w, int statusCode, String reason) {
            lost();
            return null;
        }

        @Override
        public void onError(WebSocket w, Throwable error) {
            lost();
        }

        void lost() {
            configured.completeExceptionally(new IOException("traffic socket closed"));
            if (closed.complete(null)) {
                VirtualBasicsStation.this.lost(this);
            }
        }
    }

    private void received(Traffic t, String text) {
        LnsMessage m;
        try {
            m = LnsCodec.decodeFromServer(text);
        } catch (LnsProtocolException e) {
            return; // the station logs and ignores a message it cannot parse
        }
        if (m instanceof RouterConfig rc) {
            t.configured.complete(rc);
        } else if (m instanceof DownlinkMessage d) {
            if (!t.configured.isDone() || t.configured.isCompletedExceptionally()) {
                droppedBeforeConfig.incrementAndGet();
                return;
            }
            dnmsg(t, d);
        } else if (m instanceof TimesyncResponse ts) {
            timesyncAnswers.incrementAndGet();
            if (ts.txtime() > 0 && ts.gpstime() > 0) {
                // the server's GPS time was taken about halfway between our request and its answer
                gpsOffsetMicros = ts.gpstime() - (ts.txtime() + micros()) / 2;
            }
        }
    }

    // ---------------------------------------------------------------- time

    /** µs since the station started, on its clock: the station's own time (ustime) and the radio's counter. */
    private long micros() {
        long now = Duration.between(counterStart, clock.instant()).toNanos() / 1_000;
        return Math.max(now, lastMicros.get());
    }

    /** The next reception's counter value: strictly increasing, so no two receptions share an xtime. */
    private long nextMicros() {
        long now = Duration.between(counterStart, clock.instant()).toNanos() / 1_000;
        return lastMicros.updateAndGet(last -> last < 0 || now > last ? now : last + 1) & MICROS_MASK;
    }

    /** The server's GPS time from the last timesync, 0 before any. */
    private long gpsTime(long micros) {
        long off = gpsOffsetMicros;
        return off == Long.MIN_VALUE ? 0 : micros + off;
    }

    /** {@code timesync} answers received. */
    public long timesyncAnswers() {
        return timesyncAnswers.get();
    }

    // ---------------------------------------------------------------- uplinks

    @Override
    public void push(byte[] phy, long frequencyHz, int sf, int rssi, double snr) throws IOException {
        Traffic t = current();
        long xtime = t.xtimeBase() | nextMicros();
        uplink(t, phy, frequencyHz, sf, rssi, snr, xtime);
    }

    @Override
    public Optional<byte[]> deliver(VirtualDevice device, byte[] phy, long frequencyHz, int sf, int rssi, double snr)
            throws IOException {
        if (phy == null || phy.length == 0) {
            throw new SimException("virtual station: empty frame");
        }
        Traffic t = current();
        Region region = device.identity().region();
        Duration d1;
        Duration d2;
        if (MType.ofCode((phy[0] & 0xff) >> 5) == MType.JOIN_REQUEST) {
            d1 = region.joinAcceptDelay1();
            d2 = region.joinAcceptDelay2();
        } else {
            d1 = device.session().map(s -> Duration.ofSeconds(s.rxDelaySeconds())).orElse(region.receiveDelay1());
            d2 = d1.plusSeconds(1);
        }
        long micros;
        Reception r;
        synchronized (radio) { // registered before the uplink goes, so a fast answer is not missed
            micros = nextMicros();
            r = new Reception((micros + d1.toNanos() / 1_000) & MICROS_MASK, (micros + d2.toNanos() / 1_000) & MICROS_MASK,
                    new CompletableFuture<>());
            receptions.put(micros, r);
            radio.notifyAll();
        }
        try {
            uplink(t, phy, frequencyHz, sf, rssi, snr, t.xtimeBase() | micros);
            return Optional.ofNullable(r.answer().get(replyTimeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a downlink", e);
        } catch (ExecutionException e) {
            throw new IOException("downlink failed: " + e.getCause(), e.getCause());
        } catch (java.util.concurrent.CancellationException e) {
            throw new IOException("virtual station " + eui + " closed while a device waited for its downlink", e);
        } finally {
            synchronized (radio) {
                receptions.remove(micros, r);
            }
        }
    }

    private Traffic current() {
        synchronized (link) {
            if (traffic == null) {
                throw new SimException("virtual station " + eui + ": connect() first");
            }
            return traffic;
        }
    }

    /**
     * Sends the frame as jreq, updf or propdf. A frame heard while the socket is down is lost (counted), as on a
     * station whose connection is gone; the device then hears nothing.
     */
    private void uplink(Traffic t, byte[] phy, long frequencyHz, int sf, int rssi, double snr, long xtime) {
        RouterConfig rc = t.configured.getNow(null);
        if (rc == null || t.closed.isDone()) {
            uplinksLost.incrementAndGet();
            return;
        }
        long micros = xtime & MICROS_MASK;
        UpInfo up = new UpInfo(dataRate(rc, sf, 125), frequencyHz, 0, xtime, gpsTime(micros), rssi, snr,
                clock.millis() / 1000.0, 0);
        MType type = MType.ofCode((phy[0] & 0xff) >> 5);
        LnsMessage m = switch (type) {
            case JOIN_REQUEST -> LnsFrames.joinRequest(phy, up);
            case UNCONFIRMED_DATA_UP, CONFIRMED_DATA_UP -> LnsFrames.dataUplink(phy, up);
            default -> new LnsMessage.ProprietaryUplink(phy, up);
        };
        t.send(LnsCodec.encode(m)).whenComplete((x, e) -> {
            if (e != null) {
                uplinksLost.incrementAndGet();
            }
        });
    }

    /** The index of SF{@code sf}/{@code bwKhz} in the router_config's data rates (the station's own lookup). */
    static int dataRate(RouterConfig rc, int sf, int bwKhz) {
        List<DrDef> drs = rc.drs();
        for (int i = 0; i < drs.size(); i++) {
            DrDef d = drs.get(i);
            if (d.sf() == sf && d.bwKhz() == bwKhz && !d.dnOnly()) {
                return i;
            }
        }
        throw new SimException("router_config of region " + rc.region() + " has no uplink data rate SF" + sf + "/" + bwKhz + " kHz");
    }

    /** Frames heard while the traffic socket was down, or that could not be sent. */
    public long uplinksLost() {
        return uplinksLost.get();
    }

    // ---------------------------------------------------------------- downlinks

    @Override
    public void refuseNextDownlinks(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("refuse a non-negative number of downlinks, not " + count);
        }
        synchronized (radio) {
            refusalsLeft = count;
        }
    }

    @Override
    public long refusedDownlinks(TxAckError reason) {
        synchronized (radio) {
            return refused.getOrDefault(reason, 0L);
        }
    }

    @Override
    public long unmatchedDownlinks() {
        return unheard.get();
    }

    /** dnmsg that came before router_config and were dropped. */
    public long droppedBeforeConfig() {
        return droppedBeforeConfig.get();
    }

    /** dnmsg timed from another radio session (an earlier connection's) and dropped. */
    public long droppedOtherSession() {
        return droppedOtherSession.get();
    }

    /** Downlinks transmitted (or handed over, when compressed). */
    public long transmitted() {
        return transmitted.get();
    }

    /** dntxed messages sent. */
    public long dntxedSent() {
        return dntxed.get();
    }

    /** RX1 at xtime + RxDelay, else RX2 one second later, else nothing (handle_dnmsg, altTxTime in s2e.c). */
    private void dnmsg(Traffic t, DownlinkMessage d) {
        if (d.deviceClass() != 0) {
            return; // class B and C are not simulated
        }
        if (((d.xtime() >>> 48) & 0xFF) != t.session) {
            droppedOtherSession.incrementAndGet(); // timed from a radio session this station no longer has
            return;
        }
        int rxDelay = Math.max(1, d.rxDelay());
        long rx1 = d.xtime() + rxDelay * 1_000_000L;
        List<Tx> windows = new ArrayList<>(2);
        d.rx1().ifPresent(w -> windows.add(new Tx(rx1, d.pdu(), d.xtime(), d.devEui(), d.diid(), w, d.rctx())));
        d.rx2().ifPresent(w -> windows.add(new Tx(rx1 + 1_000_000L, d.pdu(), d.xtime(), d.devEui(), d.diid(), w, d.rctx())));
        Tx sent = null;
        RouterConfig rc = t.configured.getNow(null);
        synchronized (radio) {
            for (Tx tx : windows) {
                long now = micros() & MASK32;
                long at = tx.xtime() & MASK32;
                TxAckError result;
                if (refusalsLeft > 0) {
                    refusalsLeft--;
                    result = TxAckError.COLLISION_PACKET;
                } else if (timing == Timing.ON_AIR) {
                    result = queue.offer(now, at, airtimeMicros(rc, tx), tx);
                    radio.notifyAll();
                } else {
                    result = TxQueue.timing(now, at);
                }
                if (result == TxAckError.NONE) {
                    if (timing == Timing.COMPRESSED) {
                        transmit(tx);
                        sent = tx;
                    }
                    break;
                }
                refused.merge(result, 1L, Long::sum);
            }
        }
        if (sent != null) {
            dntxed(t, sent);
        }
    }

    private static long airtimeMicros(RouterConfig rc, Tx tx) {
        DrDef dr = rc == null || tx.window().dr() >= rc.drs().size() ? null : rc.drs().get(tx.window().dr());
        if (dr == null || dr.sf() < 7) {
            return (tx.pdu().length + 11) * 8L * 1_000_000L / 50_000; // FSK 50 kbit/s
        }
        return LoraAirtime.timeOnAir(tx.pdu().length, dr.sf(), dr.bwKhz() * 1000).toNanos() / 1_000;
    }

    /** Hands the downlink to the device listening in that slot, if any. Under radio. */
    private void transmit(Tx tx) {
        transmitted.incrementAndGet();
        long at = tx.xtime() & MICROS_MASK;
        Reception r = receptions.get(tx.uplinkXtime() & MICROS_MASK);
        if (r != null && (r.rx1() == at || r.rx2() == at) && r.answer().complete(tx.pdu())) {
            receptions.remove(tx.uplinkXtime() & MICROS_MASK, r);
        } else {
            unheard.incrementAndGet();
        }
    }

    /** dntxed for a downlink that named a device (send_dntxed in s2e.c); none for DevEui 0. */
    private void dntxed(Traffic t, Tx tx) {
        if (tx.devEui().equals(Eui64.of(0))) {
            return;
        }
        long micros = tx.xtime() & MICROS_MASK;
        dntxed.incrementAndGet();
        t.send(LnsCodec.encode(new DownlinkTransmitted(tx.diid(), tx.devEui(), tx.window().dr(), tx.window().freqHz(),
                tx.rctx(), tx.xtime(), micros / 1e6, gpsTime(micros))));
    }

    /** On air: sends what is due and ends the receptions whose RX2 slot has passed, as the counter moves. */
    private void transmitLoop() {
        while (open) {
            List<Tx> sent = new ArrayList<>();
            Traffic t;
            synchronized (link) {
                t = traffic;
            }
            synchronized (radio) {
                long now = micros();
                long now32 = now & MASK32;
                for (TxQueue.Entry<Tx> e : queue.due(now32)) {
                    transmit(e.item());
                    sent.add(e.item());
                }
                OptionalLong next = queue.untilNext(now32);
                for (Map.Entry<Long, Reception> e : List.copyOf(receptions.entrySet())) {
                    long close = e.getValue().rx2() + RX_WINDOW_US;
                    if (now >= close) {
                        receptions.remove(e.getKey(), e.getValue());
                        e.getValue().answer().complete(null); // heard nothing in RX1 or RX2
                    } else {
                        long until = close - now;
                        next = OptionalLong.of(next.isPresent() ? Math.min(next.getAsLong(), until) : until);
                    }
                }
                if (sent.isEmpty()) {
                    try {
                        if (next.isEmpty()) {
                            radio.wait();
                        } else {
                            TimeUnit.NANOSECONDS.timedWait(radio, Math.max(1, Math.min(TICK_NANOS, next.getAsLong() * 1_000)));
                        }
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
            if (t != null) {
                for (Tx tx : sent) {
                    dntxed(t, tx);
                }
            }
        }
    }

    // ---------------------------------------------------------------- keep-alive

    /** Sends timesync every {@link #TIMESYNC_INTERVAL} until closed; the answers keep gpstime current. */
    @Override
    public synchronized void startKeepAlive() {
        if (keepAlive != null) {
            return;
        }
        current();
        keepAlive = daemon(() -> {
            while (open) {
                try {
                    Thread.sleep(TIMESYNC_INTERVAL.toMillis());
                } catch (InterruptedException e) {
                    return;
                }
                Traffic t;
                synchronized (link) {
                    t = traffic;
                }
                if (t != null && !t.closed.isDone()) {
                    t.send(LnsCodec.encode(new TimesyncRequest(micros())));
                }
            }
        }, "virtual-station-timesync-" + eui);
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
        Thread[] threads;
        Traffic t;
        synchronized (link) {
            t = traffic;
            threads = new Thread[] {reconnector};
        }
        synchronized (this) {
            threads = new Thread[] {threads[0], transmitter, keepAlive};
        }
        for (Thread th : threads) {
            if (th != null) {
                th.interrupt();
            }
        }
        if (t != null && t.ws != null) {
            try {
                t.ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(1, TimeUnit.SECONDS);
            } catch (Exception e) {
                // closing anyway
            }
            t.ws.abort();
        }
        synchronized (radio) {
            receptions.values().forEach(r -> r.answer().cancel(false));
            receptions.clear();
        }
    }

    @Override
    public String toString() {
        return "VirtualBasicsStation[" + eui + ", " + lns + ", " + timing + "]";
    }
}
