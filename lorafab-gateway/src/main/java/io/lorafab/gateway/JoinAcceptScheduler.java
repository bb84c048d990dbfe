package io.lorafab.gateway;

import io.lorafab.gateway.semtech.Txpk;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.Eui64;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Sends a join-accept (or any class-A downlink) through one gateway: RX1 first, and if the gateway does not
 * accept it (TOO_LATE, TOO_EARLY, COLLISION_*, TX_FREQ, TX_POWER, no TX_ACK in time, ...), RX2 once.
 *
 * <p>The gateway is the best reception's ({@link Uplink#best()}) among those with a downlink route; if none
 * has one, the best reception's, and the send then fails with {@link GatewayUnavailableException}.
 *
 * <p>Both downlinks are planned before the first is sent, so invalid input raises
 * {@link io.lorafab.lorawan.LorawanFormatException} at once. The returned future completes with a
 * {@link DownlinkResult}, or exceptionally when a send fails exceptionally (no route, connector closed, I/O):
 * RX2 is not tried then, as it would go the same way.
 *
 * <p>On a TX_ACK timeout the gateway may have accepted RX1 all the same (old forwarders send no TX_ACK): RX2
 * is then sent too, which a device that received RX1 ignores. With the default 2 s acknowledgement timeout,
 * the RX2 request of a join-accept (6 s) is still early enough; for data downlinks (RX2 at 2 s) it is not,
 * so use a shorter timeout or {@code fallbackOnTimeout = false} there.
 *
 * <p>With a clock and a lead time (the time a packet forwarder needs the PULL_RESP before {@code tmst}, about
 * 100-300 ms), a window whose start is less than the lead time away — measured from when the uplink was
 * received ({@link Uplink#receivedAt()}) on the same clock — is not tried: RX2 is scheduled directly when RX1
 * cannot be met, and when RX2 cannot be met either nothing is sent and the future fails with
 * {@link RxWindowsMissedException}.
 *
 * <p>With a {@link TransmitterPlan}, the windows are first planned against what the gateway's one transmitter is
 * already promised to: RX1 when it is free, else RX2 alone, else nothing is sent and the future fails with
 * {@link DownlinkNotScheduledException} — units that join at the same moment on one gateway are answered one in
 * RX1, the next in RX2, instead of the gateway refusing all but the first.
 */
public final class JoinAcceptScheduler {

    private static final System.Logger LOG = System.getLogger(JoinAcceptScheduler.class.getName());

    private final GatewayConnector connector;
    private final boolean fallbackOnTimeout;
    private final Clock clock;
    private final Duration leadTime;
    private final TransmitterPlan plan;

    /** Falls back to RX2 on every failure, timeouts included; tries RX1 however late it is. */
    public JoinAcceptScheduler(GatewayConnector connector) {
        this(connector, true);
    }

    public JoinAcceptScheduler(GatewayConnector connector, boolean fallbackOnTimeout) {
        this(connector, fallbackOnTimeout, null, Duration.ZERO);
    }

    /**
     * @param clock the clock the connector stamps {@link Uplink#receivedAt()} with, or null not to check the windows
     * @param leadTime how long before a window starts the gateway must have the downlink
     */
    public JoinAcceptScheduler(GatewayConnector connector, boolean fallbackOnTimeout, Clock clock, Duration leadTime) {
        this(connector, fallbackOnTimeout, clock, leadTime, null);
    }

    /**
     * @param plan the gateways' transmitters as planned so far: a window another downlink holds is not tried (RX2
     *             instead of RX1; neither, and the future fails with {@link DownlinkNotScheduledException}); null
     *             leaves every collision to the gateway to refuse
     */
    public JoinAcceptScheduler(GatewayConnector connector, boolean fallbackOnTimeout, Clock clock, Duration leadTime,
            TransmitterPlan plan) {
        this.plan = plan;
        this.connector = Objects.requireNonNull(connector, "connector");
        this.fallbackOnTimeout = fallbackOnTimeout;
        this.clock = clock;
        this.leadTime = Objects.requireNonNull(leadTime, "leadTime");
        if (leadTime.isNegative()) {
            throw new IllegalArgumentException("lead time must not be negative: " + leadTime);
        }
    }

    /** A join-accept answering {@code joinRequest}, with the default RX1DROffset 0 (what devices use for it). */
    public CompletableFuture<DownlinkResult> scheduleJoinAccept(Region region, Uplink joinRequest, byte[] joinAccept) {
        return scheduleJoinAccept(region, joinRequest, joinAccept, 0);
    }

    public CompletableFuture<DownlinkResult> scheduleJoinAccept(Region region, Uplink joinRequest, byte[] joinAccept,
            int rx1DrOffset) {
        RxInfo rx = chooseReception(joinRequest, connector.gateways());
        Txpk rx1 = DownlinkPlanner.joinAcceptRx1(region, rx, joinAccept, rx1DrOffset);
        Txpk rx2 = DownlinkPlanner.joinAcceptRx2(region, rx, joinAccept);
        if (clock != null) {
            Duration ready = Duration.between(joinRequest.receivedAt(), clock.instant()).plus(leadTime);
            if (ready.compareTo(region.joinAcceptDelay2()) > 0) {
                return CompletableFuture.failedFuture(new RxWindowsMissedException(ready.minus(leadTime), leadTime,
                        region.joinAcceptDelay2()));
            }
            if (ready.compareTo(region.joinAcceptDelay1()) > 0) {
                LOG.log(System.Logger.Level.DEBUG, () -> "RX1 of an uplink received at " + joinRequest.receivedAt()
                        + " cannot be met, scheduling RX2");
                return sendPlanned(rx, null, null, rx2, fallbackOnTimeout, true);
            }
        }
        // RX2 when RX1 is taken: a device not answered joins again only after its back-off, seconds later
        return sendPlanned(rx, null, rx1, rx2, fallbackOnTimeout, true);
    }

    /**
     * Sends a class-A downlink planned for the reception {@code rx}: RX1 and, if the gateway refuses it, RX2; or RX2
     * alone when {@code rx1} is null (RX1 can no longer be met). With a {@link TransmitterPlan} only a window whose time
     * on air is free is tried (RX2 directly when RX1 is taken), and the future fails with
     * {@link DownlinkNotScheduledException} when none is; the gateway's own answer then corrects the plan (a refused
     * window is given back, an RX2 fallback taken). Join-accepts and the test downlink after the first uplink share
     * the plan, so neither is planned over the other.
     *
     * @param devEui the device a data downlink is for (a Basics Station reports only such a downlink), or null
     * @param fallbackOnTimeout whether RX2 is tried after RX1 got no TX_ACK in time
     * @param rx2WhenRx1Planned whether RX2 is planned when another downlink holds RX1. RX2's data rate is the region's
     *     slowest in most plans (EU868 DR0, SF12: over a second on air for a short frame), so an RX2 taken for one unit
     *     keeps the transmitter from every other unit's RX1 for that long: worth it for a join-accept, whose device
     *     would otherwise join again seconds later, not for a downlink the next uplink can carry.
     */
    public CompletableFuture<DownlinkResult> sendPlanned(RxInfo rx, Eui64 devEui, Txpk rx1, Txpk rx2, boolean fallbackOnTimeout,
            boolean rx2WhenRx1Planned) {
        Eui64 gw = rx.gatewayEui();
        if (rx1 == null) {
            if (plan != null && !plan.reserve(gw, rx.tmst(), rx2)) {
                return CompletableFuture.failedFuture(new DownlinkNotScheduledException(gw));
            }
            CompletableFuture<DownlinkResult> sent = rx2Only(gw, devEui, rx2);
            return plan == null ? sent : sent.whenComplete((d, t) -> {
                if (t != null || !d.sent()) {
                    plan.release(gw, rx2);
                }
            });
        }
        if (plan == null) {
            return classA(gw, devEui, rx1, rx2, fallbackOnTimeout);
        }
        Optional<RxWindow> window = rx2WhenRx1Planned ? plan.reserve(gw, rx.tmst(), rx1, rx2)
                : plan.reserve(gw, rx.tmst(), rx1) ? Optional.of(RxWindow.RX1) : Optional.empty();
        if (window.isEmpty()) {
            return CompletableFuture.failedFuture(new DownlinkNotScheduledException(gw));
        }
        return switch (window.get()) {
            case RX1 -> classA(gw, devEui, rx1, rx2, fallbackOnTimeout).whenComplete((d, t) -> {
                // the gateway's own answer wins: RX1 refused frees its interval, an RX2 fallback takes its own
                if (t != null || d.window().orElse(null) != RxWindow.RX1) {
                    plan.release(gw, rx1);
                }
                if (t == null && d.window().orElse(null) == RxWindow.RX2) {
                    plan.occupy(gw, rx2);
                }
            });
            case RX2 -> rx2Only(gw, devEui, rx2).whenComplete((d, t) -> {
                if (t != null || !d.sent()) {
                    plan.release(gw, rx2);
                }
            });
        };
    }

    private CompletableFuture<DownlinkResult> classA(Eui64 gw, Eui64 devEui, Txpk rx1, Txpk rx2, boolean fallbackOnTimeout) {
        return devEui == null ? connector.sendClassA(gw, rx1, rx2, fallbackOnTimeout) : connector.sendClassA(gw, devEui, rx1, rx2, fallbackOnTimeout);
    }

    private CompletableFuture<DownlinkResult> rx2Only(Eui64 gw, Eui64 devEui, Txpk rx2) {
        return (devEui == null ? connector.send(gw, rx2) : connector.send(gw, devEui, rx2)).thenApply(r2 -> new DownlinkResult(gw,
                r2.accepted() ? Optional.of(RxWindow.RX2) : Optional.empty(), List.of(new DownlinkAttempt(RxWindow.RX2, rx2, r2))));
    }

    /** The transmitter plan this scheduler keeps, if any. */
    public Optional<TransmitterPlan> plan() {
        return Optional.ofNullable(plan);
    }

    /** The packet-forwarder way: RX1, and RX2 once when the gateway refused RX1 (or, if allowed, did not answer). */
    static CompletableFuture<DownlinkResult> rx1ThenRx2(GatewayConnector connector, Eui64 gatewayEui, Txpk rx1, Txpk rx2,
            boolean fallbackOnTimeout) {
        return connector.send(gatewayEui, rx1).thenCompose(r1 -> {
            DownlinkAttempt first = new DownlinkAttempt(RxWindow.RX1, rx1, r1);
            if (r1.accepted()) {
                return CompletableFuture.completedFuture(
                        new DownlinkResult(gatewayEui, Optional.of(RxWindow.RX1), List.of(first)));
            }
            if (r1.status() == TxResult.Status.TIMEOUT && !fallbackOnTimeout) {
                return CompletableFuture.completedFuture(
                        new DownlinkResult(gatewayEui, Optional.empty(), List.of(first)));
            }
            LOG.log(System.Logger.Level.DEBUG, () -> "gateway " + gatewayEui + " refused RX1 (" + r1.status() + " "
                    + r1.error() + "), trying RX2");
            return connector.send(gatewayEui, rx2).thenApply(r2 -> new DownlinkResult(gatewayEui,
                    r2.accepted() ? Optional.of(RxWindow.RX2) : Optional.empty(),
                    List.of(first, new DownlinkAttempt(RxWindow.RX2, rx2, r2))));
        });
    }

    /**
     * The reception to answer through: the best one whose gateway has a downlink route, else the best one.
     */
    public static RxInfo chooseReception(Uplink uplink, GatewayRegistry gateways) {
        Objects.requireNonNull(uplink, "uplink");
        Objects.requireNonNull(gateways, "gateways");
        for (RxInfo rx : uplink.receptions()) {
            if (gateways.hasDownlinkRoute(rx.gatewayEui())) {
                return rx;
            }
        }
        return uplink.best();
    }
}
