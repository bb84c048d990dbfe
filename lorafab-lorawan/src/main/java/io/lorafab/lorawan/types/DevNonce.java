package io.lorafab.lorawan.types;

import io.lorafab.lorawan.LorawanFormatException;

/** The 16-bit DevNonce of a join-request; little-endian on air. */
public record DevNonce(int value) implements Comparable<DevNonce> {

    public static final int SIZE = 2;
    public static final int MAX = 0xffff;

    public DevNonce {
        if (value < 0 || value > MAX) {
            throw new LorawanFormatException("DevNonce: out of range 0..65535: " + value);
        }
    }

    public static DevNonce of(int value) {
        return new DevNonce(value);
    }

    /** Parses a decimal integer, or hex with a 0x prefix (MSB first). */
    public static DevNonce parse(String text) {
        return new DevNonce((int) Numbers.parseUnsigned(text, "DevNonce", MAX));
    }

    public static DevNonce fromLe(byte[] b, int off) {
        return new DevNonce((int) Bytes.readLe(b, off, SIZE));
    }

    public void writeLe(byte[] b, int off) {
        Bytes.writeLe(value, b, off, SIZE);
    }

    @Override
    public int compareTo(DevNonce o) {
        return Integer.compare(value, o.value);
    }

    @Override
    public String toString() {
        return Integer.toString(value);
    }
}
