package io.lorafab.lorawan.types;

import io.lorafab.lorawan.LorawanFormatException;

/** Hexadecimal parsing and formatting, strict: an even number of hex digits, nothing else. */
public final class Hex {
    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {
    }

    /**
     * The low {@code digits} hex digits of {@code value}, most significant first: what {@link #format(byte[])} writes for
     * its big-endian bytes, without making them. EUIs and DevAddrs are written this way many times per join.
     */
    public static String format(long value, int digits) {
        char[] out = new char[digits];
        for (int i = digits - 1; i >= 0; i--) {
            out[i] = DIGITS[(int) (value & 0x0f)];
            value >>>= 4;
        }
        return new String(out);
    }

    public static String format(byte[] bytes) {
        char[] out = new char[bytes.length * 2];
        for (int i = 0; i < bytes.length; i++) {
            out[2 * i] = DIGITS[(bytes[i] >> 4) & 0x0f];
            out[2 * i + 1] = DIGITS[bytes[i] & 0x0f];
        }
        return new String(out);
    }

    /**
     * Parses hex digits (either case). Accepts an optional "0x" prefix; rejects odd lengths and any other
     * character. {@code what} names the value in the error message, e.g. "DevEUI".
     */
    public static byte[] parse(String text, String what) {
        if (text == null) {
            throw new LorawanFormatException(what + ": missing value");
        }
        String s = text.strip();
        if (s.startsWith("0x") || s.startsWith("0X")) {
            s = s.substring(2);
        }
        if (s.length() % 2 != 0) {
            throw new LorawanFormatException(what + ": odd number of hex digits (" + s.length() + ")");
        }
        byte[] out = new byte[s.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = digit(s.charAt(2 * i));
            int lo = digit(s.charAt(2 * i + 1));
            if (hi < 0 || lo < 0) {
                int at = hi < 0 ? 2 * i : 2 * i + 1;
                throw new LorawanFormatException(what + ": not a hex digit at position " + at);
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    /**
     * The value of one ASCII hex digit [0-9a-fA-F], or -1 for any other character. Unlike
     * {@link Character#digit(char, int)} it refuses the other Unicode digits (Arabic-Indic, full-width, ...).
     */
    public static int digit(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    /** Parses exactly {@code length} bytes of hex. */
    public static byte[] parse(String text, String what, int length) {
        byte[] b = parse(text, what);
        if (b.length != length) {
            throw new LorawanFormatException(what + ": expected " + length + " bytes (" + 2 * length
                    + " hex digits), got " + b.length);
        }
        return b;
    }
}
