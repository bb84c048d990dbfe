package io.lorafab.gateway.semtech;

import java.util.Arrays;
import java.util.Base64;

/**
 * Strict base64 for the {@code data} fields: standard alphabet (RFC 4648 section 4), padding optional,
 * nothing else (no whitespace, no URL-safe {@code -}/{@code _}). Unused low bits of the last character are
 * ignored. Encoding writes the padded form.
 */
final class Base64Data {
    private static final int[] VALUES = new int[128];

    static {
        Arrays.fill(VALUES, -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (int i = 0; i < alphabet.length(); i++) {
            VALUES[alphabet.charAt(i)] = i;
        }
    }

    private Base64Data() {
    }

    static String encode(byte[] data) {
        return Base64.getEncoder().encodeToString(data);
    }

    /** Decodes {@code s}; {@code path} names the field in error messages. */
    static byte[] decode(String s, String path) {
        int end = s.length();
        int pad = 0;
        while (end > 0 && s.charAt(end - 1) == '=') {
            end--;
            pad++;
        }
        if (pad > 2) {
            throw new SemtechProtocolException(path + ": invalid base64: " + pad + " '=' padding characters");
        }
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            if (value(c) < 0) {
                String hint = c == '-' || c == '_' ? " (URL-safe base64 is not accepted)" : "";
                throw new SemtechProtocolException(path + ": invalid base64 character " + describe(c) + " at offset "
                        + i + hint);
            }
        }
        int rem = end % 4;
        if (rem == 1) {
            throw new SemtechProtocolException(path + ": invalid base64 length: " + end
                    + " characters (a single character cannot encode a byte)");
        }
        if (pad > 0 && (end + pad) % 4 != 0) {
            throw new SemtechProtocolException(path + ": invalid base64 padding: " + pad + " '=' after " + end
                    + " characters");
        }
        byte[] out = new byte[end / 4 * 3 + (rem == 0 ? 0 : rem - 1)];
        int o = 0;
        int i = 0;
        for (; i + 4 <= end; i += 4) {
            int v = value(s.charAt(i)) << 18 | value(s.charAt(i + 1)) << 12 | value(s.charAt(i + 2)) << 6
                    | value(s.charAt(i + 3));
            out[o++] = (byte) (v >> 16);
            out[o++] = (byte) (v >> 8);
            out[o++] = (byte) v;
        }
        if (rem >= 2) {
            int v = value(s.charAt(i)) << 18 | value(s.charAt(i + 1)) << 12;
            if (rem == 3) {
                v |= value(s.charAt(i + 2)) << 6;
            }
            out[o++] = (byte) (v >> 16);
            if (rem == 3) {
                out[o++] = (byte) (v >> 8);
            }
        }
        return out;
    }

    private static int value(char c) {
        return c < 128 ? VALUES[c] : -1;
    }

    private static String describe(char c) {
        if (c == '=') {
            return "'=' (padding inside the data)";
        }
        return c >= 0x21 && c < 0x7f ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }
}
