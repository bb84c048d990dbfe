package io.lorafab.lorawan.frame;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.types.Hex;
import java.util.Arrays;

/** A proprietary frame (MType 111): the MHDR and an opaque payload whose layout the vendor defines. */
public record Proprietary(MHdr mhdr, byte[] payload) implements PhyPayload {

    public Proprietary {
        if (mhdr.mType() != MType.PROPRIETARY) {
            throw new LorawanFormatException("proprietary: MHDR has MType " + mhdr.mType().displayName());
        }
        if (payload.length + 1 > MAX_SIZE) {
            throw new LorawanFormatException("proprietary: longer than " + MAX_SIZE + " bytes");
        }
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public byte[] encode() {
        byte[] b = new byte[1 + payload.length];
        b[0] = mhdr.encode();
        System.arraycopy(payload, 0, b, 1, payload.length);
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Proprietary p && mhdr.equals(p.mhdr) && Arrays.equals(payload, p.payload);
    }

    @Override
    public int hashCode() {
        return 31 * mhdr.hashCode() + Arrays.hashCode(payload);
    }

    @Override
    public String toString() {
        return "Proprietary[" + Hex.format(encode()) + "]";
    }
}
