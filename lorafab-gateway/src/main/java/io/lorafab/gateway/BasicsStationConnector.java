package io.lorafab.gateway;

import io.lorafab.gateway.basicstation.LnsCodec;
import io.lorafab.gateway.basicstation.LnsFrames;
import io.lorafab.gateway.basicstation.LnsMessage;
import io.lorafab.gateway.basicstation.LnsMessage.DataUplink;
import io.lorafab.gateway.basicstation.LnsMessage.DownlinkMessage;
import io.lorafab.gateway.basicstation.LnsMessage.DownlinkTransmitted;
import io.lorafab.gateway.basicstation.LnsMessage.EuiRange;
import io.lorafab.gateway.basicstation.LnsMessage.JoinRequest;
import io.lorafab.gateway.basicstation.LnsMessage.ProprietaryUplink;
import io.lorafab.gateway.basicstation.LnsMessage.RouterInfoError;
import io.lorafab.gateway.basicstation.LnsMessage.RouterInfoRequest;
import io.lorafab.gateway.basicstation.LnsMessage.RouterInfoResponse;
import io.lorafab.gateway.basicstation.LnsMessage.TimesyncRequest;
import io.lorafab.gateway.basicstation.LnsMessage.TimesyncResponse;
import io.lorafab.gateway.basicstation.LnsMessage.UpInfo;
import io.lorafab.gateway.basicstation.LnsMessage.Version;
import io.lorafab.gateway.basicstation.LnsMessage.Window;
import io.lorafab.gateway.basicstation.LnsProtocolException;
import io.lorafab.gateway.basicstation.RouterConfigs;
import io.lorafab.gateway.basicstation.StationEui;
import io.lorafab.gateway.semtech.Token;
import io.lorafab.gateway.semtech.TxAckError;
import io.lorafab.gateway.semtech.Txpk;
import io.lorafab.lorawan.region.DataRate;
import io.lorafab.lorawan.region.Modulation;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.Eui64;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The server side of LoRa Basics Station's LNS protocol, without the websocket itself: the web server hands this
 * class each discovery request and each traffic connection's text messages ({@link Session}), and gives it a
 * {@link Link} to answer on. So the protocol is tested without sockets, and the listener (its port, TLS, client
 * certificates) stays with the web server.
 *
 * <ul>
 * <li>Discovery ({@link #routerInfo}): an admitted gateway gets its traffic URI, any other an {@code error}.</li>
 * <li>Traffic: the station's {@code version} is answered with the {@code router_config} of the configured region
 * (the station drops downlinks until it has one); {@code jreq} and {@code updf} become the same PHYPayload and
 * {@link RxInfo} a packet forwarder's rxpk gives, and go to the shared deduplication; {@code propdf} is counted and
 * dropped; {@code timesync} is answered; {@code dntxed} completes the downlink it reports.</li>
 * <li>Downlinks ({@link #send}, {@link #sendClassA}): the planned {@link Txpk}s become one {@code dnmsg} timed by the
 * station from the uplink's {@code xtime} and {@code rctx} (the station picks RX2 itself when RX1 cannot be sent).
 * A station reports only a transmitted downlink; one it does not report before its last window plus
 * {@code dntxedGrace} is a timeout.</li>
 * </ul>
 * A malformed message is counted ({@link #MALFORMED}) and logged once at WARNING; the connection keeps being served.
 */
public final class BasicsStationConnector implements GatewayConnector, io.micrometer.core.instrument.binder.MeterBinder {

    private static final System.Logger LOG = System.getLogger(BasicsStationConnector.class.getName());

    public static final String CONNECTIONS = "connections";
    public static final String REFUSED = "gateway_refused";
    public static final String REPLACED = "connection_replaced";
    public static final String MALFORMED = "malformed";
    public static final String UPLINKS_ACCEPTED = "uplinks_accepted";
    public static final String PROPDF_IGNORED = "propdf_ignored";
    public static final String OTHER_IGNORED = "other_ignored";
    public static final String RATE_LIMITED = "uplinks_rate_limited";
    public static final String UNKNOWN_DATA_RATE = "uplinks_unknown_data_rate";
    public static final String DNMSG_SENT = "dnmsg_sent";
    public static final String DNTXED = "dntxed";
    public static final String DNTXED_UNKNOWN = "dntxed_unknown";
    public static final String DNTXED_TIMEOUT = "dntxed_timeout";
    public static final String SEND_NO_ROUTE = "send_no_route";
    public static final String SEND_NO_UPLINK = "send_no_uplink";
    public static final String TIMESYNC = "timesync";
    public static final String LISTENER_ERROR = "listener_error";

    /** GPS epoch (1980-01-06) in Unix milliseconds, and the GPS-UTC leap seconds since 2017. */
    private static final long GPS_EPOCH_MS = 315_964_800_000L;
    private static final long GPS_LEAP_SECONDS = 18;
    /** Receptions remembered per connection to time their downlinks from (their xtime and rctx). */
    private static final int RECENT_RECEPTIONS = 512;

    /**
     * @param region            the channel plan every station is configured with
     * @param allowList         the gateways served (the same options as the UDP listener's)
     * @param credentials       tokens and client certificates
     * @param joinEuis          the JoinEUI filter sent in router_config (empty: every join-request)
     * @param dntxedGrace       how long after its last window a downlink may still be reported transmitted
     * @param uplinksPerSecond  receptions accepted per gateway per second (0: unlimited)
     */
    public record Config(Region region, GatewayAllowList allowList, StationCredentials credentials,
            Optional<List<EuiRange>> joinEuis, Duration dntxedGrace, int uplinksPerSecond) {
        public Config {
            Objects.requireNonNull(region, "region");
            Objects.requireNonNull(allowList, "allowList");
            Objects.requireNonNull(credentials, "credentials");
            Objects.requireNonNull(joinEuis, "joinEuis");
            Objects.requireNonNull(dntxedGrace, "dntxedGrace");
        }

        public static Config of(Region region) {
            return new Config(region, GatewayAllowList.any(), StationCredentials.NONE, Optional.empty(),
                    Duration.ofSeconds(2), 50);
        }

        public Config withAllowList(GatewayAllowList a) {
            return new Config(region, a, credentials, joinEuis, dntxedGrace, uplinksPerSecond);
        }

        public Config withCredentials(StationCredentials c) {
            return new Config(region, allowList, c, joinEuis, dntxedGrace, uplinksPerSecond);
        }

        public Config withDntxedGrace(Duration g) {
            return new Config(region, allowList, credentials, joinEuis, g, uplinksPerSecond);
        }

        public Config withUplinksPerSecond(int perGateway) {
            if (perGateway < 0) {
                throw new IllegalArgumentException("uplinks per second must be 0 (unlimited) or more");
            }
            return new Config(region, allowList, credentials, joinEuis, dntxedGrace, perGateway);
        }
    }

    /** The websocket of one connection, as the web server gives it. */
    public interface Link {
        void send(String text);

        void close(int code, String reason);
    }

    /**
     * A Basics Station gateway as {@code /api/gateways} shows it.
     *
     * @param version the station's version message, once it sent one
     */
    public record StationState(Eui64 eui, String remoteAddress, boolean connected, Instant connectedAt,
            Instant lastSeen, Optional<Instant> disconnectedAt, Optional<Version> version, long uplinks, long downlinks,
            long transmitted, long notTransmitted, long malformed) {
    }

    private final Config config;
    private final Clock clock;
    private final Counters counters = new Counters();
    private final ConcurrentHashMap<Eui64, Session> sessions = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Eui64, StationState> states = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong diids = new AtomicLong();
    private final ScheduledThreadPoolExecutor timer;
    private volatile BiConsumer<byte[], RxInfo> sink;
    private volatile Deduplicator ownDedup;
    private volatile UplinkListener ownListener;
    private volatile boolean closed;

    public BasicsStationConnector(Config config, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "basics-station-timer");
            t.setDaemon(true);
            return t;
        });
        timer.setRemoveOnCancelPolicy(true);
    }

    public Config config() {
        return config;
    }

    // ---------------------------------------------------------------- lifecycle

    /** Standalone: receptions deduplicated here (window {@link Deduplicator#DEFAULT_WINDOW}) and given to {@code listener}. */
    @Override
    public void start(UplinkListener listener) {
        Objects.requireNonNull(listener, "listener");
        Deduplicator d = new Deduplicator();
        this.ownDedup = d;
        this.ownListener = listener;
        startWith((phy, rx) -> {
            Instant now = clock.instant();
            if (d.offer(phy, rx, now) == Deduplicator.Offer.NEW_FRAME) {
                try {
                    timer.schedule(() -> flushOwn(now.plus(d.window())), d.window().toNanos(), TimeUnit.NANOSECONDS);
                } catch (RejectedExecutionException e) {
                    // closing
                }
            }
        });
    }

    private void flushOwn(Instant due) {
        Instant now = clock.instant();
        for (Uplink u : ownDedup.flushDue(now.isAfter(due) ? now : due)) {
            try {
                ownListener.onUplink(u);
            } catch (RuntimeException e) {
                counters.increment(LISTENER_ERROR);
                LOG.log(System.Logger.Level.WARNING, "uplink listener failed on " + u, e);
            }
        }
    }

    /** Receptions go to {@code receptions} (another transport's deduplication, so both share one window). */
    public void startWith(BiConsumer<byte[], RxInfo> receptions) {
        if (sink != null) {
            throw new IllegalStateException("connector already started");
        }
        this.sink = Objects.requireNonNull(receptions, "receptions");
    }

    @Override
    public void close() {
        closed = true;
        for (Session s : List.copyOf(sessions.values())) {
            s.link.close(1001, "server stopping");
            s.onClose();
        }
        timer.shutdownNow();
        for (Map.Entry<Long, Pending> e : pending.entrySet()) {
            if (pending.remove(e.getKey(), e.getValue())) {
                e.getValue().future.completeExceptionally(new GatewayUnavailableException(e.getValue().gateway,
                        "connector closed"));
            }
        }
    }

    // ---------------------------------------------------------------- admission and discovery

    /**
     * Why {@code eui} may not connect from {@code from} with these credentials, or empty when it may. The same rule
     * for discovery and traffic: the allow-list, then the gateway's token or certificate.
     */
    public Optional<String> refusal(Eui64 eui, InetAddress from, Optional<String> authorization,
            Optional<X509Certificate> clientCertificate) {
        switch (config.allowList().check(eui, from)) {
            case EUI_NOT_ALLOWED -> {
                return refused(eui, from, "gateway " + eui + " is not allowed");
            }
            case ADDRESS_NOT_ALLOWED -> {
                return refused(eui, from, "gateway " + eui + " is not allowed from this address");
            }
            case ALLOWED -> { }
        }
        if (!config.credentials().admits(eui, authorization, clientCertificate)) {
            return refused(eui, from, "gateway " + eui + " did not authenticate (a token or a client certificate naming it)");
        }
        return Optional.empty();
    }

    private Optional<String> refused(Eui64 eui, InetAddress from, String why) {
        long n = counters.increment(REFUSED);
        LOG.log(n == 1 ? System.Logger.Level.WARNING : System.Logger.Level.DEBUG,
                () -> "Basics Station: " + why + " (from " + from.getHostAddress() + ")");
        return Optional.of(why);
    }

    /**
     * The answer to a {@code /router-info} request: the traffic URI ({@code trafficBase + "/traffic/" + EUI}) for an
     * admitted gateway, an {@code error} for another; a request that names no gateway gets a one-line error.
     */
    public String routerInfo(String request, InetAddress from, Optional<String> authorization,
            Optional<X509Certificate> clientCertificate, String trafficBase) {
        RouterInfoRequest r;
        try {
            r = LnsCodec.decodeRouterInfoRequest(request);
        } catch (LnsProtocolException e) {
            problem(MALFORMED, null, e::getMessage);
            return "{\"error\":\"" + e.getMessage().replace("\\", "\\\\").replace("\"", "'") + "\"}";
        }
        Optional<String> no = refusal(r.router(), from, authorization, clientCertificate);
        if (no.isPresent()) {
            return LnsCodec.encode(new RouterInfoError(r.router(), no.get()));
        }
        return LnsCodec.encode(new RouterInfoResponse(r.router(), "lorafab",
                trafficBase + "/traffic/" + StationEui.format(r.router())));
    }

    // ---------------------------------------------------------------- traffic connections

    /**
     * A traffic connection of an admitted gateway (the caller checked {@link #refusal}). A second connection of the
     * same gateway replaces the first, which is closed: a station that lost its connection comes back before the
     * old one has timed out.
     */
    public Session open(Eui64 eui, InetSocketAddress remote, Link link) {
        Session s = new Session(eui, remote, link);
        counters.increment(CONNECTIONS);
        Session old = sessions.put(eui, s);
        if (old != null) {
            counters.increment(REPLACED);
            LOG.log(System.Logger.Level.INFO, () -> "gateway " + eui + " reconnected from " + remote + ", closing its old connection");
            old.link.close(1000, "replaced by a new connection");
            old.failPending();
        }
        Instant now = clock.instant();
        states.compute(eui, (k, was) -> new StationState(eui, remote.getAddress().getHostAddress() + ":" + remote.getPort(),
                true, now, now, Optional.empty(), Optional.empty(), was == null ? 0 : was.uplinks(),
                was == null ? 0 : was.downlinks(), was == null ? 0 : was.transmitted(),
                was == null ? 0 : was.notTransmitted(), was == null ? 0 : was.malformed()));
        LOG.log(System.Logger.Level.INFO, () -> "Basics Station gateway " + eui + " connected from " + remote);
        return s;
    }

    /** One traffic connection. Its methods are called by the web server, one message at a time. */
    public final class Session {
        private final Eui64 eui;
        private final InetSocketAddress remote;
        private final Link link;
        private final LinkedHashMap<Long, Reception> recent = new LinkedHashMap<>(64, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Reception> e) {
                return size() > RECENT_RECEPTIONS;
            }
        };
        private long rateSecond;
        private int rateCount;

        Session(Eui64 eui, InetSocketAddress remote, Link link) {
            this.eui = eui;
            this.remote = remote;
            this.link = link;
        }

        public Eui64 eui() {
            return eui;
        }

        /** A text message from the station. Never throws for what the message contains. */
        public void onText(String text) {
            LnsMessage m;
            try {
                m = LnsCodec.decodeFromStation(text);
            } catch (LnsProtocolException e) {
                update(s -> with(s, 0, 0, 0, 0, 1));
                problem(MALFORMED, eui, e::getMessage);
                return;
            }
            Instant now = clock.instant();
            if (m instanceof Version v) {
                states.computeIfPresent(eui, (k, s) -> new StationState(eui, s.remoteAddress(), s.connected(),
                        s.connectedAt(), now, s.disconnectedAt(), Optional.of(v), s.uplinks(), s.downlinks(),
                        s.transmitted(), s.notTransmitted(), s.malformed()));
                LOG.log(System.Logger.Level.INFO, () -> "gateway " + eui + ": station " + v.station() + ", model "
                        + v.model() + ", protocol " + v.protocol() + ", features '" + v.features() + "'");
                link.send(LnsCodec.encode(RouterConfigs.forRegion(config.region(), config.joinEuis(),
                        OptionalDouble.of(now.toEpochMilli() / 1000.0))));
            } else if (m instanceof JoinRequest j) {
                uplink(LnsFrames.phyPayload(j), j.up(), j.devEui(), now);
            } else if (m instanceof DataUplink u) {
                uplink(LnsFrames.phyPayload(u), u.up(), null, now);
            } else if (m instanceof ProprietaryUplink) {
                counters.increment(PROPDF_IGNORED);
            } else if (m instanceof TimesyncRequest t) {
                counters.increment(TIMESYNC);
                long ms = now.toEpochMilli();
                link.send(LnsCodec.encode(new TimesyncResponse(t.txtime(),
                        (ms - GPS_EPOCH_MS + GPS_LEAP_SECONDS * 1000) * 1000, ms / 1000.0)));
            } else if (m instanceof DownlinkTransmitted d) {
                transmitted(eui, d);
            } else {
                counters.increment(OTHER_IGNORED);
                LOG.log(System.Logger.Level.DEBUG, () -> "gateway " + eui + ": " + m.msgtype() + " ignored");
            }
        }

        private void uplink(byte[] phy, UpInfo up, Eui64 devEui, Instant now) {
            if (config.uplinksPerSecond() > 0) {
                long second = now.getEpochSecond();
                synchronized (this) {
                    if (second != rateSecond) {
                        rateSecond = second;
                        rateCount = 0;
                    }
                    if (++rateCount > config.uplinksPerSecond()) {
                        problem(RATE_LIMITED, eui, () -> "more than " + config.uplinksPerSecond() + " uplinks in a second");
                        return;
                    }
                }
            }
            RxInfo rx;
            try {
                rx = rxInfo(eui, up);
            } catch (RuntimeException e) {
                problem(UNKNOWN_DATA_RATE, eui, () -> "DR" + up.dr() + " is no LoRa data rate of " + config.region());
                return;
            }
            synchronized (recent) {
                recent.put(rx.tmst(), new Reception(up.xtime(), up.rctx(), devEui == null ? Eui64.of(0) : devEui));
            }
            update(s -> with(s, 1, 0, 0, 0, 0));
            counters.increment(UPLINKS_ACCEPTED);
            BiConsumer<byte[], RxInfo> to = sink;
            if (to != null && !closed) {
                to.accept(phy, rx);
            }
        }

        /** The reception a downlink at concentrator time {@code tmst} answers, and the whole seconds after it. */
        Optional<Map.Entry<Reception, Integer>> answering(long tmst) {
            synchronized (recent) {
                List<Map.Entry<Long, Reception>> all = new ArrayList<>(recent.entrySet());
                for (int i = all.size() - 1; i >= 0; i--) {
                    long delayUs = (tmst - all.get(i).getKey()) & 0xFFFF_FFFFL;
                    if (delayUs % 1_000_000 == 0 && delayUs >= 1_000_000 && delayUs <= 15_000_000) {
                        return Optional.of(Map.entry(all.get(i).getValue(), (int) (delayUs / 1_000_000)));
                    }
                }
            }
            return Optional.empty();
        }

        /** The connection is gone: downlinks waiting for its dntxed fail. */
        public void onClose() {
            if (sessions.remove(eui, this)) {
                Instant now = clock.instant();
                states.computeIfPresent(eui, (k, s) -> new StationState(eui, s.remoteAddress(), false, s.connectedAt(),
                        s.lastSeen(), Optional.of(now), s.version(), s.uplinks(), s.downlinks(), s.transmitted(),
                        s.notTransmitted(), s.malformed()));
                LOG.log(System.Logger.Level.INFO, () -> "Basics Station gateway " + eui + " disconnected");
                failPending();
            }
        }

        void failPending() {
            for (Map.Entry<Long, Pending> e : pending.entrySet()) {
                if (e.getValue().session == this && pending.remove(e.getKey(), e.getValue())) {
                    e.getValue().cancel();
                    e.getValue().future.completeExceptionally(new GatewayUnavailableException(eui, "connection closed"));
                }
            }
        }

        private void update(java.util.function.UnaryOperator<StationState> f) {
            states.computeIfPresent(eui, (k, s) -> f.apply(s));
        }
    }

    private record Reception(long xtime, long rctx, Eui64 devEui) {
    }

    private StationState with(StationState s, long up, long down, long tx, long notTx, long bad) {
        return new StationState(s.eui(), s.remoteAddress(), s.connected(), s.connectedAt(), clock.instant(),
                s.disconnectedAt(), s.version(), s.uplinks() + up, s.downlinks() + down, s.transmitted() + tx,
                s.notTransmitted() + notTx, s.malformed() + bad);
    }

    /** The {@link RxInfo} a packet forwarder would have given for this reception. */
    RxInfo rxInfo(Eui64 gateway, UpInfo up) {
        DataRate dr = config.region().dataRate(up.dr());
        if (dr.modulation() != Modulation.LORA) {
            throw new IllegalArgumentException("not LoRa");
        }
        Optional<Instant> time = up.rxtime() > 0 ? Optional.of(Instant.ofEpochMilli(Math.round(up.rxtime() * 1000)))
                : Optional.empty();
        return RxInfo.lora(gateway, up.xtime() & 0xFFFF_FFFFL, up.freqHz(), dr.spreadingFactor(), dr.bandwidthHz(), "4/5",
                up.rssi(), up.snr(), 0, 0, time);
    }

    // ---------------------------------------------------------------- downlinks

    private final class Pending {
        final Eui64 gateway;
        final Session session;
        final long diid;
        final long uplinkXtime;
        final int rxDelay;
        final Txpk rx1;
        final Txpk rx2;
        final CompletableFuture<DownlinkResult> future = new CompletableFuture<>();
        volatile ScheduledFuture<?> timeout;

        Pending(Eui64 gateway, Session session, long diid, long uplinkXtime, int rxDelay, Txpk rx1, Txpk rx2) {
            this.gateway = gateway;
            this.session = session;
            this.diid = diid;
            this.uplinkXtime = uplinkXtime;
            this.rxDelay = rxDelay;
            this.rx1 = rx1;
            this.rx2 = rx2;
        }

        void cancel() {
            ScheduledFuture<?> t = timeout;
            if (t != null) {
                t.cancel(false);
            }
        }
    }

    @Override
    public CompletableFuture<TxResult> send(Eui64 gatewayEui, Txpk txpk) {
        return dnmsg(gatewayEui, txpk, null, null).thenApply(DownlinkResult::finalResult);
    }

    @Override
    public CompletableFuture<TxResult> send(Eui64 gatewayEui, Eui64 devEui, Txpk txpk) {
        return dnmsg(gatewayEui, txpk, null, devEui).thenApply(DownlinkResult::finalResult);
    }

    /** One dnmsg carrying both windows; the station sends RX2 when RX1 cannot go out. */
    @Override
    public CompletableFuture<DownlinkResult> sendClassA(Eui64 gatewayEui, Txpk rx1, Txpk rx2, boolean fallbackOnTimeout) {
        return dnmsg(gatewayEui, rx1, rx2, null);
    }

    /** With the data downlink's device in the {@code dnmsg}: the station reports only a named device's downlink. */
    @Override
    public CompletableFuture<DownlinkResult> sendClassA(Eui64 gatewayEui, Eui64 devEui, Txpk rx1, Txpk rx2, boolean fallbackOnTimeout) {
        return dnmsg(gatewayEui, rx1, rx2, devEui);
    }

    /** {@code devEui} names the device when the reception does not (a data uplink carries no DevEUI); null: the reception's. */
    private CompletableFuture<DownlinkResult> dnmsg(Eui64 eui, Txpk rx1, Txpk rx2, Eui64 devEui) {
        try {
            Session s = sessions.get(eui);
            if (s == null || closed) {
                counters.increment(SEND_NO_ROUTE);
                return CompletableFuture.failedFuture(new GatewayUnavailableException(eui,
                        closed ? "connector closed" : "not connected"));
            }
            long tmst = rx1.tmst().orElseThrow(() -> new IllegalArgumentException("a Basics Station downlink needs a time"));
            Optional<Map.Entry<Reception, Integer>> ans = s.answering(tmst);
            if (ans.isEmpty()) {
                counters.increment(SEND_NO_UPLINK);
                return CompletableFuture.failedFuture(new GatewayUnavailableException(eui,
                        "no recent uplink a whole number of seconds (1..15) before the downlink"));
            }
            Reception r = ans.get().getKey();
            int delay = ans.get().getValue();
            // RX2 goes in the same dnmsg only at exactly one second after RX1: the station's rule (altTxTime)
            Txpk second = rx2 != null && rx2.tmst().isPresent()
                    && ((rx2.tmst().get() - tmst) & 0xFFFF_FFFFL) == 1_000_000 ? rx2 : null;
            long diid = diids.incrementAndGet();
            DownlinkMessage m = new DownlinkMessage(devEui != null ? devEui : r.devEui(), 0, diid, rx1.data(), delay,
                    Optional.of(window(rx1)), second == null ? Optional.empty() : Optional.of(window(second)), r.xtime(),
                    r.rctx(), 0, OptionalDouble.of(clock.millis() / 1000.0));
            Pending p = new Pending(eui, s, diid, r.xtime(), delay, rx1, second);
            pending.put(diid, p);
            long waitMs = (delay + (second == null ? 0 : 1)) * 1000L + config.dntxedGrace().toMillis();
            try {
                p.timeout = timer.schedule(() -> timedOut(p), waitMs, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                pending.remove(diid, p);
                return CompletableFuture.failedFuture(new GatewayUnavailableException(eui, "connector closed"));
            }
            s.link.send(LnsCodec.encode(m));
            counters.increment(DNMSG_SENT);
            s.update(st -> with(st, 0, 1, 0, 0, 0));
            LOG.log(System.Logger.Level.DEBUG, () -> "dnmsg " + diid + " to gateway " + eui + ": " + m);
            return p.future;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private Window window(Txpk t) {
        Region region = config.region();
        int found = -1;
        for (DataRate d : region.dataRates()) {
            boolean same = t.dataRate() instanceof io.lorafab.gateway.semtech.DataRate.Lora l
                    ? d.isLora(l.spreadingFactor(), l.bandwidthHz())
                    : d.modulation() == Modulation.FSK;
            if (same) {
                // the last match: a fixed-plan region's downlink-only index (US915 DR12, not uplink DR4)
                found = d.index();
            }
        }
        if (found < 0) {
            throw new IllegalArgumentException(region + " has no data rate " + t.dataRate());
        }
        return new Window(found, t.frequencyHz());
    }

    private void transmitted(Eui64 eui, DownlinkTransmitted d) {
        Pending p = pending.remove(d.diid());
        if (p == null || !p.gateway.equals(eui)) {
            if (p != null) {
                pending.put(d.diid(), p);
            }
            problem(DNTXED_UNKNOWN, eui, () -> "diid " + d.diid());
            return;
        }
        p.cancel();
        counters.increment(DNTXED);
        p.session.update(st -> with(st, 0, 0, 1, 0, 0));
        Token token = Token.fromLe((int) (d.diid() & 0xFFFF));
        boolean inRx2 = p.rx2 != null && (d.xtime() != 0
                ? d.xtime() - p.uplinkXtime >= (p.rxDelay + 1) * 1_000_000L - 500_000
                : d.freqHz() == p.rx2.frequencyHz() && d.freqHz() != p.rx1.frequencyHz());
        TxResult ok = TxResult.of(eui, token, TxAckError.NONE);
        DownlinkResult result = inRx2
                ? new DownlinkResult(eui, Optional.of(RxWindow.RX2), List.of(
                        new DownlinkAttempt(RxWindow.RX1, p.rx1, TxResult.of(eui, token, TxAckError.UNKNOWN)),
                        new DownlinkAttempt(RxWindow.RX2, p.rx2, ok)))
                : new DownlinkResult(eui, Optional.of(RxWindow.RX1), List.of(new DownlinkAttempt(RxWindow.RX1, p.rx1, ok)));
        p.future.complete(result);
    }

    private void timedOut(Pending p) {
        if (pending.remove(p.diid, p)) {
            counters.increment(DNTXED_TIMEOUT);
            p.session.update(st -> with(st, 0, 0, 0, 1, 0));
            Token token = Token.fromLe((int) (p.diid & 0xFFFF));
            List<DownlinkAttempt> attempts = new ArrayList<>();
            attempts.add(new DownlinkAttempt(RxWindow.RX1, p.rx1, TxResult.timeout(p.gateway, token)));
            if (p.rx2 != null) {
                attempts.add(new DownlinkAttempt(RxWindow.RX2, p.rx2, TxResult.timeout(p.gateway, token)));
            }
            p.future.complete(new DownlinkResult(p.gateway, Optional.empty(), attempts));
        }
    }

    // ---------------------------------------------------------------- views

    /** Connected gateways have a downlink route; {@link GatewayRegistry#all} lists none (see {@link #stations}). */
    @Override
    public GatewayRegistry gateways() {
        return new GatewayRegistry() {
            @Override
            public Optional<GatewayState> get(Eui64 gatewayEui) {
                return Optional.empty();
            }

            @Override
            public List<GatewayState> all() {
                return List.of();
            }

            @Override
            public boolean hasDownlinkRoute(Eui64 gatewayEui) {
                return sessions.containsKey(gatewayEui);
            }
        };
    }

    /** Every Basics Station gateway that connected since the start, ordered by EUI. */
    public List<StationState> stations() {
        List<StationState> out = new ArrayList<>(states.values());
        out.sort(Comparator.comparing(StationState::eui));
        return out;
    }

    /**
     * Meters read from the counters when scraped: {@code lorafab_basics_station_events_total{event}} (uplinks accepted,
     * dnmsg sent, dntxed, dntxed timeouts, malformed messages, gateways refused, propdf ignored, uplinks rate-limited)
     * and {@code lorafab_basics_station_connected} (open traffic sockets). No gateway tag: see {@code /api/gateways}.
     */
    @Override
    public void bindTo(io.micrometer.core.instrument.MeterRegistry meters) {
        for (String event : List.of(UPLINKS_ACCEPTED, DNMSG_SENT, DNTXED, DNTXED_TIMEOUT, MALFORMED, REFUSED, PROPDF_IGNORED,
                RATE_LIMITED)) {
            io.micrometer.core.instrument.FunctionCounter.builder("lorafab.basics_station.events", counters, c -> c.get(event))
                    .description("Basics Station LNS events, by kind").tag("event", event).register(meters);
        }
        io.micrometer.core.instrument.Gauge.builder("lorafab.basics_station.connected", sessions, Map::size)
                .description("Basics Station gateways connected").register(meters);
    }

    public Map<String, Long> counters() {
        return counters.snapshot();
    }

    public long counter(String name) {
        return counters.get(name);
    }

    private void problem(String reason, Eui64 eui, Supplier<String> detail) {
        long n = counters.increment(reason);
        String who = eui == null ? "" : " gateway " + eui;
        if (n == 1) {
            LOG.log(System.Logger.Level.WARNING, () -> "Basics Station: " + reason + who
                    + " (first occurrence; further ones are counted and logged at DEBUG)");
        }
        LOG.log(System.Logger.Level.DEBUG, () -> "Basics Station: " + reason + who + ": " + detail.get());
    }
}
