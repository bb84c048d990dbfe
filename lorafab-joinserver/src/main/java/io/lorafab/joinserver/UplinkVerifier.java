package io.lorafab.joinserver;

import io.lorafab.lorawan.crypto.DataMic;
import io.lorafab.lorawan.crypto.PayloadCipher;
import io.lorafab.lorawan.frame.DataFrame;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Bytes;
import io.lorafab.lorawan.types.Hex;
import io.lorafab.lorawan.types.Mic;
import io.lorafab.store.join.JoinStore;
import io.lorafab.store.join.RadioEvent;
import io.lorafab.store.join.Session;
import io.lorafab.store.vault.KeyVault;
import java.util.Optional;

/**
 * End-of-line proof of a session: a data uplink on a DevAddr this join server assigned is checked with the
 * session keys of the device's version (1.0 MIC, or the 1.1 two-part MIC with TxDr and TxCh), its frame
 * counter must advance, and its FRMPayload is decrypted. The outcome is recorded as {@code uplink_verified}
 * or {@code uplink_rejected} ({@code unknown_dev_addr}, {@code mic_mismatch}, {@code fcnt_replay}) with the
 * radio metadata.
 */
public final class UplinkVerifier {

    private final JoinStore store;
    private final KeyVault vault;
    private final EventBus events;

    public UplinkVerifier(JoinStore store, KeyVault vault, EventBus events) {
        this.store = store;
        this.vault = vault;
        this.events = events;
    }

    /** The vault the sessions' keys are unwrapped with. */
    KeyVault vault() {
        return vault;
    }

    /** The verified uplink, or empty when it was rejected (the rejection is recorded). */
    public Optional<RadioEvent> verify(DataFrame frame, RadioMeta meta, Region region) {
        return verify(frame, meta, devEui -> region);
    }

    /** As {@link #verify(DataFrame, RadioMeta, Region)}, with the region looked up from the session's device. */
    public Optional<RadioEvent> verify(DataFrame frame, RadioMeta meta, java.util.function.Function<io.lorafab.lorawan.types.Eui64, Region> regionOf) {
        return verifyUplink(frame, meta, regionOf).map(Verified::event);
    }

    /**
     * A verified uplink: its recorded event, the session it proved, its region, and whether it is the session's first
     * (the one the two-way test answers with a downlink); its FPort (none: no FRMPayload) and decrypted FRMPayload, which
     * the TS009 profile reads its answers from.
     */
    public record Verified(RadioEvent event, Session session, Region region, boolean first, java.util.OptionalInt fPort,
            byte[] frmPayload) {
        public Verified {
            frmPayload = frmPayload.clone();
        }

        @Override
        public byte[] frmPayload() {
            return frmPayload.clone();
        }
    }

    /** As {@link #verify(DataFrame, RadioMeta, java.util.function.Function)}, telling what it verified. */
    public Optional<Verified> verifyUplink(DataFrame frame, RadioMeta meta,
            java.util.function.Function<io.lorafab.lorawan.types.Eui64, Region> regionOf) {
        if (!frame.isUplink()) {
            return Optional.empty();
        }
        Optional<Session> found = store.latestSessionByDevAddr(frame.fhdr().devAddr());
        if (found.isEmpty()) {
            return Optional.empty(); // not one of ours: another network's device
        }
        Session s = found.get();
        Region region = regionOf.apply(s.devEui());
        long fCnt32 = extend(s.lastFCntUp(), frame.fhdr().fCnt());
        AesKey fNwk = vault.unwrapKey(s.kekLabel(), s.fNwkSIntKey());
        Mic expected;
        if (s.lorawan11()) {
            AesKey sNwk = vault.unwrapKey(s.kekLabel(), s.sNwkSIntKey());
            int txDr = meta == null ? 0 : dataRateIndex(region, meta.datr());
            int txCh = meta == null ? 0 : channelIndex(region, meta.frequencyHz());
            expected = DataMic.uplinkMic11(fNwk, sNwk, 0, txDr, txCh, s.devAddr(), fCnt32, frame.micPayload());
        } else {
            expected = DataMic.dataMic10(fNwk, true, s.devAddr(), fCnt32, frame.micPayload());
        }
        if (!Bytes.constantTimeEquals(expected.toBytes(), frame.mic().toBytes())) {
            reject(s, "mic_mismatch", meta, fCnt32);
            return Optional.empty();
        }
        if (!store.advanceFCntUp(s.id(), fCnt32)) {
            reject(s, "fcnt_replay", meta, fCnt32);
            return Optional.empty();
        }
        byte[] clear = new byte[0];
        if (frame.fPort().isPresent() && frame.frmPayload().length > 0) {
            AesKey key = frame.fPort().getAsInt() == 0 ? vault.unwrapKey(s.kekLabel(), s.nwkSEncKey())
                    : vault.unwrapKey(s.kekLabel(), s.appSKey());
            clear = PayloadCipher.encryptFrmPayload(key, true, s.devAddr(), fCnt32, frame.frmPayload());
        }
        String payload = Hex.format(clear);
        String details = "{\"devAddr\":\"" + s.devAddr() + "\",\"fCnt\":" + fCnt32 + ",\"fPort\":"
                + (frame.fPort().isPresent() ? frame.fPort().getAsInt() : "null") + ",\"frmPayload\":\"" + payload
                + "\",\"confirmed\":" + frame.isConfirmed() + ",\"sessionCreatedAt\":\"" + s.createdAt() + "\"}";
        RadioEvent e = store.record(RadioEvent.of(s.devEui(), "uplink_verified", null, gw(meta), meta == null ? null : meta.rssi(),
                meta == null ? null : meta.snr(), meta == null ? null : meta.frequencyHz(), meta == null ? null : meta.datr(), details));
        events.publish(e);
        return Optional.of(new Verified(e, s, region, s.lastFCntUp() == null, frame.fPort(), clear));
    }

    private void reject(Session s, String code, RadioMeta meta, long fCnt32) {
        RadioEvent e = store.record(RadioEvent.of(s.devEui(), "uplink_rejected", code, gw(meta), meta == null ? null : meta.rssi(),
                meta == null ? null : meta.snr(), meta == null ? null : meta.frequencyHz(), meta == null ? null : meta.datr(),
                "{\"devAddr\":\"" + s.devAddr() + "\",\"fCnt\":" + fCnt32 + "}"));
        events.publish(e);
    }

    /**
     * The 32-bit frame counter whose low 16 bits are {@code fCnt16}: in the last one's 64 Ki epoch if that is
     * not below it (equal is a replay, caught after the MIC), else in the next epoch (the 16 bits rolled over).
     */
    static long extend(Long last, int fCnt16) {
        if (last == null) {
            return fCnt16;
        }
        long candidate = (last & 0xffff0000L) | fCnt16;
        if (candidate < last) {
            candidate += 0x10000L;
        }
        return candidate & 0xffffffffL;
    }

    private static int dataRateIndex(Region region, String datr) {
        try {
            return region.uplinkDataRate(datr);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** Index of the uplink channel in the device's channel list (default channels then the default CFList). */
    private static int channelIndex(Region region, long frequencyHz) {
        long[] channels = region.defaultCfList().map(region::uplinkChannelsHz).orElse(region.defaultUplinkChannelsHz());
        for (int i = 0; i < channels.length; i++) {
            if (channels[i] == frequencyHz) {
                return i;
            }
        }
        return 0;
    }

    private static io.lorafab.lorawan.types.Eui64 gw(RadioMeta m) {
        return m == null ? null : m.gatewayEui();
    }
}
