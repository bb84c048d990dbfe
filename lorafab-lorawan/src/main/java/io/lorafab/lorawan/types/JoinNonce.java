package io.lorafab.lorawan.types;

import io.lorafab.lorawan.LorawanFormatException;

/** The 24-bit JoinNonce (AppNonce in LoRaWAN 1.0) of a join-accept; little-endian on air. */
public record JoinNonce(int value) implements Comparable<JoinNonce> {

    public static final int SIZE = 3;
    public static final int MAX = 0xffffff;

    public JoinNonce {
        if (value < 0 || value > MAX) {
            throw new LorawanFormatException("JoinNonce: out of range 0..16777215: " + value);
        }
    }

    public static JoinNonce of(int value) {
        return new JoinNonce(value);
    }

    public static JoinNonce parse(String text) {
        return new JoinNonce((int) Numbers.parseUnsigned(text, "JoinNonce", MAX));
    }

    public static JoinNonce fromLe(byte[] b, int off) {
        return new JoinNonce((int) Bytes.readLe(b, off, SIZE));
    }

    public void writeLe(byte[] b, int off) {
        Bytes.writeLe(value, b, off, SIZE);
    }

    /** The next JoinNonce; refuses to wrap past 2^24-1. */
    public JoinNonce next() {
        if (value == MAX) {
            throw new LorawanFormatException("JoinNonce: exhausted (2^24-1 reached)");
        }
        return new JoinNonce(value + 1);
    }

    @Override
    public int compareTo(JoinNonce o) {
        return Integer.compare(value, o.value);
    }

    @Override
    public String toString() {
        return Integer.toString(value);
    }
}
