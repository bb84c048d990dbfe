package io.lorafab.app.http;

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
import io.lorafab.store.StoreException;
import io.lorafab.store.join.Session;
import io.lorafab.store.model.Role;
import java.util.Optional;

/**
 * LoRaWAN Backend Interfaces for network and application servers: {@code POST /api/backend-interfaces} takes
 * JoinReq (→ JoinAns) and AppSKeyReq (→ AppSKeyAns). The caller needs a {@code network-server} token; a token
 * named after a NetID (six hex digits) may only speak for that NetID (SenderID). Session keys go out as
 * KeyEnvelopes wrapped under the export KEK labelled with the network server's NetID, and the AppSKey under the
 * KEK labelled {@code <NetID>-as} (else the NetID's) — in the clear when no such KEK is configured. Answers
 * are HTTP 200 with the result in Result.ResultCode, as the specification has it; only a body that is not a
 * Backend Interfaces message at all gets HTTP 400.
 */
public final class BackendInterfacesApi {

    private final Lorafab lf;
    private final JoinServer joinServer;

    public BackendInterfacesApi(Lorafab lf, JoinServer joinServer) {
        this.lf = lf;
        this.joinServer = joinServer;
    }

    public void register(ApiServer s) {
        s.route("POST", "/api/backend-interfaces", Role.NETWORK_SERVER, this::handle);
    }

    private HttpResponse handle(HttpRequest r) {
        BiMessage msg;
        try {
            msg = BiCodec.parse(r.body());
        } catch (BiFormatException e) {
            if (e.answer().isPresent()) {
                return HttpResponse.json(200, BiCodec.write(e.answer().get()));
            }
            throw ApiException.badRequest("malformed_request", e.getMessage());
        }
        BiMessage answer;
        if (msg instanceof JoinReq req) {
            answer = join(req, r);
        } else if (msg instanceof AppSKeyReq req) {
            answer = appSKey(req);
        } else {
            answer = ErrorAnswer.answering(msg.header(), BiResultCode.MALFORMED_REQUEST,
                    "a Join Server answers JoinReq and AppSKeyReq, not " + msg.header().messageType());
        }
        return HttpResponse.json(200, BiCodec.write(answer));
    }

    private BiMessage join(JoinReq req, HttpRequest r) {
        String tokenNetId = r.token().name().toLowerCase();
        if (tokenNetId.matches("[0-9a-f]{6}") && !tokenNetId.equals(req.netId().toString())) {
            return JoinAns.failure(req, BiResultCode.UNKNOWN_SENDER, "this token speaks for NetID " + tokenNetId);
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
        Optional<CfList> cfList;
        try {
            cfList = req.cfList().map(c -> CfList.decode(c.bytes(), 0));
        } catch (LorawanFormatException e) {
            return JoinAns.failure(req, BiResultCode.MALFORMED_REQUEST, "CFList: " + e.getMessage());
        }
        JoinResult res;
        try {
            res = joinServer.handle(req.phyPayload().bytes(), null,
                    Optional.of(new JoinOverrides(req.netId(), req.devAddr(), req.dlSettings(), req.rxDelay(), cfList)));
        } catch (JoinRejection e) {
            return JoinAns.failure(req, resultCode(e.code()), e.code() + ": " + e.getMessage());
        }
        Optional<KeyEnvelope.Kek> nsKek = kek(req.netId().toString());
        Optional<KeyEnvelope.Kek> asKek = kek(req.netId() + "-as").or(() -> nsKek);
        if (res.keys().lorawan11() != req.lorawan11Session()) {
            return JoinAns.failure(req, BiResultCode.JOIN_REQ_FAILED, "device is LoRaWAN " + res.unit().macVersion()
                    + ", which does not match the session the network server asked for");
        }
        return JoinAns.success(req, HexBytes.of(res.phyPayload()), NetworkKeys.wrap(res.keys(), nsKek),
                Optional.of(KeyEnvelope.wrap(res.keys().appSKey(), asKek)),
                Optional.of(HexBytes.parse(res.session().sessionKeyId(), "SessionKeyID")), Optional.of(0L));
    }

    private BiMessage appSKey(AppSKeyReq req) {
        Optional<Session> s = lf.joinStore().sessionByKeyId(req.sessionKeyId().toHex());
        if (s.isEmpty() || !s.get().devEui().equals(req.devEui())) {
            return AppSKeyAns.failure(req, BiResultCode.UNKNOWN_DEV_EUI, "no session " + req.sessionKeyId() + " for " + req.devEui());
        }
        AesKey appSKey = lf.vault().unwrapKey(s.get().kekLabel(), s.get().appSKey());
        Optional<KeyEnvelope.Kek> asKek = kek(req.header().senderId().toLowerCase() + "-as").or(() -> kek(s.get().netId() + "-as"))
                .or(() -> kek(s.get().netId().toString()));
        lf.registry().audit("bi:" + req.header().senderId(), "bi.app_s_key", req.devEui().toString(),
                "session=" + req.sessionKeyId() + " keys=" + asKek.map(k -> "wrapped:" + k.label()).orElse("clear"));
        return AppSKeyAns.success(req, KeyEnvelope.wrap(appSKey, asKek));
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
