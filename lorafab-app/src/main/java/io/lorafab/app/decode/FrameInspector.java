package io.lorafab.app.decode;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.crypto.DataMic;
import io.lorafab.lorawan.crypto.JoinAcceptCipher;
import io.lorafab.lorawan.crypto.JoinMic;
import io.lorafab.lorawan.crypto.KeyDerivation;
import io.lorafab.lorawan.crypto.PayloadCipher;
import io.lorafab.lorawan.crypto.SessionKeys;
import io.lorafab.lorawan.frame.CfList;
import io.lorafab.lorawan.frame.DataFrame;
import io.lorafab.lorawan.frame.EncryptedJoinAccept;
import io.lorafab.lorawan.frame.JoinAccept;
import io.lorafab.lorawan.frame.JoinRequest;
import io.lorafab.lorawan.frame.PhyPayload;
import io.lorafab.lorawan.frame.PhyPayloadCodec;
import io.lorafab.lorawan.frame.Proprietary;
import io.lorafab.lorawan.frame.RejoinRequest;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Hex;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.Mic;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes a PHYPayload and, as far as the given keys allow, checks its MIC, decrypts it and derives session
 * keys. Pure: no I/O. Malformed input raises {@link LorawanFormatException}.
 */
public final class FrameInspector {
    private FrameInspector() {
    }

    public static FrameReport inspect(byte[] phy, DecodeKeys keys) {
        PhyPayload p = PhyPayloadCodec.decode(phy);
        FrameReport r = new FrameReport();
        r.put("mType", p.mType().displayName());
        r.put("phyPayload", Hex.format(phy));
        if (p instanceof JoinRequest jr) {
            joinRequest(jr, keys, r);
        } else if (p instanceof RejoinRequest rj) {
            rejoinRequest(rj, keys, r);
        } else if (p instanceof EncryptedJoinAccept ja) {
            joinAccept(ja, keys, r);
        } else if (p instanceof DataFrame df) {
            dataFrame(df, keys, r);
        } else if (p instanceof Proprietary pr) {
            r.put("payload", Hex.format(pr.payload()));
            r.note("proprietary frame: layout and MIC are vendor-defined");
        }
        return r;
    }

    private static void joinRequest(JoinRequest jr, DecodeKeys k, FrameReport r) {
        r.put("joinEui", jr.joinEui().toString());
        r.put("devEui", jr.devEui().toString());
        r.put("devNonce", jr.devNonce().value());
        r.put("mic", jr.mic().toString());
        AesKey key = rootKey(k);
        if (key == null) {
            r.put("micValid", null);
            r.note("MIC not checked: give --app-key (1.0) or --nwk-key (1.1)");
        } else {
            r.put("micValid", JoinMic.joinRequestMic(key, jr.micPayload()).equals(jr.mic()));
        }
    }

    private static void rejoinRequest(RejoinRequest rj, DecodeKeys k, FrameReport r) {
        r.put("rejoinType", rj.rejoinType());
        if (rj instanceof RejoinRequest.Type0or2 t) {
            r.put("netId", t.netId().toString());
        } else if (rj instanceof RejoinRequest.Type1 t) {
            r.put("joinEui", t.joinEui().toString());
        }
        r.put("devEui", rj.devEui().toString());
        r.put("rjCount", rj.rjCount());
        r.put("mic", rj.mic().toString());
        AesKey key = null;
        if (rj.rejoinType() == 1 && k.nwkKey() != null) {
            key = KeyDerivation.deriveJSIntKey(k.nwkKey(), rj.devEui());
        } else if (rj.rejoinType() != 1) {
            key = k.sNwkSIntKey();
        }
        if (key == null) {
            r.put("micValid", null);
            r.note(rj.rejoinType() == 1 ? "MIC not checked: give --nwk-key (the JSIntKey is derived from it)"
                    : "MIC not checked: give --s-nwk-s-int-key");
        } else {
            r.put("micValid", JoinMic.rejoinRequestMic(key, rj.micPayload()).equals(rj.mic()));
        }
    }

