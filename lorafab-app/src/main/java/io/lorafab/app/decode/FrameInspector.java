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
        List<Device> devices = devices(k, false);
        Device device = devices.get(0);
        if (device.rootKey() == null) {
            r.put("micValid", null);
            r.note(device.version().is11() ? "MIC not checked: a LoRaWAN 1.1 join-request needs --nwk-key"
                    : "MIC not checked: give --app-key (1.0) or --nwk-key (1.1)");
            return;
        }
        boolean valid = JoinMic.joinRequestMic(device.rootKey(), jr.micPayload()).equals(jr.mic());
        if (!valid && devices.size() > 1) {
            Device other = devices.get(1);
            valid = JoinMic.joinRequestMic(other.rootKey(), jr.micPayload()).equals(jr.mic());
            r.note(valid ? matchedOther(device, other) : matchedNeither(device, other));
        }
        r.put("micValid", valid);
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
        boolean rejoin = joinReqType != JoinMic.JOIN_REQ_TYPE_JOIN;
        if (rejoin && k.macVersion() != null && !k.macVersion().is11()) {
            throw new LorawanFormatException("JoinReqType " + joinReqType + ": a LoRaWAN " + k.macVersion()
                    + " device sends no rejoin-requests (they are LoRaWAN 1.1)");
        }
        List<Device> devices = devices(k, rejoin);
        Reading reading = read(enc, devices.get(0), k, joinReqType);
        if (reading.accept() == null && reading.error() == null) {
            r.put("encrypted", Hex.format(enc.ciphertext()));
            r.put("micValid", null);
            r.note(rejoin ? "join-accept is encrypted: one answering a rejoin-request with the JSEncKey (give --nwk-key and --dev-eui)"
                    : devices.get(0).version().is11() && k.macVersion() != null
                            ? "join-accept is encrypted: a LoRaWAN 1.1 device's with its NwkKey (give --nwk-key)"
                            : "join-accept is encrypted: give --app-key (1.0) or --nwk-key (1.1) to decrypt it");
            return;
        }
        if (devices.size() > 1 && !Boolean.TRUE.equals(reading.micValid())) {
            Reading other = read(enc, devices.get(1), k, joinReqType);
            if (Boolean.TRUE.equals(other.micValid())) {
                r.note(matchedOther(reading.device(), other.device()));
                reading = other;
            } else if (Boolean.FALSE.equals(reading.micValid())) {
                r.note(matchedNeither(reading.device(), other.device()));
            }
        }
        if (reading.error() != null) {
            throw reading.error();
        }
        JoinAccept ja = reading.accept();
        Device device = reading.device();
        MacVersion version = device.version();
        boolean optNeg = ja.dlSettings().optNeg();
        r.put("joinNonce", ja.joinNonce().value());
        r.put("netId", ja.netId().toString());
        r.put("devAddr", ja.devAddr().toString());
        r.put("dlSettings", ja.dlSettings().encode());
        r.put("optNeg", optNeg);
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
        if (k.macVersion() == null && optNeg && device == devices.get(0)) {
            r.note(version.is11() ? "OptNeg is set: taken as a LoRaWAN 1.1 device (give --mac-version for a 1.0.x device)"
                    : "OptNeg is set, but only --app-key is given: taken as a LoRaWAN 1.0.x device, which ignores the bit"
                            + " (a 1.1 device encrypts its join-accept with the NwkKey: give --nwk-key)");
        }
        r.put("micValid", reading.micValid());
        if (reading.micNote() != null) {
            r.note(reading.micNote());
        }

        boolean keys11 = version.is11() && optNeg;
        if (k.devNonce() == null) {
            r.note("session keys not derived: give --dev-nonce");
        } else if (keys11 && k.joinEui() == null) {
            r.note("session keys not derived: LoRaWAN 1.1 needs --join-eui");
        } else if (keys11 && k.appKey() == null) {
            r.note("session keys not derived: LoRaWAN 1.1 AppSKey needs --app-key");
        } else {
            // one root key throughout: a 1.1 device's NwkKey (with its AppKey for the 1.1 AppSKey), a 1.0.x device's AppKey
            SessionKeys sk = SessionKeys.forJoin(version, optNeg, device.rootKey(),
                    version.is11() ? k.appKey() : device.rootKey(), ja.joinNonce(), ja.netId(), k.joinEui(), k.devNonce());
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

    /**
     * A join-accept read as from {@code device}: decrypted (null when there is no key; {@code error} when it
     * does not decrypt to a valid message) and its MIC checked (null with {@code micNote} saying why not).
     */
    private record Reading(Device device, JoinAccept accept, LorawanFormatException error, Boolean micValid,
            String micNote) {
    }

    private static Reading read(EncryptedJoinAccept enc, Device device, DecodeKeys k, int joinReqType) {
        AesKey root = device.rootKey();
        AesKey encKey = root;
        if (joinReqType != JoinMic.JOIN_REQ_TYPE_JOIN) {
            encKey = root == null || k.devEui() == null ? null : KeyDerivation.deriveJSEncKey(root, k.devEui());
        }
        if (encKey == null) {
            return new Reading(device, null, null, null, null);
        }
        JoinAccept ja;
        try {
            ja = JoinAcceptCipher.decryptJoinAccept(encKey, enc);
        } catch (LorawanFormatException e) {
            return new Reading(device, null, new LorawanFormatException(
                    "join-accept does not decrypt to a valid message with this key (" + e.getMessage() + "); wrong key?"),
                    null, null);
        }
        boolean mic11 = device.version().is11() && ja.dlSettings().optNeg();
        if (mic11 && (k.devEui() == null || k.joinEui() == null || k.devNonce() == null)) {
            return new Reading(device, ja, null, null,
                    "MIC not checked: the 1.1 MIC needs --dev-eui (for the JSIntKey), --join-eui and --dev-nonce");
        }
        int devNonce = k.devNonce() == null ? 0 : k.devNonce().value();
        Mic expected = JoinMic.joinAcceptMic(device.version(), root, k.devEui(), k.joinEui(), joinReqType, devNonce, ja);
        return new Reading(device, ja, null, expected.equals(ja.mic()), null);
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

    /** A device the keys may belong to: its MAC version and the root key of its join (null when not given). */
    private record Device(MacVersion version, AesKey rootKey) {
        String describe() {
            return version.is11() ? "a LoRaWAN 1.1 device (NwkKey)" : "a LoRaWAN 1.0.x device (AppKey)";
        }
    }

    /**
     * The devices the keys describe, the one to read the frame as first. The root key of a join is a 1.1
     * device's NwkKey and a 1.0.x device's AppKey (1.1 moved the 1.0 AppKey's network role to the NwkKey).
     * With --mac-version that device alone (a 1.0.x device with only --nwk-key uses it as its root key).
     * Without it a 1.1 device when --nwk-key is given or the frame answers a rejoin-request (1.1 only), else
     * a 1.0.x device; with both root keys the 1.0.x device reading the AppKey comes second.
     */
    private static List<Device> devices(DecodeKeys k, boolean rejoin) {
        if (k.macVersion() != null) {
            MacVersion v = k.macVersion();
            return List.of(new Device(v, v.is11() ? k.nwkKey() : (k.appKey() != null ? k.appKey() : k.nwkKey())));
        }
        if (k.nwkKey() != null || rejoin) {
            Device v11 = new Device(MacVersion.V1_1, k.nwkKey());
            return k.nwkKey() != null && k.appKey() != null && !rejoin
                    ? List.of(v11, new Device(MacVersion.V1_0_3, k.appKey())) : List.of(v11);
        }
        return List.of(new Device(MacVersion.V1_0_3, k.appKey()));
    }

    private static String matchedOther(Device first, Device other) {
        return "the MIC does not hold for " + first.describe() + " but holds for " + other.describe()
                + ": taken as the latter (give --mac-version to choose)";
    }

    private static String matchedNeither(Device first, Device other) {
        return "the MIC holds neither for " + first.describe() + " nor for " + other.describe();
    }
}
