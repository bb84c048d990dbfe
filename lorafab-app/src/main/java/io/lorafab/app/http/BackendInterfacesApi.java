package io.lorafab.app.http;

import io.lorafab.app.wiring.BiIdentity;
import io.lorafab.app.wiring.ExportKeks;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.joinserver.JoinOverrides;
import io.lorafab.joinserver.JoinRejection;
import io.lorafab.joinserver.JoinResult;
import io.lorafab.joinserver.JoinServer;
import io.lorafab.joinserver.bi.AppSKeyAns;
import io.lorafab.joinserver.bi.AppSKeyReq;
import io.lorafab.joinserver.bi.BiCodec;
import io.lorafab.joinserver.bi.BiFormatException;
import io.lorafab.joinserver.bi.BiMessage;
import io.lorafab.joinserver.bi.BiResultCode;
import io.lorafab.joinserver.bi.ErrorAnswer;
import io.lorafab.joinserver.bi.HexBytes;
import io.lorafab.joinserver.bi.JoinAns;
import io.lorafab.joinserver.bi.JoinReq;
import io.lorafab.joinserver.bi.KeyEnvelope;
import io.lorafab.joinserver.bi.NetworkKeys;
import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.frame.CfList;
import io.lorafab.lorawan.frame.JoinRequest;
import io.lorafab.lorawan.frame.PhyPayloadCodec;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.NetId;
import io.lorafab.store.StoreException;
import io.lorafab.store.join.Session;
import io.lorafab.store.model.Role;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * LoRaWAN Backend Interfaces for network and application servers: {@code POST /api/backend-interfaces} takes
 * JoinReq (→ JoinAns) and AppSKeyReq (→ AppSKeyAns). Every caller speaks for one {@link BiIdentity} named by its
 * {@code network-server} token: a network server's NetID or an application server's AS-ID ({@code as:<AS-ID>});
 * a token that names neither is refused (HTTP 403), and a message whose SenderID is not that identity gets
 * UnknownSender. A session records the NetID it was issued to and the application server configured for that
 * NetID; AppSKeyReq is answered only to that network server or that application server. Keys are wrapped under
 * the export KEK of the authenticated identity, never of anything the message names: for a network server the
 * KEK labelled with its NetID (the AppSKey under {@code <NetID>-as}, else the NetID's), for an application
 * server the KEK labelled with its AS-ID; in the clear when no such KEK is configured. Answers are HTTP 200 with
 * the result in Result.ResultCode, as the specification has it; only a body that is not a Backend Interfaces
 * message at all gets HTTP 400. Every refusal of a JoinReq happens before the join changes any state.
 */
public final class BackendInterfacesApi {

    /**
     * @param sessionLifetime the Lifetime reported in JoinAns (zero: no expiry, as the specification allows)
     * @param applicationServers the AS-ID authorised for the sessions issued to each NetID
     */
    public record Settings(Duration sessionLifetime, Map<NetId, String> applicationServers) {
        public static Settings defaults() {
            return new Settings(Duration.ZERO, Map.of());
        }
    }

    private final Lorafab lf;
    private final JoinServer joinServer;
    private final Settings settings;

    public BackendInterfacesApi(Lorafab lf, JoinServer joinServer) {
        this(lf, joinServer, Settings.defaults());
    }

    public BackendInterfacesApi(Lorafab lf, JoinServer joinServer, Settings settings) {
        this.lf = lf;
        this.joinServer = joinServer;
        this.settings = settings;
    }

    public void register(ApiServer s) {
        s.route("POST", "/api/backend-interfaces", Role.NETWORK_SERVER, this::handle);
    }

    private HttpResponse handle(HttpRequest r) {
        BiIdentity caller = BiIdentity.of(r.token().name()).orElseThrow(() -> new ApiException(403, "token_not_scoped",
                "token '" + r.token().name() + "' speaks for no NetID or AS-ID; " + BiIdentity.HOW));
        BiMessage msg;
        try {
            msg = BiCodec.parse(r.body());
        } catch (BiFormatException e) {
            if (e.answer().isPresent()) {
                return HttpResponse.json(200, BiCodec.write(e.answer().get()));
            }
            // a body that is not JSON at all gets the API's bad_json, as on every other route; JSON that is no BI message does not
            throw ApiException.badRequest(e.getCause() instanceof com.fasterxml.jackson.core.JsonProcessingException ? "bad_json"
                    : "malformed_request", e.getMessage());
        }
        BiMessage answer;
        if (msg instanceof JoinReq req) {
            answer = join(req, caller);
        } else if (msg instanceof AppSKeyReq req) {
            answer = appSKey(req, caller);
        } else {
            answer = ErrorAnswer.answering(msg.header(), BiResultCode.MALFORMED_REQUEST,
                    "a Join Server answers JoinReq and AppSKeyReq, not " + msg.header().messageType());
        }
        return HttpResponse.json(200, BiCodec.write(answer));
    }

    private BiMessage join(JoinReq req, BiIdentity caller) {
        if (!caller.isNetworkServer()) {
            return JoinAns.failure(req, BiResultCode.UNKNOWN_SENDER, "this token speaks for " + caller + ", which sends no JoinReq");
        }
        if (!caller.netId().equals(req.netId())) {
            return JoinAns.failure(req, BiResultCode.UNKNOWN_SENDER, "this token speaks for NetID " + caller.netId());
        }
        JoinRequest jr;
        try {
            jr = (JoinRequest) PhyPayloadCodec.decode(req.phyPayload().bytes());
        } catch (LorawanFormatException | ClassCastException e) {
            return JoinAns.failure(req, BiResultCode.MALFORMED_REQUEST, "PHYPayload is not a join-request");
        }
        if (!jr.devEui().equals(req.devEui()) || !jr.joinEui().equals(req.joinEui())) {
            return JoinAns.failure(req, BiResultCode.MALFORMED_REQUEST, "DevEUI/ReceiverID do not match the PHYPayload");
        }
        if (req.dlSettings().optNeg() && !req.macVersion().is11()) {
            return JoinAns.failure(req, BiResultCode.MALFORMED_REQUEST, "DLSettings has OptNeg set for MACVersion "
                    + req.macVersion().text());
        }
        Optional<CfList> cfList;
        try {
            cfList = req.cfList().map(c -> CfList.decode(c.bytes(), 0));
        } catch (LorawanFormatException e) {
            return JoinAns.failure(req, BiResultCode.MALFORMED_REQUEST, "CFList: " + e.getMessage());
        }
        JoinResult res;
        try {
            // The device's MACVersion and OptNeg are checked inside, after the MIC and before any state changes.
            res = joinServer.handle(req.phyPayload().bytes(), null, Optional.of(new JoinOverrides(caller.netId(), req.devAddr(),
                    req.dlSettings(), req.rxDelay(), cfList, req.macVersion(), settings.applicationServers().get(caller.netId()))));
        } catch (JoinRejection e) {
            return JoinAns.failure(req, resultCode(e.code()), e.code() + ": " + e.getMessage());
        }
        Optional<KeyEnvelope.Kek> nsKek = kek(caller.netId().toString());
        Optional<KeyEnvelope.Kek> asKek = kek(caller.netId() + "-as").or(() -> nsKek);
        return JoinAns.success(req, HexBytes.of(res.phyPayload()), NetworkKeys.wrap(res.keys(), nsKek),
                Optional.of(KeyEnvelope.wrap(res.keys().appSKey(), asKek)),
                Optional.of(HexBytes.parse(res.session().sessionKeyId(), "SessionKeyID")),
                Optional.of(settings.sessionLifetime().toSeconds()));
    }

    private BiMessage appSKey(AppSKeyReq req, BiIdentity caller) {
        boolean senderIsCaller = caller.isNetworkServer()
                ? req.header().senderId().equalsIgnoreCase(caller.netId().toString())
                : req.header().senderId().equals(caller.asId());
        if (!senderIsCaller) {
            return AppSKeyAns.failure(req, BiResultCode.UNKNOWN_SENDER, "this token speaks for " + caller
                    + ", not for SenderID " + req.header().senderId());
        }
        Optional<Session> s = lf.joinStore().sessionByKeyId(req.sessionKeyId().toHex())
                .filter(x -> x.devEui().equals(req.devEui()))
                .filter(x -> caller.isNetworkServer() ? caller.netId().equals(x.netId()) : caller.asId().equals(x.asId()));
        if (s.isEmpty()) {
            // The same answer whether the session does not exist or belongs to someone else.
            return AppSKeyAns.failure(req, BiResultCode.UNKNOWN_DEV_EUI, "no session " + req.sessionKeyId() + " for " + req.devEui());
        }
        AesKey appSKey = lf.vault().unwrapKey(s.get().kekLabel(), s.get().appSKey());
        Optional<KeyEnvelope.Kek> kek = caller.isNetworkServer()
                ? kek(caller.netId() + "-as").or(() -> kek(caller.netId().toString()))
                : kek(caller.asId());
        lf.registry().audit(caller.actor(), "bi.app_s_key", req.devEui().toString(),
                "session=" + req.sessionKeyId() + " keys=" + kek.map(k -> "wrapped:" + k.label()).orElse("clear"));
        return AppSKeyAns.success(req, KeyEnvelope.wrap(appSKey, kek));
    }

    private Optional<KeyEnvelope.Kek> kek(String label) {
        try {
            var k = ExportKeks.byLabel(label, lf.env(), lf.dataDir());
            return Optional.of(new KeyEnvelope.Kek(k.label(), k.kek()));
        } catch (StoreException notConfigured) {
            return Optional.empty();
        }
    }

    static BiResultCode resultCode(String rejection) {
        switch (rejection) {
            case "mic_mismatch": return BiResultCode.MIC_FAILED;
            case "unknown_device": return BiResultCode.UNKNOWN_DEV_EUI;
            case "device_disabled": return BiResultCode.ACTIVATION_DISALLOWED;
            case "malformed": return BiResultCode.MALFORMED_REQUEST;
            default: return BiResultCode.JOIN_REQ_FAILED;
        }
    }
}
