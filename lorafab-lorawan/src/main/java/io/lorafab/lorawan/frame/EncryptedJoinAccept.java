package io.lorafab.lorawan.frame;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.types.Hex;
import java.util.Arrays;

/**
 * A join-accept as it travels: MHDR followed by 16 or 32 encrypted bytes (the fields, the optional CFList
 * and the MIC). Decrypt with {@code JoinAcceptCipher} to get a {@link JoinAccept}.
 */
public record EncryptedJoinAccept(MHdr mhdr, byte[] ciphertext) implements PhyPayload {

    public EncryptedJoinAccept {
        if (mhdr.mType() != MType.JOIN_ACCEPT) {
            throw new LorawanFormatException("join-accept: MHDR has MType " + mhdr.mType().displayName());
        }
        if (ciphertext.length != 16 && ciphertext.length != 32) {
            throw new LorawanFormatException("join-accept: expected 17 or 33 bytes, got " + (ciphertext.length + 1));
        }
        ciphertext = ciphertext.clone();
    }

    static EncryptedJoinAccept decode(MHdr mhdr, byte[] b) {
        if (b.length != 17 && b.length != 33) {
            throw new LorawanFormatException("join-accept: expected 17 or 33 bytes, got " + b.length);
        }
        return new EncryptedJoinAccept(mhdr, Arrays.copyOfRange(b, 1, b.length));
    }

    @Override
    public byte[] ciphertext() {
        return ciphertext.clone();
    }

    public boolean hasCfList() {
        return ciphertext.length == 32;
    }

    @Override
    public byte[] encode() {
        byte[] b = new byte[1 + ciphertext.length];
        b[0] = mhdr.encode();
        System.arraycopy(ciphertext, 0, b, 1, ciphertext.length);
        return b;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncryptedJoinAccept e && mhdr.equals(e.mhdr) && Arrays.equals(ciphertext, e.ciphertext);
    }

    @Override
    public int hashCode() {
        return 31 * mhdr.hashCode() + Arrays.hashCode(ciphertext);
    }

    @Override
    public String toString() {
        return "EncryptedJoinAccept[" + Hex.format(encode()) + "]";
    }
}
