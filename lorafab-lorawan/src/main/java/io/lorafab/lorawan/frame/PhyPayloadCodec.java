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
     * {@code rxpk.data}); a string of only hex digits and even length (or with a 0x prefix) is taken as hex,
     * anything else as base64 of a frame. Text that is neither gets an error that names its fault: the bad
     * hex character or odd length when the text is nearly all hex digits (a mistyped hex frame), else the
     * character outside the base64 alphabet, the bad padding, or why the base64 bytes are not a frame.
     */
    public static byte[] parseText(String text) {
        if (text == null || text.isBlank()) {
            throw new LorawanFormatException("PHYPayload: empty");
        }
        String s = text.strip();
        boolean prefixed = s.startsWith("0x") || s.startsWith("0X");
        String hexFault = hexFault(s, prefixed ? 2 : 0);
        if (hexFault == null) {
            return Hex.parse(s, "PHYPayload");
        }
        if (prefixed) {
            // base64 starting with "0x" or "0X" decodes to an MHDR with Major 3 or 1: never a frame
            throw new LorawanFormatException("PHYPayload: not hex: " + hexFault);
        }
        String base64Fault = base64Fault(s);
        byte[] b = null;
        String frameFault = null;
        if (base64Fault == null) {
            b = Base64.getDecoder().decode(s);
            try {
                decode(b);
                return b;
            } catch (LorawanFormatException e) {
                frameFault = e.getMessage();
            }
        }
        if (mostlyHexDigits(s)) {
            throw new LorawanFormatException("PHYPayload: not hex: " + hexFault
                    + " (and not base64 that decodes to a frame either)");
        }
        if (base64Fault != null) {
            throw new LorawanFormatException("PHYPayload: invalid base64: " + base64Fault
                    + " (and not hex either: " + hexFault + ")");
        }
        throw new LorawanFormatException("PHYPayload: base64 of " + b.length + (b.length == 1 ? " byte" : " bytes")
                + " that is not a frame (" + frameFault + "), and not hex either: " + hexFault);
    }

    /** Why {@code s} (from index {@code from}, after any 0x) is not an even number of hex digits, or null. */
    private static String hexFault(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            if (Hex.digit(s.charAt(i)) < 0) {
                return character(s.charAt(i)) + " at position " + i;
            }
        }
        int digits = s.length() - from;
        if (digits == 0) {
            return "no digits after 0x";
        }
        return digits % 2 == 0 ? null : "odd number of hex digits (" + digits + ")";
    }

    /** Why {@code s} is not standard base64 (RFC 4648 section 4; the '=' padding may be left out), or null. */
    private static String base64Fault(String s) {
        int pad = s.indexOf('=');
        int body = pad < 0 ? s.length() : pad;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (i >= body && c == '=') {
                continue;
            }
            if (!isBase64(c)) {
                return character(c) + " at position " + i + " is not in the base64 alphabet";
            }
            if (i >= body) {
                return "'=' at position " + body + " before the end";
            }
        }
        if (s.length() - body > 2) {
            return "more than two '=' at the end";
        }
        if (body % 4 == 1) {
            return body + " characters cannot encode whole bytes (4k+1)";
        }
        if (body < s.length() && s.length() % 4 != 0) {
            return s.length() + " characters with '=' padding, not a multiple of 4";
        }
        return null;
    }

    private static boolean isBase64(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    }

    /** At least nine in ten characters are hex digits: a hex frame with a typo rather than base64. */
    private static boolean mostlyHexDigits(String s) {
        int other = 0;
        for (int i = 0; i < s.length(); i++) {
            if (Hex.digit(s.charAt(i)) < 0) {
                other++;
            }
        }
        return other * 10 <= s.length();
    }

    /** A character for an error message: quoted when printable ASCII, else its code point. */
    private static String character(char c) {
        return c >= 0x20 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }
}
