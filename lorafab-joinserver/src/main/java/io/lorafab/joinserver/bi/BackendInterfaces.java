package io.lorafab.joinserver.bi;

import io.lorafab.api.ErrorCode;
import io.lorafab.joinserver.JoinOverrides;
import io.lorafab.joinserver.JoinRejection;
import io.lorafab.joinserver.JoinResult;
import io.lorafab.joinserver.JoinServer;
import io.lorafab.joinserver.ThrottledAudit;
import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.frame.CfList;
import io.lorafab.lorawan.frame.JoinRequest;
import io.lorafab.lorawan.frame.PhyPayloadCodec;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.NetId;
import io.lorafab.store.AuditLog;
import io.lorafab.store.StoreException;
import io.lorafab.store.join.JoinAudit;
import io.lorafab.store.join.JoinStore;
import io.lorafab.store.join.Session;
import io.lorafab.store.vault.KeyVault;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The Join Server's side of the LoRaWAN Backend Interfaces, for network and application servers: it takes
 * JoinReq (→ JoinAns) and AppSKeyReq (→ AppSKeyAns). Every caller speaks for one {@link BiIdentity} named by its
 * {@code network-server} token: a network server's NetID or an application server's AS-ID ({@code as:<AS-ID>});
 * a token that names neither is refused (HTTP 403), and a message whose SenderID is not that identity gets
 * UnknownSender.
 *
 * <p>A JoinReq is checked in this order, every refusal before the join changes any state: the token (by
 * the API server) → SenderID is the token's NetID → session keys can be sent to that NetID (an export KEK, or
 * plain keys explicitly allowed for it) → the device allows that NetID ({@link io.lorafab.store.Registry#allowedNetIds})
 * → the MIC → DevNonce and JoinNonce. The KEK is checked with the caller, before the device: it depends on the
 * caller alone, so the answer tells nothing about any device, no root key is unwrapped for a join that could not
 * be answered, and no DevNonce or JoinNonce is spent on it (a 1.0.4 or 1.1 device could not repeat that DevNonce).
 *
 * <p>A session records the NetID it was issued to and the application server configured for that NetID;
 * AppSKeyReq is answered only to that network server or that application server. Keys are wrapped under the export
 * KEK of the authenticated identity, never of anything the message names: for a network server the KEK labelled
 * with its NetID (the AppSKey under {@code <NetID>-as}, else the NetID's), for an application server the KEK
 * labelled with its AS-ID; in the clear only for an identity listed in {@link Settings#plainKeys()}. Answers carry
 * the result in Result.ResultCode, as the specification has it; only a body that is not a Backend Interfaces message
 * at all is refused without one ({@link Answer.Refused}). Transports (the HTTP API) only carry bytes to and from
 * {@link #answer}. Every answer is audited with the caller: successes always
 * ({@code bi.join}, {@code bi.app_s_key}), refusals ({@code bi.join_refused}, {@code bi.app_s_key_refused},
 * {@code bi.refused}) at most {@value #AUDITED_REFUSALS_PER_MINUTE} a minute per caller and result code.
 */
public final class BackendInterfaces {

    /**
     * @param sessionLifetime the Lifetime reported in JoinAns (zero: no expiry, as the specification allows)
     * @param applicationServers the AS-ID authorised for the sessions issued to each NetID
     */
    public record Settings(Duration sessionLifetime, Map<NetId, String> applicationServers, Set<BiIdentity> plainKeys) {
        public Settings {
            applicationServers = Map.copyOf(applicationServers);
            plainKeys = Set.copyOf(plainKeys);
        }

        /** Keys wrapped for every caller: none is allowed plain keys. */
        public Settings(Duration sessionLifetime, Map<NetId, String> applicationServers) {
            this(sessionLifetime, applicationServers, Set.of());
        }

        public static Settings defaults() {
            return new Settings(Duration.ZERO, Map.of(), Set.of());
        }
    }

    /** How many refusals are audited a minute per caller and result code. */
    public static final int AUDITED_REFUSALS_PER_MINUTE = 10;
    private static final System.Logger LOG = System.getLogger(BackendInterfaces.class.getName());

    private final JoinHandling joins;
    private final JoinStore sessions;
    private final KeyVault vault;
    private final AuditLog audit;
    private final ExportKekSource keks;
    private final Settings settings;
    private final ThrottledAudit refusals;

    /**
     * @param sessions where AppSKeyReq finds the sessions the join server issued
     * @param vault what unwraps a session's stored AppSKey
     * @param clock the clock of the refusal audit's budget
     */
    public BackendInterfaces(JoinServer joinServer, JoinStore sessions, KeyVault vault, AuditLog audit, ExportKekSource keks,
            Settings settings, Clock clock) {
        this(JoinHandling.blocking(joinServer), sessions, vault, audit, keks, settings, clock);
    }

    /** @param joins how a JoinReq's join-request is handled: on the calling thread, or completed later by the join server */
    public BackendInterfaces(JoinHandling joins, JoinStore sessions, KeyVault vault, AuditLog audit, ExportKekSource keks,
            Settings settings, Clock clock) {
        this.joins = joins;
        this.sessions = sessions;
        this.vault = vault;
        this.audit = audit;
        this.keks = keks;
        this.settings = settings;
        this.refusals = new ThrottledAudit(audit, AUDITED_REFUSALS_PER_MINUTE, clock,
                n -> "; " + n + " more like it were not audited since the one before");
    }

    /**
     * What a caller gets for a request: a Backend Interfaces answer (HTTP 200, the result inside), or a refusal
     * before any message is read (the token speaks for no one, or the body is no Backend Interfaces message).
     */
    public sealed interface Answer {
        /** A Backend Interfaces answer, a success or a refusal in its Result. */
        record Message(BiMessage message) implements Answer {
        }

        /** No Backend Interfaces answer can be given; {@code code} carries the HTTP status. */
        record Refused(ErrorCode code, String message) implements Answer {
        }
    }

    /** The identity a token speaks for, named by its name; the id and name only say who was refused. */
    public record Token(long id, String name) {
    }

    /** Answers the body of a request sent with {@code token}, auditing it; on this thread, waiting for a join's commit. */
    public Answer answer(byte[] body, Token token) {
        return waitFor(answerAsync(body, token));
    }

    /**
     * Answers the body of a request sent with {@code token}, auditing it: complete at once, except for a JoinReq that
     * reaches the join, whose answer completes when {@link JoinHandling} completes the join. A fault that is no
     * Backend Interfaces result (a bug, a broken invariant) fails the future.
     */
    public CompletableFuture<Answer> answerAsync(byte[] body, Token token) {
        Optional<BiIdentity> identity = BiIdentity.of(token.name());
        if (identity.isEmpty()) {
            refusals.audit("token:" + token.id() + "/token_not_scoped", "token:" + token.id() + ":" + token.name(),
                    "bi.refused", "-", "result=HTTP 403 reason=token_not_scoped");
            return CompletableFuture.completedFuture(new Answer.Refused(ErrorCode.TOKEN_NOT_SCOPED, "token '" + token.name()
                    + "' speaks for no NetID or AS-ID; " + BiIdentity.HOW));
        }
        return answerAsync(body, identity.get());
    }

    /** Answers the body of a request from {@code caller}, auditing it; on this thread, waiting for a join's commit. */
    public Answer answer(byte[] body, BiIdentity caller) {
        return waitFor(answerAsync(body, caller));
    }

    /** The answer once complete; a failure is rethrown as it was thrown, not wrapped. */
    private static Answer waitFor(CompletableFuture<Answer> answer) {
        try {
            return answer.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    /** Answers the body of a request from {@code caller}, auditing it; see {@link #answerAsync(byte[], Token)}. */
    public CompletableFuture<Answer> answerAsync(byte[] body, BiIdentity caller) {
        BiMessage msg;
        try {
            msg = BiCodec.parse(body);
        } catch (BiFormatException e) {
            if (e.answer().isPresent()) {
                BiMessage answer = e.answer().get();
                auditRefusal(caller, "bi.refused", "-", e.header().orElseThrow().messageType().toString(), answer instanceof JoinAns a
                        ? a.result().code() : e.resultCode(), "malformed: " + e.getMessage());
                return CompletableFuture.completedFuture(new Answer.Message(answer));
            }
            auditRefusal(caller, "bi.refused", "-", "?", BiResultCode.MALFORMED_REQUEST, "not a Backend Interfaces message");
            // a body that is not JSON at all gets the API's bad_json, as on every other route; JSON that is no BI message does not
            return CompletableFuture.completedFuture(new Answer.Refused(
                    e.getCause() instanceof com.fasterxml.jackson.core.JsonProcessingException ? ErrorCode.BAD_JSON
                            : ErrorCode.MALFORMED_REQUEST, e.getMessage()));
        }
        BiMessage answer;
        if (msg instanceof JoinReq req) {
            return join(req, caller).thenApply(Answer.Message::new);
        } else if (msg instanceof AppSKeyReq req) {
            answer = appSKey(req, caller);
        } else {
            auditRefusal(caller, "bi.refused", "-", msg.header().messageType().toString(), BiResultCode.MALFORMED_REQUEST,
                    "not a request a Join Server answers");
            answer = ErrorAnswer.answering(msg.header(), BiResultCode.MALFORMED_REQUEST,
                    "a Join Server answers JoinReq and AppSKeyReq, not " + msg.header().messageType());
        }
        return CompletableFuture.completedFuture(new Answer.Message(answer));
    }

    /** A JoinAns refusing {@code req}, audited (throttled) with the internal {@code reason}, which may say more than the answer. */
    private JoinAns refuse(JoinReq req, BiIdentity caller, BiResultCode code, String description, String reason) {
        auditRefusal(caller, "bi.join_refused", req.devEui().toString(), "JoinReq", code, reason);
        return JoinAns.failure(req, code, description);
    }

    private AppSKeyAns refuse(AppSKeyReq req, BiIdentity caller, BiResultCode code, String description, String reason) {
        auditRefusal(caller, "bi.app_s_key_refused", req.devEui().toString(), "AppSKeyReq", code, reason);
        return AppSKeyAns.failure(req, code, description);
    }

    private void auditRefusal(BiIdentity caller, String action, String devEui, String messageType, BiResultCode code, String reason) {
        refusals.audit(caller.actor() + "/" + action + "/" + code.wire(), caller.actor(), action, devEui,
                identityDetail(caller) + " message=" + messageType + " result=" + code.wire() + " reason=" + reason);
    }

    private static String identityDetail(BiIdentity caller) {
        return caller.isNetworkServer() ? "net_id=" + caller.netId() : "as_id=" + caller.asId();
    }

    /** The JoinAns to {@code req}: a refusal before the join at once, else when the join completes. */
    private CompletableFuture<BiMessage> join(JoinReq req, BiIdentity caller) {
        if (!caller.isNetworkServer()) {
            return done(refuse(req, caller, BiResultCode.UNKNOWN_SENDER, "this token speaks for " + caller + ", which sends no JoinReq",
                    "application_server_join"));
        }
        if (!caller.netId().equals(req.netId())) {
            return done(refuse(req, caller, BiResultCode.UNKNOWN_SENDER, "this token speaks for NetID " + caller.netId(),
                    "sender_id_mismatch: " + req.header().senderId()));
        }
        Keks keks;
        try {
            keks = keksForNetworkServer(caller);
        } catch (NoKek e) {
            return done(refuse(req, caller, BiResultCode.OTHER, e.getMessage(), e.reason));
        }
        JoinRequest jr;
        try {
            jr = (JoinRequest) PhyPayloadCodec.decode(req.phyPayload().bytes());
        } catch (LorawanFormatException | ClassCastException e) {
            return done(refuse(req, caller, BiResultCode.MALFORMED_REQUEST, "PHYPayload is not a join-request", "malformed"));
        }
        if (!jr.devEui().equals(req.devEui()) || !jr.joinEui().equals(req.joinEui())) {
            return done(refuse(req, caller, BiResultCode.MALFORMED_REQUEST, "DevEUI/ReceiverID do not match the PHYPayload", "malformed"));
        }
        if (req.dlSettings().optNeg() && !req.macVersion().is11()) {
            return done(refuse(req, caller, BiResultCode.MALFORMED_REQUEST, "DLSettings has OptNeg set for MACVersion "
                    + req.macVersion().text(), "malformed"));
        }
        Optional<CfList> cfList;
        try {
            cfList = req.cfList().map(c -> CfList.decode(c.bytes(), 0));
        } catch (LorawanFormatException e) {
            return done(refuse(req, caller, BiResultCode.MALFORMED_REQUEST, "CFList: " + e.getMessage(), "malformed"));
        }
        // Whether the device allows this NetID is checked inside, before the MIC; its MACVersion and OptNeg after
        // the MIC; all before any state changes.
        // The audit record of the keys handed out is committed with the join itself: never one without the other.
        JoinAudit audit = new JoinAudit(caller.actor(), "bi.join", session -> identityDetail(caller) + " result=Success session="
                + session.sessionKeyId() + " keys=" + shown(keks.network()) + " app_s_key=" + shown(keks.application()));
        CompletableFuture<JoinResult> joined;
        try {
            joined = joins.handle(req.phyPayload().bytes(), Optional.of(new JoinOverrides(caller.netId(), req.devAddr(),
                    req.dlSettings(), req.rxDelay(), cfList, req.macVersion(), settings.applicationServers().get(caller.netId()))), audit);
        } catch (RuntimeException e) {
            joined = CompletableFuture.failedFuture(e); // refused before its future was made: answered the same way
        }
        return joined.handle((res, failure) -> failure == null ? accepted(req, res, keks) : refused(req, caller, failure));
    }

    private JoinAns accepted(JoinReq req, JoinResult res, Keks keks) {
        return JoinAns.success(req, HexBytes.of(res.phyPayload()), NetworkKeys.wrap(res.keys(), keks.network()),
                Optional.of(KeyEnvelope.wrap(res.keys().appSKey(), keks.application())),
                Optional.of(HexBytes.parse(res.session().sessionKeyId(), "SessionKeyID")),
                Optional.of(settings.sessionLifetime().toSeconds()));
    }

    /** The JoinAns for a join that failed with {@code failure}; what is no refusal of this join is rethrown. */
    private JoinAns refused(JoinReq req, BiIdentity caller, Throwable failure) {
        Throwable e = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (e instanceof JoinRejection r) {
            BiResultCode code = BiErrors.resultCode(r.code());
            // An unknown DevEUI and a device this NetID may not join get the same answer, word for word, so that a
            // network server cannot find out which DevEUIs exist here.
            String description = code == BiResultCode.UNKNOWN_DEV_EUI
                    ? "no device " + req.devEui() + " is served to NetID " + caller.netId() + " by this join server"
                    : r.code() + ": " + r.getMessage();
            return refuse(req, caller, code, description, r.code().code());
        }
        if (e instanceof StoreException s) {
            // what the store or the key vault refused (no free DevAddr, a key that does not unwrap, a database fault)
            // is answered in the JoinAns too: the network server gets a ResultCode, not an HTTP error
            return refuse(req, caller, BiErrors.resultCode(s.code()), description(s), s.code().code());
        }
        if (e instanceof RuntimeException r) {
            throw r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        throw new CompletionException(e);
    }

    private static CompletableFuture<BiMessage> done(BiMessage answer) {
        return CompletableFuture.completedFuture(answer);
    }

    private BiMessage appSKey(AppSKeyReq req, BiIdentity caller) {
        boolean senderIsCaller = caller.isNetworkServer()
                ? req.header().senderId().equalsIgnoreCase(caller.netId().toString())
                : req.header().senderId().equals(caller.asId());
        if (!senderIsCaller) {
            return refuse(req, caller, BiResultCode.UNKNOWN_SENDER, "this token speaks for " + caller
                    + ", not for SenderID " + req.header().senderId(), "sender_id_mismatch: " + req.header().senderId());
        }
        Optional<KeyEnvelope.Kek> kek;
        try {
            kek = kekForAppSKey(caller);
        } catch (NoKek e) {
            return refuse(req, caller, BiResultCode.OTHER, e.getMessage(), e.reason);
        }
        try {
            Optional<Session> s = sessions.sessionByKeyId(req.sessionKeyId().toHex())
                    .filter(x -> x.devEui().equals(req.devEui()))
                    .filter(x -> caller.isNetworkServer() ? caller.netId().equals(x.netId()) : caller.asId().equals(x.asId()));
            if (s.isEmpty()) {
                // The same answer whether the session does not exist or belongs to someone else.
                return refuse(req, caller, BiResultCode.UNKNOWN_DEV_EUI, "no session " + req.sessionKeyId() + " for " + req.devEui(),
                        "unknown_session");
            }
            AesKey appSKey = vault.unwrapKey(s.get().kekLabel(), s.get().appSKey());
            audit.audit(caller.actor(), "bi.app_s_key", req.devEui().toString(), identityDetail(caller)
                    + " result=Success session=" + req.sessionKeyId() + " keys=" + shown(kek));
            return AppSKeyAns.success(req, KeyEnvelope.wrap(appSKey, kek));
        } catch (StoreException e) {
            return refuse(req, caller, BiErrors.resultCode(e.code()), description(e), e.code().code());
        }
    }

    /**
     * The Description of an answer refusing for {@code e}: the message where the request was at fault; for a fault of
     * the join server only the code's fixed text, as the message may name its key labels or database (the operator
     * gets it in the log).
     */
    private static String description(StoreException e) {
        if (BiErrors.isServerFault(e.code())) {
            LOG.log(System.Logger.Level.ERROR, "Backend Interfaces: request refused by a fault of this server: " + e.code() + ": "
                    + e.getMessage());
            return e.code() + ": " + e.code().text();
        }
        return e.code() + ": " + e.getMessage();
    }

    /** The KEKs for the session keys of a JoinAns to a network server; an empty one means plain keys, allowed for it. */
    private record Keks(Optional<KeyEnvelope.Kek> network, Optional<KeyEnvelope.Kek> application) {
    }

    /** Why keys cannot be sent to a caller: the message is the Description it gets, {@code reason} what is audited. */
    private static final class NoKek extends Exception {
        private static final long serialVersionUID = 1L;
        final String reason;

        NoKek(String description, String reason) {
            super(description, null, false, false);
            this.reason = reason;
        }
    }

    private Keks keksForNetworkServer(BiIdentity caller) throws NoKek {
        Optional<KeyEnvelope.Kek> ns = kek(caller.netId().toString());
        if (ns.isEmpty() && !settings.plainKeys().contains(caller)) {
            throw noKek(caller);
        }
        Optional<KeyEnvelope.Kek> as = kek(caller.netId() + "-as");
        return new Keks(ns, as.isPresent() ? as : ns);
    }

    private Optional<KeyEnvelope.Kek> kekForAppSKey(BiIdentity caller) throws NoKek {
        Optional<KeyEnvelope.Kek> k = caller.isNetworkServer() ? kek(caller.netId() + "-as") : kek(caller.asId());
        if (k.isEmpty() && caller.isNetworkServer()) {
            k = kek(caller.netId().toString());
        }
        if (k.isEmpty() && !settings.plainKeys().contains(caller)) {
            throw noKek(caller);
        }
        return k;
    }

    private NoKek noKek(BiIdentity caller) {
        String label = caller.isNetworkServer() ? caller.netId().toString() : caller.asId();
        String who = caller.isNetworkServer() ? "NetID " + label : "application server " + label;
        return new NoKek("no export KEK for " + who + ": " + keks.howToAllow(caller), "no_export_kek");
    }

    /**
     * The export KEK of this label, if one is configured. A KEK store that cannot be read (a key file open to others,
     * a malformed line) is not taken for "no KEK": the caller is refused, the operator told in the log.
     */
    private Optional<KeyEnvelope.Kek> kek(String label) throws NoKek {
        try {
            return keks.byLabel(label);
        } catch (StoreException e) {
            throw unusable(e.code().code(), e.getMessage());
        } catch (LorawanFormatException e) {
            throw unusable("malformed", e.getMessage());
        }
    }

    /** The caller gets no path or line of lorafab's key files; the operator gets them in the log. */
    private static NoKek unusable(String code, String message) {
        LOG.log(System.Logger.Level.ERROR, "Backend Interfaces: export KEKs unusable, keys sent to no one: " + message);
        return new NoKek("the join server's export KEKs cannot be read; its operator must fix them (see its log)",
                "export_keks_unusable: " + code);
    }

    private static String shown(Optional<KeyEnvelope.Kek> kek) {
        return kek.map(k -> "wrapped:" + k.label()).orElse("clear");
    }
}
