package io.lorafab.joinserver;

import io.lorafab.gateway.DownlinkResult;
import io.lorafab.gateway.GatewayConnector;
import io.lorafab.gateway.JoinAcceptScheduler;
import io.lorafab.gateway.RxInfo;
import io.lorafab.gateway.RxWindowsMissedException;
import io.lorafab.gateway.Uplink;
import io.lorafab.gateway.UplinkListener;
import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.frame.DataFrame;
import io.lorafab.lorawan.frame.JoinRequest;
import io.lorafab.lorawan.frame.PhyPayload;
import io.lorafab.lorawan.frame.PhyPayloadCodec;
import io.lorafab.lorawan.region.Region;
import io.lorafab.store.Registry;
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
 * refuses RX1) through the best gateway; data uplinks go to the {@link UplinkVerifier}. Frames of other
 * networks and malformed frames are counted and dropped; nothing here can stop the listener.
 */
public final class GatewayBridge implements UplinkListener, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(GatewayBridge.class.getName());

    private final JoinServer joinServer;
    private final UplinkVerifier verifier;
    private final Registry registry;
    private final JoinAcceptScheduler scheduler;
    private final ExecutorService workers;
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();

    public GatewayBridge(JoinServer joinServer, UplinkVerifier verifier, Registry registry, GatewayConnector connector, int threads) {
        this(joinServer, verifier, registry, connector, threads, null, Duration.ZERO);
    }

    /**
     * @param clock the connector's clock, to skip a receive window that can no longer be met (null: always try RX1)
     * @param leadTime how long before a window the packet forwarder needs the downlink
     */
    public GatewayBridge(JoinServer joinServer, UplinkVerifier verifier, Registry registry, GatewayConnector connector, int threads,
            Clock clock, Duration leadTime) {
        this.joinServer = joinServer;
        this.verifier = verifier;
        this.registry = registry;
        this.scheduler = new JoinAcceptScheduler(connector, true, clock, leadTime);
        this.workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "lorafab-join-worker");
            t.setDaemon(true);
            return t;
        });
    }

    /** Counts by outcome: join_accepted, join_rejected, accept_sent_rx1/rx2, accept_not_sent, uplink_*, malformed, ... */
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
                Optional<RadioEvent> verified = verifier.verify(df, meta, devEui -> regionOf(devEui));
                count(verified.isPresent() ? "uplink_verified" : "uplink_not_verified");
            } else {
                count("ignored_" + p.mType().displayName());
            }
        } catch (RuntimeException e) {
            count("errors");
            LOG.log(System.Logger.Level.WARNING, "uplink handling failed: " + e);
        }
    }

    private void join(Uplink uplink, RadioMeta meta) {
        JoinResult res;
        try {
            res = joinServer.handle(uplink.phyPayload(), meta, Optional.empty());
        } catch (JoinRejection r) {
            count("join_rejected");
            count("join_rejected_" + r.code());
            return;
        }
        count("join_accepted");
        scheduler.scheduleJoinAccept(res.region(), uplink, res.phyPayload()).whenComplete((DownlinkResult d, Throwable t) -> {
            Throwable cause = t instanceof java.util.concurrent.CompletionException && t.getCause() != null ? t.getCause() : t;
            if (cause instanceof RxWindowsMissedException missed) {
                count("accept_not_sent");
                count("accept_too_late");
                joinServer.store().record(RadioEvent.of(res.unit().devEui(), "join_accept_not_sent", "rx_windows_missed",
                        meta.gatewayEui(), null, null, null, null, "{\"sinceUplinkMs\":" + missed.sinceUplink().toMillis() + "}"));
            } else if (t != null || !d.sent()) {
                count("accept_not_sent");
                String why = t != null ? t.toString() : String.valueOf(d.finalResult());
                joinServer.store().record(RadioEvent.of(res.unit().devEui(), "join_accept_not_sent", "downlink_failed",
                        meta.gatewayEui(), null, null, null, null, "{\"reason\":\"" + why.replace("\"", "'") + "\"}"));
            } else {
                count("accept_sent_" + d.window().orElseThrow().name().toLowerCase());
            }
        });
    }

    private Region regionOf(io.lorafab.lorawan.types.Eui64 devEui) {
        return registry.unit(devEui).map(u -> u.region() == null ? "EU868" : u.region()).map(Region::byName)
                .orElse(Region.byName("EU868"));
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
