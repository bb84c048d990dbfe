package io.lorafab.joinserver;

import io.lorafab.api.ErrorCode;
import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.crypto.JoinAcceptCipher;
import io.lorafab.lorawan.crypto.JoinMic;
import io.lorafab.lorawan.crypto.SessionKeys;
import io.lorafab.lorawan.frame.CfList;
import io.lorafab.lorawan.frame.DlSettings;
import io.lorafab.lorawan.frame.JoinAccept;
import io.lorafab.lorawan.frame.JoinRequest;
import io.lorafab.lorawan.frame.PhyPayload;
import io.lorafab.lorawan.frame.PhyPayloadCodec;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Hex;
import io.lorafab.lorawan.types.JoinNonce;
import io.lorafab.lorawan.types.Mic;
import io.lorafab.lorawan.types.NetId;
import io.lorafab.store.UnitStore;
import io.lorafab.store.StoreException;
import io.lorafab.store.join.JoinAudit;
import io.lorafab.store.join.JoinStore;
import io.lorafab.store.join.NewSession;
import io.lorafab.store.join.RadioEvent;
import io.lorafab.store.join.Session;
import io.lorafab.store.model.Unit;
import io.lorafab.store.model.UnitState;
import io.lorafab.store.vault.KeyVault;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * OTAA join handling in named steps: {@link #parse} → {@link #checkGatewayRate} → {@link #loadDevice} (for a
 * network server's JoinReq: only a device that allows its NetID) →
 * {@link #verifyMic} → {@link #checkDevNonce} (read-only) → {@link #checkDeviceRate} → {@link #checkOverrides}
 * (all before any state changes) → {@link #commit} (DevNonce checked again and recorded, JoinNonce advance,
 * DevAddr, session keys derived and stored wrapped, the {@code join_accepted} event — one transaction) → the
 * encrypted join-accept. Scheduling the downlink is the transport's business. Outcomes are recorded as radio
 * events with the gateway's metadata; refusals raise {@link JoinRejection} with a stable code. What is published
 * on the {@link EventBus} is exactly what was stored.
 *
 * <p>Rejection records are capped at {@link JoinServerConfig#rejectionsRecorded()} per window and key, the rest
 * counted in {@link #rejectionsNotRecorded()}. The key depends on whether the MIC had verified: an unverified
 * request may come from anyone, so it shares its gateway's allowance (per gateway and code); a verified one is the
 * device's own frame (or a replay of it), so it is capped per device and code, and frames forged through the same
 * gateway cannot crowd it out of the record.
 */
public final class JoinServer {

    private final UnitStore registry;
    private final JoinStore store;
    private final KeyVault vault;
    private final JoinServerConfig config;
    private final EventBus events;
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final RateLimiter perDevice;
    private final RateLimiter perGateway;
    private final RateLimiter recordedRejections;
    private final ConcurrentHashMap<String, LongAdder> notRecorded = new ConcurrentHashMap<>();
    private final JoinMeters meters;

    /** Without meters (an empty composite registry: every meter a no-op). */
    public JoinServer(UnitStore registry, JoinStore store, KeyVault vault, JoinServerConfig config, Clock clock, EventBus events) {
        this(registry, store, vault, config, clock, events, new CompositeMeterRegistry());
    }

    /** @param meters where joins are counted and timed ({@code lorafab_joins_total}, {@code lorafab_join_duration_seconds}) */
    public JoinServer(UnitStore registry, JoinStore store, KeyVault vault, JoinServerConfig config, Clock clock, EventBus events,
            MeterRegistry meters) {
        this.meters = new JoinMeters(meters);
        this.registry = registry;
        this.store = store;
        this.vault = vault;
        this.config = config;
        this.events = events;
        this.clock = clock;
        this.perDevice = new RateLimiter(config.joinsPerDevice(), config.rateWindow(), clock);
        this.perGateway = new RateLimiter(config.joinsPerGateway(), config.rateWindow(), clock);
        this.recordedRejections = new RateLimiter(config.rejectionsRecorded(), config.rateWindow(), clock);
    }

    /** Rejections counted but not recorded (over their cap, see the class comment), by code. */
    public Map<String, Long> rejectionsNotRecorded() {
        Map<String, Long> out = new TreeMap<>();
        notRecorded.forEach((code, n) -> out.put(code, n.sum()));
        return out;
    }

    public JoinServerConfig config() {
        return config;
    }

    public JoinStore store() {
        return store;
    }

    public EventBus events() {
        return events;
    }

    /**
     * Handles one join-request heard on air ({@code meta}) or forwarded by a network server
     * ({@code overrides}: NetID, DevAddr, DLSettings, RxDelay, CFList of its choosing).
     */
    public JoinResult handle(byte[] phyPayload, RadioMeta meta, Optional<JoinOverrides> overrides) {
        return handle(phyPayload, meta, overrides, null);
    }

    /**
     * As {@link #handle(byte[], RadioMeta, Optional)}, an accepted join also appending {@code audit} in its own
     * transaction. Waits for {@link #handleAsync}.
     */
    public JoinResult handle(byte[] phyPayload, RadioMeta meta, Optional<JoinOverrides> overrides, JoinAudit audit) {
        try {
            return handleAsync(phyPayload, meta, overrides, audit).join();
        } catch (CompletionException e) {
            throw unwrap(e);
        }
    }

    /**
     * The join steps without holding the caller's thread while the join commits: the steps up to the commit run on the
     * caller, the commit is handed to the store ({@link JoinStore#commitJoinAsync}), and the future completes once the
     * join is durable — with the result, or with the {@link JoinRejection} (recorded first, as a rejection always is) or
     * the store's fault. It never throws. What completes it runs on the one thread where the store completes every
     * committed join: callers that do more than a few microseconds of work with the result hand it to their own threads.
     */
    public CompletableFuture<JoinResult> handleAsync(byte[] phyPayload, RadioMeta meta, Optional<JoinOverrides> overrides,
            JoinAudit audit) {
        // Every join ends here, whichever transport brought it: the one place it is counted and timed. A request heard
        // on air has radio metadata; one from a network server (Backend Interfaces) has none.
        long start = System.nanoTime();
        boolean bi = meta == null;
        CompletableFuture<JoinResult> result;
        try {
            result = steps(phyPayload, meta, overrides, audit);
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.whenComplete((r, t) -> {
            RuntimeException failure = t == null ? null : unwrap(t);
            if (failure == null) {
                meters.accepted(bi, start);
            } else if (failure instanceof JoinRejection rejection) {
                meters.rejected(bi, rejection.code(), start);
            } else if (failure instanceof StoreException e) {
                meters.rejected(bi, e.code(), start);
            } else {
                meters.rejected(bi, ErrorCode.INTERNAL_ERROR, start);
            }
        });
    }

    /** The exception a join failed with, out of the future's wrapping. */
    static RuntimeException unwrap(Throwable t) {
        Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        if (c instanceof RuntimeException r) {
            return r;
        }
        if (c instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(c);
    }

    private CompletableFuture<JoinResult> steps(byte[] phyPayload, RadioMeta meta, Optional<JoinOverrides> overrides, JoinAudit audit) {
        JoinRequest jr = parse(phyPayload);
        Unit unit;
        AesKey rootKey;
        long lastJoinNonce;
        boolean micVerified = false;
        try {
            checkGatewayRate(meta);
            unit = loadDevice(jr, overrides.map(JoinOverrides::netId));
            rootKey = verifyMic(jr, unit);
            micVerified = true;
            lastJoinNonce = checkDevNonce(jr, unit);
            checkDeviceRate(jr);
            overrides.ifPresent(o -> checkOverrides(o, unit));
        } catch (JoinRejection r) {
            return rejected(jr, r, meta, micVerified);
        }
        return commit(jr, unit, rootKey, lastJoinNonce, meta, overrides, audit).exceptionallyCompose(t -> unwrap(t) instanceof JoinRejection r
                ? rejected(jr, r, meta, true) : CompletableFuture.failedFuture(unwrap(t)));
    }

    /** Completes with {@code r} once its record (if it is recorded: see the class comment) is durable and published. */
    private CompletableFuture<JoinResult> rejected(JoinRequest jr, JoinRejection r, RadioMeta meta, boolean micVerified) {
        // A secure-element unit's join-request is the evidence its end-of-line test waits for, so it is capped per
        // device (like a verified one), not per gateway, where a line of such units would soon use up the cap.
        String source = micVerified || r.code() == ErrorCode.KEYS_ON_SECURE_ELEMENT ? "device " + jr.devEui()
                : "gateway " + (meta == null ? "backend-interfaces" : meta.gatewayEui().toString());
        if (!recordedRejections.tryAcquire(source + "/" + r.code().code())) {
            notRecorded.computeIfAbsent(r.code().code(), k -> new LongAdder()).increment();
            return CompletableFuture.failedFuture(r);
        }
        return store.recordAsync(event(jr, "join_rejected", r.code().code(), meta, "{\"devNonce\":" + jr.devNonce().value() + "}"))
                .thenCompose(recorded -> {
                    publish(recorded);
                    return CompletableFuture.failedFuture(r);
                });
    }

    /** Step 1: the bytes must be a join-request. */
    JoinRequest parse(byte[] phyPayload) {
        PhyPayload p;
        try {
            p = PhyPayloadCodec.decode(phyPayload);
        } catch (LorawanFormatException e) {
            throw new JoinRejection(ErrorCode.MALFORMED, e.getMessage());
        }
        if (!(p instanceof JoinRequest jr)) {
            throw new JoinRejection(ErrorCode.MALFORMED, "not a join-request: " + p.mType().displayName());
        }
        return jr;
    }

    /**
     * Step 3: a unit with this DevEUI and JoinEUI that is not void and, for a network server's JoinReq
     * ({@code netId} present), that allows that NetID ({@link UnitStore#allowedNetIds}). The NetID is checked before
     * anything else about the device can show (its JoinEUI, that it is void) and before the MIC, so a network server
     * that may not join a device learns no more than for a DevEUI that does not exist: the same code path, the
     * same two reads.
     */
    Unit loadDevice(JoinRequest jr, Optional<NetId> netId) {
        Optional<Unit> found = registry.unit(jr.devEui());
        if (netId.isPresent()) {
            boolean allowed = registry.allowedNetIds(jr.devEui()).allows(netId.get());
            if (found.isPresent() && !allowed) {
                throw new JoinRejection(ErrorCode.NET_ID_NOT_ALLOWED, "device " + jr.devEui() + " may not be joined by NetID " + netId.get());
            }
        }
        Unit u = found.orElseThrow(() -> new JoinRejection(ErrorCode.UNKNOWN_DEVICE, "no device " + jr.devEui()));
        if (!u.joinEui().equals(jr.joinEui())) {
            throw new JoinRejection(ErrorCode.UNKNOWN_DEVICE, "device " + jr.devEui() + " has JoinEUI " + u.joinEui()
                    + ", not " + jr.joinEui());
        }
        if (u.state() == UnitState.VOID) {
            throw new JoinRejection(ErrorCode.DEVICE_DISABLED, "device " + jr.devEui() + " is void");
        }
        if (u.keysHeldBySecureElement()) {
            // No key here to check the MIC with or to derive a session from: the device's own join server answers it.
            // Refused before any nonce is read, so the join-request is only heard (and recorded as such).
            throw new JoinRejection(ErrorCode.KEYS_ON_SECURE_ELEMENT, "device " + jr.devEui() + " has its keys in its secure "
                    + "element; its join server is " + u.secureElement().joinServer());
        }
        return u;
    }

    /** Step 2: join-requests per gateway within the configured window, counted before the MIC (flood protection). */
    void checkGatewayRate(RadioMeta meta) {
        if (meta != null && !perGateway.tryAcquire(meta.gatewayEui())) {
            throw new JoinRejection(ErrorCode.JOIN_RATE_LIMITED, "too many join attempts through gateway " + meta.gatewayEui());
        }
    }

    /**
     * Step 5, read-only: a DevNonce the device may not use again is refused here, before
     * {@link #checkDeviceRate} counts the request, so that replaying a captured join-request cannot use up the
     * device's allowance and lock the real device out. {@link #commit} checks again atomically.
     *
     * @return the device's last JoinNonce, read at the same time
     */
    long checkDevNonce(JoinRequest jr, Unit unit) {
        try {
            return store.checkDevNonce(jr.devEui(), unit.macVersion(), jr.devNonce());
        } catch (StoreException e) {
            throw rejection(e);
        }
    }

    /**
     * Step 6: join attempts per device within the configured window, counting only requests whose MIC verified and
     * whose DevNonce is usable, so neither frames forged with the DevEUI of a real device nor replays of its own
     * frames can lock it out.
     */
    void checkDeviceRate(JoinRequest jr) {
        if (!perDevice.tryAcquire(jr.devEui())) {
            throw new JoinRejection(ErrorCode.JOIN_RATE_LIMITED, "too many join attempts from " + jr.devEui());
        }
    }

    /**
     * Step 7 (Backend Interfaces): what the network server asked for must fit the device — its MACVersion in the
     * same family (1.0.x or 1.1) and OptNeg only for 1.1 — so that a refusal changes nothing.
     */
    void checkOverrides(JoinOverrides o, Unit unit) {
        if (o.macVersion() != null && o.macVersion().is11() != unit.macVersion().is11()) {
            throw new JoinRejection(ErrorCode.MAC_VERSION_MISMATCH, "the network server says LoRaWAN " + o.macVersion().text()
                    + ", device " + unit.devEui() + " is LoRaWAN " + unit.macVersion().text());
        }
        if (o.dlSettings().optNeg() && !unit.macVersion().is11()) {
            throw new JoinRejection(ErrorCode.OPT_NEG_MISMATCH, "DLSettings has OptNeg set, but device " + unit.devEui() + " is LoRaWAN "
                    + unit.macVersion().text());
        }
    }

    /** Step 4: the MIC under the device's root key (NwkKey for 1.1, AppKey for 1.0.x), before any state changes. */
    AesKey verifyMic(JoinRequest jr, Unit unit) {
        AesKey root = unit.macVersion().is11() ? vault.unwrapNwkKey(unit.keys()) : vault.unwrapAppKey(unit.keys());
        Mic expected = JoinMic.joinRequestMic(root, jr.micPayload());
        if (!io.lorafab.lorawan.types.Bytes.constantTimeEquals(expected.toBytes(), jr.mic().toBytes())) {
            throw new JoinRejection(ErrorCode.MIC_MISMATCH, "join-request MIC does not verify for " + jr.devEui());
        }
        return root;
    }

    /**
     * Steps 8-10: nonces, DevAddr, session keys — committed atomically; the join-accept is made once the commit is
     * durable, from what was granted, so none exists for a join the store did not keep.
     *
     * <p>The session keys depend on the JoinNonce but not on the DevAddr, so they are derived and wrapped here, on the
     * caller's thread, for the JoinNonce the commit will almost always grant: the one after {@code lastJoinNonce}, read
     * by {@link #checkDevNonce}. The store's callback only hands them over, and derives them itself in the rare case
     * that another join of the same device was granted in between: the store's commit thread, which every join waits
     * for, then does no cryptography in the usual case (with the KEK in an HSM, wrapping four keys is forty-eight calls
     * into the token).
     */
    CompletableFuture<JoinResult> commit(JoinRequest jr, Unit unit, AesKey root, long lastJoinNonce, RadioMeta meta,
            Optional<JoinOverrides> overrides, JoinAudit audit) {
        Region region = unit.joinRegion();
        boolean v11 = unit.macVersion().is11();
        // for 1.0.x the root key the MIC was verified with is the AppKey: not unwrapped twice (with the KEK in an HSM, each
        // unwrap is twelve calls into the token)
        AesKey appKey = v11 ? vault.unwrapAppKey(unit.keys()) : root;
        NetId netId = overrides.map(JoinOverrides::netId).orElse(config.netId());
        DlSettings dl = overrides.map(JoinOverrides::dlSettings)
                .orElse(new DlSettings(v11, config.rx1DrOffset(), region.rx2DataRate()));
        int rxDelay = overrides.map(JoinOverrides::rxDelay).orElse(config.rxDelaySeconds());
        Optional<CfList> cfList = overrides.isPresent() ? overrides.get().cfList()
                : config.sendCfList() ? region.defaultCfList() : Optional.empty();
        String asId = overrides.map(JoinOverrides::asId).orElse(null);
        String sessionKeyId = sessionKeyId();
        java.util.function.Function<JoinNonce, SessionKeys> keysFor = joinNonce -> SessionKeys.forJoin(unit.macVersion(),
                dl.optNeg(), v11 ? root : null, appKey, joinNonce, netId, jr.joinEui(), jr.devNonce());
        java.util.function.Function<JoinNonce, Derived> derive = joinNonce -> {
            SessionKeys sk = keysFor.apply(joinNonce);
            KeyVault.WrappedSet w = vault.wrapAll(sk.fNwkSIntKey(), sk.sNwkSIntKey(), sk.nwkSEncKey(), sk.appSKey());
            return new Derived(joinNonce, sk, new NewSession(sessionKeyId, w.kekLabel(), w.wrapped().get(0), w.wrapped().get(1),
                    w.wrapped().get(2), w.wrapped().get(3), sk.lorawan11(), asId));
        };
        Derived ahead = lastJoinNonce < JoinNonce.MAX ? derive.apply(JoinNonce.of((int) lastJoinNonce + 1)) : null;
        return store.commitJoinAsync(jr.devEui(), unit.macVersion(), jr.devNonce(), netId, overrides.map(JoinOverrides::devAddr).orElse(null),
                grant -> ahead != null && ahead.joinNonce().equals(grant.joinNonce()) ? ahead.session()
                        : derive.apply(grant.joinNonce()).session(),
                grant -> event(jr, "join_accepted", null, meta, "{\"devNonce\":" + jr.devNonce().value() + ",\"devAddr\":\""
                        + grant.devAddr() + "\",\"joinNonce\":" + grant.joinNonce().value() + radioDetails(meta) + "}"), audit)
                .handle((committed, failure) -> {
                    if (failure != null) {
                        RuntimeException e = unwrap(failure);
                        throw e instanceof StoreException se ? rejection(se) : e;
                    }
                    Session session = committed.session();
                    JoinNonce granted = JoinNonce.of(session.joinNonce());
                    // the keys derived ahead if the grant was the one expected; derived again (no wrap) otherwise
                    SessionKeys keys = ahead != null && ahead.joinNonce().equals(granted) ? ahead.keys() : keysFor.apply(granted);
                    JoinAccept accept = new JoinAccept(granted, netId, session.devAddr(), dl, rxDelay, cfList, new Mic(0));
                    accept = accept.withMic(JoinMic.joinAcceptMic(unit.macVersion(), root, jr.devEui(), jr.joinEui(),
                            JoinMic.JOIN_REQ_TYPE_JOIN, jr.devNonce().value(), accept));
                    byte[] phy = JoinAcceptCipher.encryptJoinAccept(root, accept).encode();
                    publish(committed.event());
                    return new JoinResult(jr, unit, region, accept, phy, session, keys);
                });
    }

    /** Session keys derived for a JoinNonce, and the session to store them in (wrapped). */
    private record Derived(JoinNonce joinNonce, SessionKeys keys, NewSession session) {
    }

    /** The store's refusals that are the device's (nonce rules) become rejections; anything else is a fault. */
    private static RuntimeException rejection(StoreException e) {
        return isDeviceRefusal(e.code()) ? new JoinRejection(e.code(), e.getMessage()) : e;
    }

    /**
     * Whether a store refusal met while joining is the device's doing (answered as a rejection, recorded as a
     * {@code join_rejected} event and rate-limited as one) rather than a fault of this server. A switch without
     * {@code default}: a new code does not compile until it is decided here.
     */
    static boolean isDeviceRefusal(ErrorCode code) {
        return switch (code) {
            case DEV_NONCE_REUSED, DEV_NONCE_TOO_SMALL, JOIN_NONCE_EXHAUSTED -> true;
            // the join server raises these itself as rejections; from the store they would be a fault
            case MALFORMED, UNKNOWN_DEVICE, NET_ID_NOT_ALLOWED, DEVICE_DISABLED, MIC_MISMATCH, JOIN_RATE_LIMITED,
                    MAC_VERSION_MISMATCH, OPT_NEG_MISMATCH, KEYS_ON_SECURE_ELEMENT -> false;
            case DEV_ADDR_EXHAUSTED, KEK_UNKNOWN, KEY_UNWRAP_FAILED, KEK_MISMATCH, KEK_NOT_ROTATABLE, KEY_FILE_NOT_PRIVATE, HSM_UNAVAILABLE,
                    BUSY, DATABASE_ERROR, DATABASE_UNAVAILABLE, REGISTRY_MISSING, SCHEMA_TOO_NEW, MIGRATION_CHECKSUM, MIGRATION_INVALID, MIGRATION_FAILED, SCHEMA_NOT_EMPTY,
                    UNSUPPORTED_DATABASE, INTERNAL_ERROR, APPEND_ONLY, CONSTRAINT_VIOLATION, DUPLICATE, NOT_FOUND -> false;
            case INVALID_INPUT, BAD_JSON, BAD_QUERY, MALFORMED_REQUEST, INVALID_CSV, MANIFEST_REFUSED, EXPORT_REFUSED, UNAUTHENTICATED, FORBIDDEN,
                    TOKEN_NOT_SCOPED, METHOD_NOT_ALLOWED, PAYLOAD_TOO_LARGE, URI_TOO_LONG, HEADERS_TOO_LARGE, REQUEST_TIMEOUT, BAD_REQUEST, INVALID_QUANTITY,
                    JOIN_EUI_IS_DEV_EUI, EUI_BLOCK_OVERLAP, EUI_BLOCK_EXHAUSTED, EUI_OUT_OF_RANGE, LABEL_MISMATCH, WORK_ORDER_FULL,
                    WORK_ORDER_CLOSED, ILLEGAL_TRANSITION, RESERVED_BY_OTHER_STATION, RETEST_REQUIRED, UNIT_PASSED, UNIT_FAILED,
                    UNIT_VOID, NO_PRODUCT, NOTHING_TO_EXPORT, NOTHING_TO_PRINT, UNREACHABLE, TLS_FAILED, INTERRUPTED,
                    BAD_RESPONSE, UNKNOWN_ERROR -> false;
        };
    }

    /**
     * 16 bytes laid out as a ULID is: the time in milliseconds in the first 6 (big-endian), 80 random bits after. The
     * random part keeps the id unguessable; the time in front makes ids made together sort together, so that the
     * session table's unique index on it takes each batch's ids on one or two pages instead of one page per join
     * (wholly random ids were a page of WAL per join for the join commit thread to write, docs/BENCHMARKS.md).
     */
    private String sessionKeyId() {
        byte[] b = new byte[16];
        random.nextBytes(b);
        long ms = clock.millis();
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (ms >>> (8 * (5 - i)));
        }
        return Hex.format(b);
    }

    private static RadioEvent event(JoinRequest jr, String kind, String code, RadioMeta m, String details) {
        return RadioEvent.of(jr.devEui(), kind, code, m == null ? null : m.gatewayEui(), m == null ? null : m.rssi(),
                m == null ? null : m.snr(), m == null ? null : m.frequencyHz(), m == null ? null : m.datr(), details);
    }

    private static String radioDetails(RadioMeta m) {
        return m == null ? "" : ",\"gateways\":" + m.gateways() + ",\"tmst\":" + m.tmst();
    }

    private void publish(RadioEvent e) {
        if (events != null && e != null) {
            events.publish(e);
        }
    }
}
