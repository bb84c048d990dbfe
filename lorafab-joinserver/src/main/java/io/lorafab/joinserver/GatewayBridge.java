package io.lorafab.joinserver;

import io.lorafab.gateway.DownlinkAttempt;
import io.lorafab.gateway.DownlinkResult;
import io.lorafab.gateway.GatewayUnavailableException;
import io.lorafab.gateway.GatewayConnector;
import io.lorafab.gateway.DownlinkNotScheduledException;
import io.lorafab.gateway.JoinAcceptScheduler;
import io.lorafab.gateway.TransmitterPlan;
import io.lorafab.gateway.RxInfo;
import io.lorafab.gateway.RxWindowsMissedException;
import io.lorafab.gateway.TxResult;
import io.lorafab.gateway.Uplink;
import io.lorafab.gateway.UplinkListener;
import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.frame.DataFrame;
import io.lorafab.lorawan.frame.JoinRequest;
import io.lorafab.lorawan.frame.PhyPayload;
import io.lorafab.lorawan.frame.PhyPayloadCodec;
import io.lorafab.lorawan.region.Region;
import io.lorafab.store.UnitStore;
import io.lorafab.store.model.Unit;
import io.lorafab.store.join.RadioEvent;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Connects gateways to the join server: each deduplicated uplink is handled off the receive thread —
 * join-requests go to the {@link JoinServer} and accepted ones are scheduled in RX1 (RX2 if the gateway
 * refuses RX1) through the best gateway, planned against what that gateway's transmitter is already promised to
 * ({@link TransmitterPlan}: RX2 when RX1 is taken, not sent when both are); data uplinks go to the {@link UplinkVerifier},
 * and a session's first verified one is answered with the {@link TestDownlinks test downlink}. Frames of other networks
 * and malformed frames are counted and dropped; nothing here can stop the listener.
 */
