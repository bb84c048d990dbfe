package io.lorafab.sim;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.cert.Ts009;
import io.lorafab.lorawan.crypto.DataDown;
import io.lorafab.lorawan.crypto.DataMic;
import io.lorafab.lorawan.crypto.JoinAcceptCipher;
import io.lorafab.lorawan.crypto.JoinMic;
import io.lorafab.lorawan.crypto.PayloadCipher;
import io.lorafab.lorawan.crypto.SessionKeys;
import io.lorafab.lorawan.frame.DataFrame;
import io.lorafab.lorawan.frame.EncryptedJoinAccept;
import io.lorafab.lorawan.frame.FCtrl;
import io.lorafab.lorawan.frame.FHdr;
import io.lorafab.lorawan.frame.JoinAccept;
import io.lorafab.lorawan.frame.JoinRequest;
import io.lorafab.lorawan.frame.MHdr;
import io.lorafab.lorawan.frame.MType;
import io.lorafab.lorawan.frame.PhyPayload;
import io.lorafab.lorawan.frame.PhyPayloadCodec;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.DevAddr;
import io.lorafab.lorawan.types.DevNonce;
import io.lorafab.lorawan.types.Mic;
import io.lorafab.lorawan.types.Bytes;
import java.util.HashSet;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * A LoRaWAN end device (1.0.2, 1.0.4 or 1.1) whose state lives in a {@link DeviceNvm}: every DevNonce and frame
 * counter is persisted before the frame that uses it is returned, so a restarted device (a new instance on the
 * same NVM file) never reuses one. Thread-safe (methods are synchronized); one radio per device.
 */
public final class VirtualDevice {

    private static final int JOIN_REQ_TYPE_JOIN = 0xff;

    private final DeviceIdentity id;
    private final DeviceNvm nvm;
    private final RandomGenerator random;
    // the certification package (TS009) if the firmware implements it; guarded by this
    private Ts009.Version certificationFirmware;
    private Ts009.Version regionalParameters;
    private boolean certificationEnabled;
    private int rxAppCnt;
    private byte[] certificationAnswer;
    private boolean echoFault;

    public VirtualDevice(DeviceIdentity id, DeviceNvm nvm, RandomGenerator random) {
        this.id = id;
        this.nvm = nvm;
        this.random = random;
    }

    public DeviceIdentity identity() {
        return id;
    }

    public DeviceNvm nvm() {
        return nvm;
    }

    /** The current session, if the device has joined. */
    public synchronized Optional<NvmSession> session() {
        return Optional.ofNullable(nvm.state().session());
    }

    /** The next join-request; its DevNonce is persisted before this returns. */
    public synchronized byte[] joinRequest() {
        int devNonce = id.version().devNonceIsCounter() ? nextCounterNonce() : nextRandomNonce();
        JoinRequest jr = new JoinRequest(id.joinEui(), id.devEui(), DevNonce.of(devNonce), new Mic(0));
        return jr.withMic(JoinMic.joinRequestMic(id.rootKey(), jr.micPayload())).encode();
    }

    private int nextCounterNonce() {
        int n = nvm.state().nextDevNonce();
        if (n > DevNonce.MAX) {
            throw new SimException("DevNonce counter exhausted for " + id.devEui());
        }
        nvm.update(s -> s.withNextDevNonce(n + 1));
        return n;
    }

    private int nextRandomNonce() {
        Set<Integer> used = new HashSet<>(nvm.state().usedDevNonces());
        if (used.size() > DevNonce.MAX) {
            throw new SimException("all 65536 DevNonces used for " + id.devEui());
        }
        int n;
        do {
            n = random.nextInt(DevNonce.MAX + 1);
        } while (used.contains(n));
        int chosen = n;
        nvm.update(s -> s.withUsedDevNonce(chosen));
        return chosen;
    }

    /** The DevNonce of the last join-request sent, if any (survives restarts). */
    public synchronized OptionalInt lastDevNonce() {
        NvmState s = nvm.state();
        if (id.version().devNonceIsCounter()) {
            return s.nextDevNonce() == 0 ? OptionalInt.empty() : OptionalInt.of(s.nextDevNonce() - 1);
        }
        return s.usedDevNonces().isEmpty() ? OptionalInt.empty()
                : OptionalInt.of(s.usedDevNonces().get(s.usedDevNonces().size() - 1));
    }

