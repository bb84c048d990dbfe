package io.lorafab.lorawan.frame;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.types.Bytes;
import io.lorafab.lorawan.types.DevAddr;
import io.lorafab.lorawan.types.Hex;
import io.lorafab.lorawan.types.Mic;
import java.util.Arrays;
import java.util.OptionalInt;

/**
 * Confirmed or unconfirmed data, up or down: MHDR | FHDR | [FPort | FRMPayload] | MIC. The FRMPayload
 * (and in 1.1 the FOpts) are held as on air, that is encrypted; {@code PayloadCipher} decrypts them.
 */
public record DataFrame(MHdr mhdr, FHdr fhdr, OptionalInt fPort, byte[] frmPayload, Mic mic) implements PhyPayload {

    /** MHDR + FHDR without FOpts + MIC. */
    public static final int MIN_SIZE = 12;

    public DataFrame {
        if (!mhdr.mType().isDataFrame()) {
            throw new LorawanFormatException("data frame: MHDR has MType " + mhdr.mType().displayName());
        }
        if (fPort.isPresent() && (fPort.getAsInt() < 0 || fPort.getAsInt() > 255)) {
            throw new LorawanFormatException("data frame: FPort out of range 0..255: " + fPort.getAsInt());
        }
        if (fPort.isEmpty() && frmPayload.length > 0) {
            throw new LorawanFormatException("data frame: FRMPayload without FPort");
        }
        if (fPort.isPresent() && fPort.getAsInt() == 0 && fhdr.fOpts().length > 0) {
            throw new LorawanFormatException("data frame: FPort 0 with FOpts present (MAC commands in both places)");
        }
        frmPayload = frmPayload.clone();
        if (MIN_SIZE + fhdr.fOpts().length + (fPort.isPresent() ? 1 : 0) + frmPayload.length > MAX_SIZE) {
            throw new LorawanFormatException("data frame: longer than " + MAX_SIZE + " bytes");
        }
    }

    static DataFrame decode(MHdr mhdr, byte[] b) {
        if (b.length < MIN_SIZE) {
            throw new LorawanFormatException("data frame: at least 12 bytes expected, got " + b.length);
        }
        DevAddr devAddr = DevAddr.fromLe(b, 1);
        int fctrl = b[5] & 0xff;
        int fOptsLen = fctrl & 0x0f;
        int fCnt = (int) Bytes.readLe(b, 6, 2);
        int macEnd = b.length - Mic.SIZE;
        if (8 + fOptsLen > macEnd) {
            throw new LorawanFormatException("data frame: FOpts truncated (FOptsLen " + fOptsLen + ", "
                    + (macEnd - 8) + " bytes before the MIC)");
        }
        byte[] fOpts = Arrays.copyOfRange(b, 8, 8 + fOptsLen);
        int pos = 8 + fOptsLen;
        OptionalInt fPort = OptionalInt.empty();
        byte[] payload = new byte[0];
        if (pos < macEnd) {
            fPort = OptionalInt.of(b[pos] & 0xff);
            payload = Arrays.copyOfRange(b, pos + 1, macEnd);
        }
        return new DataFrame(mhdr, new FHdr(devAddr, FCtrl.decode(fctrl), fCnt, fOpts), fPort, payload, Mic.of(b, macEnd));
    }

    public boolean isUplink() {
        return mhdr.mType().isUplink();
    }

    public boolean isConfirmed() {
        return mhdr.mType().isConfirmed();
    }

    @Override
    public byte[] frmPayload() {
        return frmPayload.clone();
    }

    public DataFrame withMic(Mic newMic) {
        return new DataFrame(mhdr, fhdr, fPort, frmPayload, newMic);
    }

    /** MHDR | FHDR | FPort | FRMPayload: the bytes the MIC covers. */
    public byte[] micPayload() {
        byte[] all = encode();
        return Arrays.copyOf(all, all.length - Mic.SIZE);
    }

    @Override
    public byte[] encode() {
        byte[] fOpts = fhdr.fOpts();
        int len = MIN_SIZE + fOpts.length + (fPort.isPresent() ? 1 + frmPayload.length : 0);
        byte[] b = new byte[len];
        b[0] = mhdr.encode();
        fhdr.devAddr().writeLe(b, 1);
        b[5] = (byte) fhdr.fCtrl().encode(fOpts.length);
        Bytes.writeLe(fhdr.fCnt(), b, 6, 2);
        System.arraycopy(fOpts, 0, b, 8, fOpts.length);
        int pos = 8 + fOpts.length;
        if (fPort.isPresent()) {
            b[pos++] = (byte) fPort.getAsInt();
            System.arraycopy(frmPayload, 0, b, pos, frmPayload.length);
        }
        mic.write(b, len - Mic.SIZE);
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DataFrame d && mhdr.equals(d.mhdr) && fhdr.equals(d.fhdr) && fPort.equals(d.fPort)
                && Arrays.equals(frmPayload, d.frmPayload) && mic.equals(d.mic);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }

    @Override
    public String toString() {
        return "DataFrame[" + mhdr.mType().displayName() + ", " + fhdr + ", fPort=" + fPort + ", frmPayload="
                + Hex.format(frmPayload) + ", mic=" + mic + "]";
    }
}
