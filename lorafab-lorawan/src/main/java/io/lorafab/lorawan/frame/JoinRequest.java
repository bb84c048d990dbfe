package io.lorafab.lorawan.frame;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.types.DevNonce;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.Mic;

/** Join-request: MHDR | JoinEUI | DevEUI | DevNonce | MIC, 23 bytes. */
public record JoinRequest(MHdr mhdr, Eui64 joinEui, Eui64 devEui, DevNonce devNonce, Mic mic) implements PhyPayload {

    public static final int SIZE = 23;

    public JoinRequest {
        if (mhdr.mType() != MType.JOIN_REQUEST) {
            throw new LorawanFormatException("join-request: MHDR has MType " + mhdr.mType().displayName());
        }
    }

    public JoinRequest(Eui64 joinEui, Eui64 devEui, DevNonce devNonce, Mic mic) {
        this(MHdr.of(MType.JOIN_REQUEST), joinEui, devEui, devNonce, mic);
    }

    static JoinRequest decode(MHdr mhdr, byte[] b) {
        if (b.length != SIZE) {
            throw new LorawanFormatException("join-request: expected 23 bytes, got " + b.length);
        }
        return new JoinRequest(mhdr, Eui64.fromLe(b, 1), Eui64.fromLe(b, 9), DevNonce.fromLe(b, 17), Mic.of(b, 19));
    }

    /** MHDR | JoinEUI | DevEUI | DevNonce: the bytes the MIC covers. */
    public byte[] micPayload() {
        byte[] b = new byte[SIZE - Mic.SIZE];
        writeFields(b);
        return b;
    }

    /** The same request with another MIC. */
    public JoinRequest withMic(Mic newMic) {
        return new JoinRequest(mhdr, joinEui, devEui, devNonce, newMic);
    }

    @Override
    public byte[] encode() {
        byte[] b = new byte[SIZE];
        writeFields(b);
        mic.write(b, 19);
        return b;
    }

    private void writeFields(byte[] b) {
        b[0] = mhdr.encode();
        joinEui.writeLe(b, 1);
        devEui.writeLe(b, 9);
        devNonce.writeLe(b, 17);
    }
}