    /** Processes a downlink offered as the answer to the last join-request. */
    public synchronized JoinOutcome acceptJoin(byte[] phyPayload) {
        EncryptedJoinAccept enc;
        try {
            PhyPayload p = PhyPayloadCodec.decode(phyPayload);
            if (!(p instanceof EncryptedJoinAccept e)) {
                return JoinOutcome.refused(JoinRefusal.NOT_A_JOIN_ACCEPT);
            }
            enc = e;
        } catch (LorawanFormatException | NullPointerException e) {
            return JoinOutcome.refused(JoinRefusal.NOT_A_JOIN_ACCEPT);
        }
        OptionalInt devNonce = lastDevNonce();
        if (devNonce.isEmpty()) {
            return JoinOutcome.refused(JoinRefusal.NO_PENDING_JOIN);
        }
        AesKey root = id.rootKey();
        JoinAccept ja;
        try {
            ja = JoinAcceptCipher.decryptJoinAccept(root, enc);
        } catch (LorawanFormatException e) {
            return JoinOutcome.refused(JoinRefusal.MIC_MISMATCH); // garbage after decryption: wrong key
        }
        Mic expected = JoinMic.joinAcceptMic(id.version(), root, id.devEui(), id.joinEui(), JOIN_REQ_TYPE_JOIN,
                devNonce.getAsInt(), ja);
        if (!Bytes.constantTimeEquals(expected.toBytes(), ja.mic().toBytes())) {
            return JoinOutcome.refused(JoinRefusal.MIC_MISMATCH);
        }
        NvmState st = nvm.state();
        if (id.version().devNonceIsCounter() && ja.joinNonce().value() <= st.lastJoinNonce()) {
            return JoinOutcome.refused(JoinRefusal.STALE_JOIN_NONCE);
        }
        boolean optNeg = ja.dlSettings().optNeg();
        SessionKeys keys = SessionKeys.forJoin(id.version(), optNeg, id.nwkKey(), id.appKey(), ja.joinNonce(),
                ja.netId(), id.joinEui(), DevNonce.of(devNonce.getAsInt()));
        NvmSession session = NvmSession.of(ja.devAddr(), keys, ja.rxDelaySeconds(), devNonce.getAsInt());
        nvm.update(s -> s.withJoin(ja.joinNonce().value(), session));
        return JoinOutcome.joined(ja.devAddr(), ja.netId(), ja.joinNonce(), keys);
    }

    /** A data uplink with TxDr = TxCh = 0 in the 1.1 MIC (1.0 devices ignore them). */
    public byte[] uplink(int fPort, byte[] payload, boolean confirmed) {
        return uplink(fPort, payload, confirmed, 0, 0);
    }

    /**
     * The next data uplink in the current session; FCntUp is persisted before this returns. {@code txDr} and
     * {@code txCh} (data rate and channel index of the transmission) enter the 1.1 MIC only.
     */
    public synchronized byte[] uplink(int fPort, byte[] payload, boolean confirmed, int txDr, int txCh) {
        if (fPort < 1 || fPort > 223) {
            throw new SimException("uplink: FPort must be 1..223 for application data, got " + fPort);
        }
        return seal(fPort, payload, confirmed, txDr, txCh);
    }

    private byte[] seal(int fPort, byte[] payload, boolean confirmed, int txDr, int txCh) {
        NvmState st = nvm.state();
        if (st.session() == null) {
            throw new SimException("uplink: device " + id.devEui() + " has not joined");
        }
        long fCnt32 = st.fCntUp();
        if (fCnt32 > 0xffffffffL) {
            throw new SimException("uplink: FCntUp exhausted, rejoin needed");
        }
        byte[] plain = payload == null ? new byte[0] : payload;
        if (plain.length > 242) {
            throw new SimException("uplink: FRMPayload longer than 242 bytes: " + plain.length);
        }
        if (txDr < 0 || txDr > 15 || txCh < 0 || txCh > 255) {
            throw new SimException("uplink: TxDr 0..15 and TxCh 0..255 expected, got " + txDr + "/" + txCh);
        }
        nvm.update(s -> s.withFCntUp(fCnt32 + 1));
        NvmSession ses = st.session();
        SessionKeys k = ses.keys();
        DevAddr addr = ses.address();
        byte[] enc = PayloadCipher.encryptFrmPayload(k.appSKey(), true, addr, fCnt32, plain);
        DataFrame f = new DataFrame(MHdr.of(confirmed ? MType.CONFIRMED_DATA_UP : MType.UNCONFIRMED_DATA_UP),
                new FHdr(addr, FCtrl.NONE, (int) (fCnt32 & 0xffff), new byte[0]), OptionalInt.of(fPort), enc, new Mic(0));
        Mic mic = k.lorawan11()
                ? DataMic.uplinkMic11(k.fNwkSIntKey(), k.sNwkSIntKey(), 0, txDr, txCh, addr, fCnt32, f.micPayload())
                : DataMic.dataMic10(k.nwkSKey(), true, addr, fCnt32, f.micPayload());
        return f.withMic(mic).encode();
    }

    /** A data downlink the device took: its FPort (empty without one), plain FRMPayload and 32-bit counter. */
    public record Downlink(OptionalInt fPort, byte[] payload, long fCnt) {
        public Downlink {
            payload = payload.clone();
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }
    }