    private static void joinAccept(EncryptedJoinAccept enc, DecodeKeys k, FrameReport r) {
        int joinReqType = k.joinReqType() == null ? JoinMic.JOIN_REQ_TYPE_JOIN : k.joinReqType();
        AesKey encKey = rootKey(k);
        if (joinReqType != JoinMic.JOIN_REQ_TYPE_JOIN && k.nwkKey() != null && k.devEui() != null) {
            encKey = KeyDerivation.deriveJSEncKey(k.nwkKey(), k.devEui());
        }
        if (encKey == null) {
            r.put("encrypted", Hex.format(enc.ciphertext()));
            r.put("micValid", null);
            r.note("join-accept is encrypted: give --app-key (1.0) or --nwk-key (1.1) to decrypt it");
            return;
        }
        JoinAccept ja;
        try {
            ja = JoinAcceptCipher.decryptJoinAccept(encKey, enc);
        } catch (LorawanFormatException e) {
            throw new LorawanFormatException("join-accept does not decrypt to a valid message with this key ("
                    + e.getMessage() + "); wrong key?");
        }
        r.put("joinNonce", ja.joinNonce().value());
        r.put("netId", ja.netId().toString());
        r.put("devAddr", ja.devAddr().toString());
        r.put("dlSettings", ja.dlSettings().encode());
        r.put("optNeg", ja.dlSettings().optNeg());
        r.put("rx1DrOffset", ja.dlSettings().rx1DrOffset());
        r.put("rx2DataRate", ja.dlSettings().rx2DataRate());
        r.put("rxDelay", ja.rxDelay());
        r.put("cfList", ja.cfList().map(c -> Hex.format(c.encode())).orElse(null));
        ja.cfList().ifPresent(c -> r.put("cfListType", c.type()));
        ja.cfList().ifPresent(c -> {
            if (c instanceof CfList.ChannelFrequencies f) {
                r.put("cfListFrequencies", f.frequenciesHz());
            } else if (c instanceof CfList.ChannelMask m) {
                List<Integer> channels = new ArrayList<>();
                for (int ch = 0; ch < 80; ch++) {
                    if (m.enabled(ch)) {
                        channels.add(ch);
                    }
                }
                r.put("cfListChannels", channels);
            }
        });
        r.put("mic", ja.mic().toString());

        MacVersion version = k.macVersion() != null ? k.macVersion()
                : ja.dlSettings().optNeg() ? MacVersion.V1_1 : MacVersion.V1_0_3;
        if (k.macVersion() == null && ja.dlSettings().optNeg()) {
            r.note("OptNeg is set: taken as a LoRaWAN 1.1 device (give --mac-version for a 1.0.x device)");
        }
        boolean mic11 = version.is11() && ja.dlSettings().optNeg();
        AesKey root = version.is11() ? k.nwkKey() : (k.appKey() != null ? k.appKey() : k.nwkKey());
        if (root == null) {
            r.put("micValid", null);
            r.note("MIC not checked: a LoRaWAN 1.1 accept needs --nwk-key");
        } else if (mic11 && (k.devEui() == null || k.joinEui() == null || k.devNonce() == null)) {
            r.put("micValid", null);
            r.note("MIC not checked: the 1.1 MIC needs --dev-eui (for the JSIntKey), --join-eui and --dev-nonce");
        } else {
            int devNonce = k.devNonce() == null ? 0 : k.devNonce().value();
            Mic expected = mic11
                    ? JoinMic.joinAcceptMic(version, root, k.devEui(), k.joinEui(), joinReqType, devNonce, ja)
                    : JoinMic.joinAcceptMic10(root, ja.micPayload());
            r.put("micValid", expected.equals(ja.mic()));
        }

        if (k.devNonce() == null) {
            r.note("session keys not derived: give --dev-nonce");
        } else if (mic11 && (k.joinEui() == null || k.nwkKey() == null)) {
            r.note("session keys not derived: LoRaWAN 1.1 needs --join-eui and --nwk-key");
        } else if (mic11 && k.appKey() == null) {
            r.note("session keys not derived: LoRaWAN 1.1 AppSKey needs --app-key");
        } else if (root != null) {
            SessionKeys sk = SessionKeys.forJoin(version, ja.dlSettings().optNeg(), k.nwkKey(),
                    version.is11() ? k.appKey() : root, ja.joinNonce(), ja.netId(), k.joinEui(), k.devNonce());
            Map<String, Object> keys = new LinkedHashMap<>();
            if (sk.lorawan11()) {
                keys.put("fNwkSIntKey", sk.fNwkSIntKey().toHex());
                keys.put("sNwkSIntKey", sk.sNwkSIntKey().toHex());
                keys.put("nwkSEncKey", sk.nwkSEncKey().toHex());
                keys.put("appSKey", sk.appSKey().toHex());
            } else {
                keys.put("nwkSKey", sk.nwkSKey().toHex());
                keys.put("appSKey", sk.appSKey().toHex());
            }
            r.put("sessionKeys", keys);
        }
    }

