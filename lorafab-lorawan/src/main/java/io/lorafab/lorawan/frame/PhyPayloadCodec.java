package io.lorafab.lorawan.frame;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.types.Hex;
import java.util.Arrays;
import java.util.Base64;

/** Decodes any PHYPayload by its MType. Every failure is a {@link LorawanFormatException}. */
public final class PhyPayloadCodec {
    private PhyPayloadCodec() {
    }

    public static PhyPayload decode(byte[] b) {
        if (b == null || b.length == 0) {
            throw new LorawanFormatException("PHYPayload: empty");
        }
        if (b.length > PhyPayload.MAX_SIZE) {
            throw new LorawanFormatException("PHYPayload: " + b.length + " bytes, longer than " + PhyPayload.MAX_SIZE);
        }
        MHdr mhdr = MHdr.decode(b[0] & 0xff);
        switch (mhdr.mType()) {
            case JOIN_REQUEST:
                return JoinRequest.decode(mhdr, b);
            case JOIN_ACCEPT:
                return EncryptedJoinAccept.decode(mhdr, b);
            case REJOIN_REQUEST:
                return RejoinRequest.decode(mhdr, b);
            case PROPRIETARY:
                return new Proprietary(mhdr, Arrays.copyOfRange(b, 1, b.length));
            default:
                return DataFrame.decode(mhdr, b);
        }
    }

    /**
     * Reads a PHYPayload written as hex (as printed by network servers) or base64 (as in a packet forwarder's
     * {@code rxpk.data}); a string of only hex digits and even length is taken as hex.
     */
    public static byte[] parseText(String text) {
        if (text == null || text.isBlank()) {
            throw new LorawanFormatException("PHYPayload: empty");
        }
        String s = text.strip();
        if (s.matches("(0[xX])?[0-9a-fA-F]+") && s.length() % 2 == 0) {
            return Hex.parse(s, "PHYPayload");
        }
        try {
            byte[] b = Base64.getDecoder().decode(s);
            if (b.length == 0) {
                throw new LorawanFormatException("PHYPayload: empty");
            }
            return b;
        } catch (IllegalArgumentException e) {
            throw new LorawanFormatException("PHYPayload: neither hex nor base64 (" + e.getMessage() + ")");
        }
    }
}