    /**
     * Takes a frame heard in a receive window of the current session, as a class-A device does: a data downlink for
     * its DevAddr whose counter is not below the one it expects and whose MIC verifies with its session keys is
     * decrypted, and the expected counter (persisted) moves past it. Empty for anything else: no session, another
     * device's frame, a replayed counter, a MIC that does not verify, a frame that does not parse.
     */
    public synchronized Optional<Downlink> receive(byte[] phyPayload) {
        NvmState st = nvm.state();
        if (st.session() == null || phyPayload == null) {
            return Optional.empty();
        }
        DataFrame f;
        try {
            if (!(PhyPayloadCodec.decode(phyPayload) instanceof DataFrame df) || df.isUplink()) {
                return Optional.empty();
            }
            f = df;
        } catch (LorawanFormatException e) {
            return Optional.empty();
        }
        long expected = st.fCntDown();
        long fCnt32 = (expected & 0xffff0000L) | f.fhdr().fCnt();
        if (fCnt32 < expected) {
            fCnt32 += 0x10000L;
        }
        if (fCnt32 > 0xffffffffL) {
            return Optional.empty();
        }
        long taken = fCnt32;
        NvmSession ses = st.session();
        Optional<DataDown.Opened> opened = DataDown.open(ses.keys(), ses.address(), taken, f, 0);
        if (opened.isEmpty()) {
            return Optional.empty();
        }
        nvm.update(s -> s.withFCntDown(taken + 1));
        Downlink got = new Downlink(opened.get().fPort(), opened.get().frmPayload(), taken);
        if (certificationFirmware != null) {
            certification(got);
        }
        return Optional.of(got);
    }

    /**
     * Makes this device's firmware implement the certification package (TS009) on FPort 224, as firmware built for
     * LoRaWAN certification does: it answers the commands an end-of-line test uses ({@link Ts009}) in its next uplink on
     * FPort 224 ({@link #certificationUplink}), until told {@code DutFPort224DisableReq}. {@code firmware} and
     * {@code regionalParameters} are the versions it reports; the LoRaWAN version is its identity's.
     */
    public synchronized void implementCertification(Ts009.Version firmware, Ts009.Version regionalParameters) {
        this.certificationFirmware = java.util.Objects.requireNonNull(firmware, "firmware");
        this.regionalParameters = java.util.Objects.requireNonNull(regionalParameters, "regionalParameters");
        this.certificationEnabled = true;
        this.rxAppCnt = 0;
        this.certificationAnswer = null;
    }

    /**
     * A firmware whose certification package echoes the payload as it came, without adding one to each byte: the fault
     * an end-of-line profile's echo step must catch.
     */
    public synchronized void echoWithoutIncrement() {
        this.echoFault = true;
    }

    /** Whether the certification package still answers on FPort 224 (false after DutFPort224DisableReq, or never). */
    public synchronized boolean certificationEnabled() {
        return certificationEnabled;
    }

    /** Counts an application downlink and answers a certification command; a malformed command is ignored. */
    private void certification(Downlink d) {
        // as LoRaMac-node's compliance package: nothing once disabled; every downlink with an FPort above 0 counted,
        // the command being answered included
        if (!certificationEnabled || d.fPort().isEmpty() || d.fPort().getAsInt() == 0) {
            return;
        }
        rxAppCnt = (rxAppCnt + 1) & 0xffff;
        if (d.fPort().getAsInt() != Ts009.FPORT) {
            return;
        }
        Ts009.Request r;
        try {
            r = Ts009.request(d.payload());
        } catch (LorawanFormatException e) {
            return;
        }
        // Java 17 has no pattern switch: the four permitted requests in turn
        if (r instanceof Ts009.EchoPayloadReq echo) {
            certificationAnswer = echoFault ? new Ts009.EchoPayloadAns(echo.payload()).encode() : echo.expectedAnswer().encode();
        } else if (r instanceof Ts009.RxAppCntReq) {
            certificationAnswer = new Ts009.RxAppCntAns(rxAppCnt).encode();
        } else if (r instanceof Ts009.DutVersionsReq) {
            certificationAnswer = new Ts009.DutVersionsAns(certificationFirmware, lorawanVersion(), regionalParameters).encode();
        } else if (r instanceof Ts009.DutFPort224DisableReq) {
            certificationEnabled = false;
            certificationAnswer = null;
        }
    }

    private Ts009.Version lorawanVersion() {
        String[] p = id.version().text().split("\\.");
        return new Ts009.Version(Integer.parseInt(p[0]), Integer.parseInt(p[1]), p.length > 2 ? Integer.parseInt(p[2]) : 0, 0);
    }

    /**
     * The uplink on FPort 224 carrying the answer to the last certification command, if one waits: a certification
     * firmware sends it as its next uplink. FCntUp is persisted before this returns, as for any uplink.
     */
    public synchronized Optional<byte[]> certificationUplink(int txDr, int txCh) {
        if (certificationAnswer == null) {
            return Optional.empty();
        }
        byte[] answer = certificationAnswer;
        certificationAnswer = null;
        return Optional.of(seal(Ts009.FPORT, answer, false, txDr, txCh));
    }

    @Override
    public String toString() {
        return "VirtualDevice[" + id + "]";
    }
}