public final class GatewayBridge implements UplinkListener, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(GatewayBridge.class.getName());

    private final JoinServer joinServer;
    private final UplinkVerifier verifier;
    private final UnitStore registry;
    private final JoinAcceptScheduler scheduler;
    private final TestDownlinks testDownlinks;
    private final CertificationProfile certification;
    private final ExecutorService workers;
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();

    public GatewayBridge(JoinServer joinServer, UplinkVerifier verifier, UnitStore registry, GatewayConnector connector, int threads) {
        this(joinServer, verifier, registry, connector, threads, null, Duration.ZERO);
    }

    /**
     * @param clock the connector's clock, to skip a receive window that can no longer be met (null: always try RX1)
     * @param leadTime how long before a window the packet forwarder needs the downlink
     */
    public GatewayBridge(JoinServer joinServer, UplinkVerifier verifier, UnitStore registry, GatewayConnector connector, int threads,
            Clock clock, Duration leadTime) {
        this(joinServer, verifier, registry, connector, threads, clock, leadTime, TestDownlinks.Settings.DEFAULT);
    }

    /**
     * @param downlinks the test downlink that answers each session's first verified uplink ({@link TestDownlinks}), or
     *     null to answer none
     */
    public GatewayBridge(JoinServer joinServer, UplinkVerifier verifier, UnitStore registry, GatewayConnector connector, int threads,
            Clock clock, Duration leadTime, TestDownlinks.Settings downlinks) {
        this(joinServer, verifier, registry, connector, threads, clock, leadTime, downlinks, null);
    }

    /**
     * @param certification the TS009 end-of-line profile's expectation of a unit whose product runs it, else empty
     *     ({@link CertificationProfile}); null runs it for none. Needs {@code downlinks}.
     */
    public GatewayBridge(JoinServer joinServer, UplinkVerifier verifier, UnitStore registry, GatewayConnector connector, int threads,
            Clock clock, Duration leadTime, TestDownlinks.Settings downlinks,
            java.util.function.Function<io.lorafab.lorawan.types.Eui64, Optional<CertificationProfile.Expectation>> certification) {
        this.joinServer = joinServer;
        // one plan of every gateway's transmitter, for join-accepts and test downlinks alike: units joining at the same
        // moment on one gateway get RX1, RX2, or retry, and no test downlink is planned over another unit's join-accept
        this.scheduler = new JoinAcceptScheduler(connector, true, clock, leadTime,
                joinServer.config().planDownlinks() ? new TransmitterPlan() : null);
        this.testDownlinks = downlinks == null ? null : new TestDownlinks(joinServer.store(), verifier.vault(), connector, scheduler,
                joinServer.config(), downlinks, new java.security.SecureRandom(), clock, leadTime,
                e -> {
                    if (joinServer.events() != null) {
                        joinServer.events().publish(e);
                    }
                }, this::count);
        this.certification = testDownlinks == null || certification == null ? null
                : new CertificationProfile(testDownlinks, joinServer.store(), certification, new java.security.SecureRandom(), e -> {
                    if (joinServer.events() != null) {
                        joinServer.events().publish(e);
                    }
                });
        this.verifier = verifier;
        this.registry = registry;
        this.workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "lorafab-join-worker");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Counts by outcome: join_accepted, join_rejected, accept_sent_rx1/rx2, accept_not_sent (and of those
     * accept_not_scheduled: both windows already planned for other downlinks), uplink_*, downlink_sent_rx1/rx2,
     * downlink_not_sent, malformed, ...
     */
    public Map<String, Long> counters() {
        Map<String, Long> out = new java.util.TreeMap<>();
        counters.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    private void count(String what) {
        counters.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
    }

    @Override
    public void onUplink(Uplink uplink) {
        try {
            workers.execute(() -> handle(uplink));
        } catch (RejectedExecutionException closed) {
            count("dropped_closed");
        }
    }

    private void handle(Uplink uplink) {
        try {
            PhyPayload p;
            try {
                p = PhyPayloadCodec.decode(uplink.phyPayload());
            } catch (LorawanFormatException e) {
                count("malformed");
                return;
            }
            RxInfo best = uplink.best();
            RadioMeta meta = new RadioMeta(best.gatewayEui(), best.rssi(), best.snr(), best.frequencyHz(), best.datr(),
                    best.tmst(), uplink.receptions().size());
            if (p instanceof JoinRequest) {
                join(uplink, meta);
            } else if (p instanceof DataFrame df && df.isUplink()) {
                Optional<UplinkVerifier.Verified> verified = verifier.verifyUplink(df, meta, devEui -> regionOf(devEui));
                count(verified.isPresent() ? "uplink_verified" : "uplink_not_verified");
                if (verified.isPresent() && testDownlinks != null && testDownlinks.wants(verified.get().session(), verified.get().first())) {
                    java.util.concurrent.CompletableFuture<RadioEvent> sent = testDownlinks.answer(verified.get().session(),
                            verified.get().region(), uplink, meta);
                    if (certification != null) {
                        certification.testDownlink(verified.get().session(), sent);
                    }
                } else if (verified.isPresent() && certification != null) {
                    // once the test downlink is out (or its tries are used up), the TS009 profile has the next uplinks
                    certification.uplink(verified.get(), uplink, meta);
                }
            } else {
                count("ignored_" + p.mType().displayName());
            }
        } catch (RuntimeException e) {
            count("errors");
            LOG.log(System.Logger.Level.WARNING, "uplink handling failed: " + e);
        }
    }

    /**
     * The worker hands the join to the join server and returns for the next uplink; the join-accept is scheduled once
     * the join is durable, back on a worker (the commit thread only completes the future). A worker that waited for each
     * commit would cap a batch at one join per worker thread.
     */
    private void join(Uplink uplink, RadioMeta meta) {
        joinServer.handleAsync(uplink.phyPayload(), meta, Optional.empty(), null).whenCompleteAsync((res, failure) -> {
            try {
                joined(uplink, meta, res, failure);
            } catch (RuntimeException e) {
                count("errors");
                LOG.log(System.Logger.Level.WARNING, "join handling failed: " + e);
            }
        }, workers);
    }

    private void joined(Uplink uplink, RadioMeta meta, JoinResult res, Throwable failure) {
        if (failure != null) {
            RuntimeException e = JoinServer.unwrap(failure);
            if (e instanceof JoinRejection r) {
                count("join_rejected");
                count("join_rejected_" + r.code().code());
                return;
            }
            throw e;
        }
        count("join_accepted");
        scheduler.scheduleJoinAccept(res.region(), uplink, res.phyPayload()).whenComplete((DownlinkResult d, Throwable t) -> {
            Throwable cause = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
            if (cause instanceof DownlinkNotScheduledException busy) {
                count("accept_not_sent");
                count("accept_not_scheduled");
                // the test station's capacity, not the unit: the device hears nothing and joins again
                record(res, "join_accept_not_sent", "not_scheduled", meta, "{\"gatewayError\":\"TRANSMITTER_BUSY\"}");
            } else if (cause instanceof RxWindowsMissedException missed) {
                count("accept_not_sent");
                count("accept_too_late");
                record(res, "join_accept_not_sent", "rx_windows_missed", meta, "{\"gatewayError\":\"RX_WINDOWS_MISSED\",\"sinceUplinkMs\":"
                        + missed.sinceUplink().toMillis() + "}");
            } else if (cause != null) {
                count("accept_not_sent");
                String error = cause instanceof GatewayUnavailableException ? "GATEWAY_UNAVAILABLE" : "SEND_FAILED";
                record(res, "join_accept_not_sent", "downlink_failed", meta, "{\"gatewayError\":\"" + error + "\",\"message\":\""
                        + jsonText(String.valueOf(cause.getMessage())) + "\"}");
            } else if (!d.sent()) {
                count("accept_not_sent");
                record(res, "join_accept_not_sent", "downlink_failed", meta, "{\"gatewayError\":\"" + gatewayError(d.finalResult())
                        + "\",\"attempts\":" + attempts(d) + "}");
            } else {
                String window = d.window().orElseThrow().name();
                count("accept_sent_" + window.toLowerCase(java.util.Locale.ROOT));
                record(res, "join_accept_sent", null, meta, "{\"window\":\"" + window + "\",\"attempts\":" + attempts(d) + "}");
            }
            // this runs on the thread that completed the downlink (the UDP receive thread, on its TX_ACK): record()
            // must not wait for the disk
        });
    }

    /**
     * Records (and publishes) what became of a join-accept: the station reads it to tell a board that missed a
     * join-accept the gateway sent from a test gateway that refused or never got it.
     */
    private void record(JoinResult res, String kind, String code, RadioMeta meta, String details) {
        // no thread waits for this commit (the join's own is done); the event is published once it is durable
        joinServer.store().recordAsync(RadioEvent.of(res.unit().devEui(), kind, code, meta.gatewayEui(), null, null, null, null,
                details)).whenComplete((e, failure) -> {
                    if (failure != null) {
                        count("errors");
                        LOG.log(System.Logger.Level.WARNING, "recording " + kind + " failed: " + failure);
                    } else if (joinServer.events() != null && e != null) {
                        joinServer.events().publish(e);
                    }
                });
    }

    /** The gateway's answer as the station reads it: the TX_ACK error's name, or NO_TX_ACK when none came in time. */
    static String gatewayError(TxResult r) {
        return switch (r.status()) {
            case ACCEPTED -> "NONE";
            case REJECTED -> r.error().name();
            case TIMEOUT -> "NO_TX_ACK";
        };
    }

    /** {@code [{"window":"RX1","txAck":"COLLISION_PACKET"},{"window":"RX2","txAck":"NONE"}]}. */
    static String attempts(DownlinkResult d) {
        StringBuilder b = new StringBuilder("[");
        for (DownlinkAttempt a : d.attempts()) {
            b.append(b.length() == 1 ? "" : ",").append("{\"window\":\"").append(a.window().name()).append("\",\"txAck\":\"")
                    .append(gatewayError(a.result())).append("\"}");
        }
        return b.append(']').toString();
    }

    static String jsonText(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(' ');
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    private Region regionOf(io.lorafab.lorawan.types.Eui64 devEui) {
        return registry.unit(devEui).map(Unit::joinRegion).orElse(Unit.DEFAULT_REGION);
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
