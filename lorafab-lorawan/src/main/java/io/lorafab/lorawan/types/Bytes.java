package io.lorafab.lorawan.types;

/** Little-endian and big-endian integer helpers for the wire formats. */
public final class Bytes {
    private Bytes() {
    }

    public static byte[] reverse(byte[] in) {
        byte[] out = new byte[in.length];
        for (int i = 0; i < in.length; i++) {
            out[i] = in[in.length - 1 - i];
        }
        return out;
    }

    /** Reads an unsigned little-endian integer of {@code len} bytes (len at most 8). */
    public static long readLe(byte[] b, int off, int len) {
        long v = 0;
        for (int i = len - 1; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xffL);
        }
        return v;
    }

    /** Writes the {@code len} low bytes of {@code v} little-endian. */
    public static void writeLe(long v, byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    public static long readBe(byte[] b, int off, int len) {
        long v = 0;
        for (int i = 0; i < len; i++) {
            v = (v << 8) | (b[off + i] & 0xffL);
        }
        return v;
    }

    public static void writeBe(long v, byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
            b[off + len - 1 - i] = (byte) (v >>> (8 * i));
        }
    }

    /** Constant-time comparison, for MICs and keys. */
    public static boolean constantTimeEquals(byte[] a, byte[] b) {
        return java.security.MessageDigest.isEqual(a, b);
    }
}
