package io.lorafab.joinserver;

import io.lorafab.gateway.DownlinkAttempt;
import io.lorafab.gateway.DownlinkNotScheduledException;
import io.lorafab.gateway.DownlinkPlanner;
import io.lorafab.gateway.DownlinkResult;
import io.lorafab.gateway.GatewayConnector;
import io.lorafab.gateway.GatewayUnavailableException;
import io.lorafab.gateway.JoinAcceptScheduler;
import io.lorafab.gateway.RxInfo;
import io.lorafab.gateway.RxWindow;
import io.lorafab.gateway.Uplink;
import io.lorafab.gateway.semtech.Txpk;
import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.crypto.DataDown;
import io.lorafab.lorawan.crypto.SessionKeys;
import io.lorafab.lorawan.frame.FCtrl;
import io.lorafab.lorawan.frame.MType;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.Hex;
import io.lorafab.store.join.JoinStore;
import io.lorafab.store.join.RadioEvent;
import io.lorafab.store.join.Session;
import io.lorafab.store.vault.KeyVault;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * The downlink half of the two-way radio test: a unit's first verified uplink on a session is answered, as a network
 * server would answer it, with a class-A unconfirmed data downlink carrying a fresh random payload — the session's
 * next downlink counter (1.0 FCntDown, 1.1 AFCntDown), FRMPayload encrypted with the AppSKey, MIC with the network
 * key — in RX1 ({@code RxDelay} after the uplink, the join-accept's delay) and, if the gateway refuses RX1, RX2, through
 * the gateway that heard the uplink best.
 *
 * <p>What became of it is recorded for the station, which checks the module received exactly that payload:
 * {@code downlink_sent} (the gateway took it: TX_ACK without error, or a Basics Station's dntxed) or
 * {@code downlink_not_sent} ({@code downlink_failed} with the gateway's answer, {@code rx_windows_missed}), both with
 * the payload in hex, its FPort and counter. The payload is no secret (it is random, and the station must read it);
 * the session keys never leave the vault's unwrap into an event or a log line.
 *
 * <p>A test downlink that did not go out for the test station's sake (the gateway's transmitter already planned for
 * other units in both windows, a gateway refusal, no TX_ACK, the server late) is not lost: the session's next
 * verified uplinks are answered again, up to {@link #ATTEMPTS} in all, as a network server keeps a queued downlink for
 * the device's next receive windows. On a multi-up fixture the positions' uplinks come within a fraction of a second
 * of each other; without this, one position whose downlink found the transmitter busy had to be tested again from its
 * join (about 6 s on air), and an 8-position fixture took 4.2 times one unit's time instead of 1.3. Which sessions wait
 * for another try is kept in memory: a server restart in the middle of a test only costs that unit its re-test.
 */
public final class TestDownlinks {
    private static final System.Logger LOG = System.getLogger(TestDownlinks.class.getName());

    /** The test downlink's FPort and payload length (bytes). */
    public record Settings(int fPort, int payloadLength) {
        public static final Settings DEFAULT = new Settings(2, 8);

        public Settings {
            if (fPort < 1 || fPort > 223) {
                throw new IllegalArgumentException("test downlink FPort must be 1..223, got " + fPort);
            }
            if (payloadLength < 1 || payloadLength > 51) {
                // 51 bytes fit every region's lowest downlink data rate (e.g. EU868 DR0 in RX2)
                throw new IllegalArgumentException("test downlink payload must be 1..51 bytes, got " + payloadLength);
            }
        }
    }

    private final JoinStore store;
    private final KeyVault vault;
    private final GatewayConnector connector;
    private final JoinAcceptScheduler sender;
    private final JoinServerConfig config;
    private final Settings settings;
    private final SecureRandom random;
    private final Clock clock;
    private final Duration leadTime;
    private final Consumer<RadioEvent> published;
    private final Consumer<String> counted;
    /** Sessions whose test downlink has not gone out yet, by id, with the attempts made. */
    private final java.util.concurrent.ConcurrentHashMap<Long, Integer> waiting = new java.util.concurrent.ConcurrentHashMap<>();

    /** Test downlinks tried per session at most: the first uplink's, and two more uplinks' after a station-side failure. */
    public static final int ATTEMPTS = 3;
    /** Sessions kept waiting at most; beyond, the oldest tries are forgotten (a station gives up long before). */
    static final int MAX_WAITING = 10_000;

    /**
     * @param sender    sends class-A downlinks through {@code connector}, held to the gateways' transmitter plan it shares
     *                  with the join-accepts (so that a unit's test downlink and another unit's join-accept are never
     *                  planned over each other on one gateway, as on a multi-up fixture)
     * @param clock     the connector's clock, to skip a window the server can no longer meet (null: always try RX1)
     * @param leadTime  how long before a window the gateway needs the downlink
     * @param published told each recorded event (the event bus)
     * @param counted   told each outcome's counter name ({@code downlink_sent_rx1}, {@code downlink_not_sent}, ...)
     */
    public TestDownlinks(JoinStore store, KeyVault vault, GatewayConnector connector, JoinAcceptScheduler sender, JoinServerConfig config, Settings settings,
            SecureRandom random, Clock clock, Duration leadTime, Consumer<RadioEvent> published, Consumer<String> counted) {
        this.store = Objects.requireNonNull(store, "store");
        this.vault = Objects.requireNonNull(vault, "vault");
        this.connector = Objects.requireNonNull(connector, "connector");
        this.sender = Objects.requireNonNull(sender, "sender");
        this.config = Objects.requireNonNull(config, "config");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.random = Objects.requireNonNull(random, "random");
        this.clock = clock;
        this.leadTime = Objects.requireNonNull(leadTime, "leadTime");
        this.published = Objects.requireNonNull(published, "published");
        this.counted = Objects.requireNonNull(counted, "counted");
    }

    /**
     * Whether the verified uplink {@code first} or not of {@code session} is to be answered with the test downlink: the
     * session's first uplink, and a later one while an earlier try did not go out (at most {@link #ATTEMPTS} tries).
     */
    public boolean wants(Session session, boolean first) {
        if (first) {
            if (waiting.size() >= MAX_WAITING) {
                waiting.clear();
            }
            waiting.put(session.id(), 0);
            return true;
        }
        return waiting.containsKey(session.id());
    }

    /**
     * Answers {@code uplink}, a verified uplink of {@code session} that {@link #wants} answered, with the test downlink. Returns once the
     * downlink is with the gateway; the future completes with the recorded outcome. Never throws: a failure is
     * recorded as {@code downlink_not_sent}.
     */
    public CompletableFuture<RadioEvent> answer(Session session, Region region, Uplink uplink, RadioMeta meta) {
        return attempt(session, region, uplink, meta).whenComplete((e, failure) -> settle(session, e));
    }

    private CompletableFuture<RadioEvent> attempt(Session session, Region region, Uplink uplink, RadioMeta meta) {
        byte[] payload = new byte[settings.payloadLength()];
        random.nextBytes(payload);
        return send(session, region, uplink, meta, settings.fPort(), payload, "downlink_sent", "downlink_not_sent");
    }

    /**
     * Answers {@code uplink} of {@code session} with an unconfirmed data downlink of {@code payload} on {@code fPort}, as
     * {@link #answer} does, recording the outcome as {@code sentKind} or {@code notSentKind} (with the same codes and
     * details). The TS009 profile's commands go this way, under their own event kinds.
     */
    CompletableFuture<RadioEvent> send(Session session, Region region, Uplink uplink, RadioMeta meta, int fPort, byte[] payload,
            String sentKind, String notSentKind) {
        String common = "\"fPort\":" + fPort + ",\"frmPayload\":\"" + Hex.format(payload) + "\"";
        OptionalLong fCnt = store.takeFCntDown(session.id());
        if (fCnt.isEmpty()) {
            return record(session, notSentKind, "downlink_failed", meta,
                    "{" + common + ",\"gatewayError\":\"SEND_FAILED\",\"message\":\"the session's downlink counter is exhausted\"}");
        }
        String withCnt = common + ",\"fCntDown\":" + fCnt.getAsLong();
        byte[] phy;
        RxInfo rx;
        Txpk rx1;
        Txpk rx2;
        int rx1Dr;
        try {
            phy = DataDown.seal(keys(session), MType.UNCONFIRMED_DATA_DOWN, FCtrl.NONE, session.devAddr(), fCnt.getAsLong(),
                    new byte[0], OptionalInt.of(fPort), payload, 0);
            rx = JoinAcceptScheduler.chooseReception(uplink, connector.gateways());
            rx1 = DownlinkPlanner.rx1(region, rx, phy, rxDelay(), config.rx1DrOffset());
            rx2 = DownlinkPlanner.dataDownRx2(region, rx, phy);
            // the DR the planner derived for RX1: the uplink's, less the session's RX1DROffset (the join-accept's)
            rx1Dr = region.rx1DataRate(region.uplinkDataRate(rx.spreadingFactor(), rx.bandwidthHz()), config.rx1DrOffset());
        } catch (LorawanFormatException e) {
            return record(session, notSentKind, "downlink_failed", meta,
                    "{" + withCnt + ",\"gatewayError\":\"SEND_FAILED\",\"message\":\"" + GatewayBridge.jsonText(e.getMessage()) + "\"}");
        }
        CompletableFuture<DownlinkResult> sent;
        if (clock != null) {
            Duration ready = Duration.between(uplink.receivedAt(), clock.instant()).plus(leadTime);
            Duration rx2Delay = rxDelay().plusSeconds(1);
            if (ready.compareTo(rx2Delay) > 0) {
                counted.accept("downlink_not_sent");
                return record(session, notSentKind, "rx_windows_missed", meta, "{" + withCnt
                        + ",\"gatewayError\":\"RX_WINDOWS_MISSED\",\"sinceUplinkMs\":" + ready.minus(leadTime).toMillis() + "}");
            }
            // RX1 when the server can still meet it, else RX2 alone. No RX2 after an RX1 whose TX_ACK did not come
            // (fallbackOnTimeout false): the acknowledgement timeout outlasts RECEIVE_DELAY2, so RX2 would be late. Nor
            // RX2 when another unit's downlink holds RX1 (false): the session's next uplink carries the downlink sooner
            // than a slow RX2 that would hold the transmitter from the other positions' RX1.
            sent = sender.sendPlanned(rx, session.devEui(), ready.compareTo(rxDelay()) > 0 ? null : rx1, rx2, false, false);
        } else {
            sent = sender.sendPlanned(rx, session.devEui(), rx1, rx2, false, false);
        }
        return sent.handle((d, t) -> {
            Throwable cause = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
            if (cause instanceof DownlinkNotScheduledException) {
                counted.accept("downlink_not_sent");
                counted.accept("downlink_not_scheduled");
                return record(session, notSentKind, "not_scheduled", meta, "{" + withCnt + ",\"gatewayError\":\"TRANSMITTER_BUSY\"}");
            }
            if (cause != null) {
                counted.accept("downlink_not_sent");
                String error = cause instanceof GatewayUnavailableException ? "GATEWAY_UNAVAILABLE" : "SEND_FAILED";
                return record(session, notSentKind, "downlink_failed", meta, "{" + withCnt + ",\"gatewayError\":\"" + error
                        + "\",\"message\":\"" + GatewayBridge.jsonText(String.valueOf(cause.getMessage())) + "\"}");
            }
            if (!d.sent()) {
                counted.accept("downlink_not_sent");
                return record(session, notSentKind, "downlink_failed", meta, "{" + withCnt + ",\"gatewayError\":\""
                        + GatewayBridge.gatewayError(d.finalResult()) + "\",\"attempts\":" + GatewayBridge.attempts(d) + "}");
            }
            RxWindow w = d.window().orElseThrow();
            String window = w.name();
            counted.accept("downlink_sent_" + window.toLowerCase(java.util.Locale.ROOT));
            // the data rate of the window that went out, as planned in the txpk the gateway took (not assumed)
            Txpk went = w == RxWindow.RX1 ? rx1 : rx2;
            int dr = w == RxWindow.RX1 ? rx1Dr : region.rx2DataRate();
            return record(session, sentKind, null, meta, "{" + withCnt + ",\"window\":\"" + window + "\",\"dataRate\":" + dr
                    + ",\"datr\":\"" + went.dataRate() + "\",\"attempts\":" + GatewayBridge.attempts(d) + "}");
        }).thenCompose(f -> f);
    }

    /** After a try: a sent downlink ends the session's wait; a try that did not go out counts, up to {@link #ATTEMPTS}. */
    private void settle(Session session, RadioEvent outcome) {
        if (outcome != null && outcome.kind().equals("downlink_sent")) {
            waiting.remove(session.id());
        } else {
            waiting.computeIfPresent(session.id(), (id, n) -> n + 1 >= ATTEMPTS ? null : n + 1);
        }
    }

    /** RECEIVE_DELAY1 as the join-accept set it: RxDelay seconds, where 0 means 1 s. */
    private Duration rxDelay() {
        return Duration.ofSeconds(Math.max(1, config.rxDelaySeconds()));
    }

    private SessionKeys keys(Session s) {
        return new SessionKeys(s.lorawan11(), vault.unwrapKey(s.kekLabel(), s.fNwkSIntKey()), vault.unwrapKey(s.kekLabel(), s.sNwkSIntKey()),
                vault.unwrapKey(s.kekLabel(), s.nwkSEncKey()), vault.unwrapKey(s.kekLabel(), s.appSKey()));
    }

    private CompletableFuture<RadioEvent> record(Session s, String kind, String code, RadioMeta meta, String details) {
        // on the connector's thread when a TX_ACK completed the send: the event must not wait for the disk there
        return store.recordAsync(RadioEvent.of(s.devEui(), kind, code, meta == null ? null : meta.gatewayEui(), null, null, null,
                null, details)).whenComplete((e, failure) -> {
                    if (failure != null) {
                        counted.accept("errors");
                        LOG.log(System.Logger.Level.WARNING, "recording " + kind + " failed: " + failure);
                    } else if (e != null) {
                        published.accept(e);
                    }
                });
    }
}