    private static void dataFrame(DataFrame df, DecodeKeys k, FrameReport r) {
        boolean up = df.isUplink();
        r.put("devAddr", df.fhdr().devAddr().toString());
        Map<String, Object> fCtrl = new LinkedHashMap<>();
        fCtrl.put("adr", df.fhdr().fCtrl().adr());
        if (up) {
            fCtrl.put("adrAckReq", df.fhdr().fCtrl().adrAckReq());
        }
        fCtrl.put("ack", df.fhdr().fCtrl().ack());
        fCtrl.put(up ? "classB" : "fPending", df.fhdr().fCtrl().classBOrFPending());
        fCtrl.put("fOptsLen", df.fhdr().fOpts().length);
        r.put("fCtrl", fCtrl);
        long fCnt32 = df.fhdr().fCnt();
        if (k.fCnt32() != null) {
            if ((k.fCnt32() & 0xffff) != df.fhdr().fCnt()) {
                throw new LorawanFormatException("--fcnt32 " + k.fCnt32() + " does not end in the frame's FCnt "
                        + df.fhdr().fCnt());
            }
            fCnt32 = k.fCnt32();
        }
        r.put("fCnt", fCnt32);
        boolean v11 = k.sNwkSIntKey() != null || k.fNwkSIntKey() != null || k.nwkSEncKey() != null
                || (k.macVersion() != null && k.macVersion().is11());
        byte[] fOpts = df.fhdr().fOpts();
        boolean aFCntDown = !up && df.fPort().isPresent() && df.fPort().getAsInt() > 0;
        if (fOpts.length > 0 && v11) {
            if (k.nwkSEncKey() != null) {
                fOpts = PayloadCipher.encryptFOpts(k.nwkSEncKey(), up, aFCntDown, df.fhdr().devAddr(), fCnt32, fOpts);
                r.put("fOptsDecrypted", true);
            } else {
                r.put("fOptsDecrypted", false);
                r.note("LoRaWAN 1.1 FOpts are encrypted: give --nwk-s-enc-key");
            }
        }
        r.put("fOpts", Hex.format(fOpts));
        r.put("fPort", df.fPort().isPresent() ? df.fPort().getAsInt() : null);
        r.put("mic", df.mic().toString());

        Mic expected = null;
        int confFCnt = df.fhdr().fCtrl().ack() && k.confFCnt() != null ? k.confFCnt() : 0;
        if (df.fhdr().fCtrl().ack() && k.confFCnt() == null && v11) {
            r.note("ACK is set: the 1.1 MIC covers ConfFCnt; taken as 0 (give --conf-fcnt)");
        }
        if (!v11 && k.nwkSKey() != null) {
            expected = DataMic.dataMic10(k.nwkSKey(), up, df.fhdr().devAddr(), fCnt32, df.micPayload());
        } else if (v11 && up && k.fNwkSIntKey() != null && k.sNwkSIntKey() != null) {
            expected = DataMic.uplinkMic11(k.fNwkSIntKey(), k.sNwkSIntKey(), confFCnt,
                    k.txDr() == null ? 0 : k.txDr(), k.txCh() == null ? 0 : k.txCh(), df.fhdr().devAddr(), fCnt32, df.micPayload());
            if (k.txDr() == null || k.txCh() == null) {
                r.note("1.1 uplink MIC covers TxDr and TxCh; missing ones taken as 0 (give --tx-dr, --tx-ch)");
            }
        } else if (v11 && !up && k.sNwkSIntKey() != null) {
            expected = DataMic.downlinkMic11(k.sNwkSIntKey(), confFCnt, df.fhdr().devAddr(), fCnt32, df.micPayload());
        }
        if (expected == null) {
            r.put("micValid", null);
            r.note(v11 ? "MIC not checked: give --s-nwk-s-int-key (and --f-nwk-s-int-key for uplinks)"
                    : "MIC not checked: give --nwk-s-key");
        } else {
            r.put("micValid", expected.equals(df.mic()));
        }

        byte[] payload = df.frmPayload();
        if (df.fPort().isEmpty()) {
            r.put("frmPayload", null);
            return;
        }
        AesKey payloadKey = df.fPort().getAsInt() == 0 ? (v11 ? k.nwkSEncKey() : k.nwkSKey()) : k.appSKey();
        if (payloadKey != null && payload.length > 0) {
            payload = PayloadCipher.encryptFrmPayload(payloadKey, up, df.fhdr().devAddr(), fCnt32, payload);
            r.put("frmPayloadDecrypted", true);
        } else if (payload.length > 0) {
            r.put("frmPayloadDecrypted", false);
            r.note(df.fPort().getAsInt() == 0 ? "FRMPayload (MAC commands) is encrypted: give --nwk-s-key (1.0) or --nwk-s-enc-key (1.1)"
                    : "FRMPayload is encrypted: give --app-s-key");
        }
        r.put("frmPayload", Hex.format(payload));
    }

    /**
     * The root key of the join: the NwkKey of a 1.1 device, the AppKey of a 1.0.x device; without a MAC
     * version the NwkKey if given, else the AppKey.
     */
    private static AesKey rootKey(DecodeKeys k) {
        if (k.macVersion() != null) {
            return k.macVersion().is11() ? k.nwkKey() : (k.appKey() != null ? k.appKey() : k.nwkKey());
        }
        return k.nwkKey() != null ? k.nwkKey() : k.appKey();
    }
}
