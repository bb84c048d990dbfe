package io.lorafab.lorawan.crypto;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.frame.DataFrame;
import io.lorafab.lorawan.frame.FCtrl;
import io.lorafab.lorawan.frame.FHdr;
import io.lorafab.lorawan.frame.MHdr;
import io.lorafab.lorawan.frame.MType;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Bytes;
import io.lorafab.lorawan.types.DevAddr;
import io.lorafab.lorawan.types.Mic;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A data downlink as a network server seals it and an end device opens it: FRMPayload encrypted with the AppSKey
 * (FPort 1..255) or the network key (FPort 0), in LoRaWAN 1.1 the FOpts encrypted with the NwkSEncKey, and the MIC
 * (1.0: NwkSKey over B0 with Dir 1; 1.1: SNwkSIntKey, ConfFCnt in B0 when ACK is set). Which downlink counter
 * {@code fCnt32} is (1.0 FCntDown; 1.1 AFCntDown for FPort above 0, NFCntDown otherwise) is the caller's.
 */
public final class DataDown {
    private DataDown() {
    }

    /** What a device finds in a downlink it could open. */
    public record Opened(OptionalInt fPort, byte[] frmPayload, byte[] fOpts, boolean confirmed, boolean ack) {
        public Opened {
            frmPayload = frmPayload.clone();
            fOpts = fOpts.clone();
        }

        @Override
        public byte[] frmPayload() {
            return frmPayload.clone();
        }

        @Override
        public byte[] fOpts() {
            return fOpts.clone();
        }
    }

    /**
     * The PHYPayload of a data downlink. {@code confFCnt} is the FCntUp of the uplink being acknowledged (1.1 with
     * {@code fCtrl.ack()} only; ignored otherwise).
     */
    public static byte[] seal(SessionKeys keys, MType type, FCtrl fCtrl, DevAddr devAddr, long fCnt32, byte[] fOptsPlain,
            OptionalInt fPort, byte[] frmPlain, int confFCnt) {
        if (type != MType.UNCONFIRMED_DATA_DOWN && type != MType.CONFIRMED_DATA_DOWN) {
            throw new LorawanFormatException("data downlink: MType " + type.displayName() + " is not a data downlink");
        }
        if (fCnt32 < 0 || fCnt32 > 0xffffffffL) {
            throw new LorawanFormatException("data downlink: FCnt out of 32 bits: " + fCnt32);
        }
        byte[] fOpts = fOptsPlain;
        boolean appPort = fPort.isPresent() && fPort.getAsInt() > 0;
        if (keys.lorawan11() && fOpts.length > 0) {
            fOpts = PayloadCipher.encryptFOpts(keys.nwkSEncKey(), false, appPort, devAddr, fCnt32, fOpts);
        }
        byte[] frm = frmPlain.length == 0 ? frmPlain
                : PayloadCipher.encryptFrmPayload(appPort ? keys.appSKey() : keys.nwkSEncKey(), false, devAddr, fCnt32, frmPlain);
        DataFrame f = new DataFrame(MHdr.of(type), new FHdr(devAddr, fCtrl, (int) (fCnt32 & 0xffff), fOpts), fPort, frm,
                new Mic(0));
        return f.withMic(mic(keys, f, fCnt32, confFCnt)).encode();
    }

    /**
     * Opens a downlink addressed to {@code devAddr} with the device's next expected counter {@code fCnt32}: empty when
     * it is no data downlink for this address or its MIC does not verify with these keys (a frame for another device,
     * or a corrupted one), else its plain FRMPayload and FOpts.
     */
    public static Optional<Opened> open(SessionKeys keys, DevAddr devAddr, long fCnt32, DataFrame f, int confFCnt) {
        if (f.isUplink() || !f.fhdr().devAddr().equals(devAddr)) {
            return Optional.empty();
        }
        Mic expected = mic(keys, f, fCnt32, confFCnt);
        if (!Bytes.constantTimeEquals(expected.toBytes(), f.mic().toBytes())) {
            return Optional.empty();
        }
        boolean appPort = f.fPort().isPresent() && f.fPort().getAsInt() > 0;
        byte[] fOpts = f.fhdr().fOpts();
        if (keys.lorawan11() && fOpts.length > 0) {
            fOpts = PayloadCipher.encryptFOpts(keys.nwkSEncKey(), false, appPort, devAddr, fCnt32, fOpts);
        }
        byte[] enc = f.frmPayload();
        byte[] plain = enc.length == 0 ? enc
                : PayloadCipher.encryptFrmPayload(appPort ? keys.appSKey() : keys.nwkSEncKey(), false, devAddr, fCnt32, enc);
        return Optional.of(new Opened(f.fPort(), plain, fOpts, f.isConfirmed(), f.fhdr().fCtrl().ack()));
    }

    private static Mic mic(SessionKeys keys, DataFrame f, long fCnt32, int confFCnt) {
        if (!keys.lorawan11()) {
            return DataMic.dataMic10(keys.nwkSKey(), false, f.fhdr().devAddr(), fCnt32, f.micPayload());
        }
        AesKey sNwk = keys.sNwkSIntKey();
        return DataMic.downlinkMic11(sNwk, f.fhdr().fCtrl().ack() ? confFCnt & 0xffff : 0, f.fhdr().devAddr(), fCnt32,
                f.micPayload());
    }
}
