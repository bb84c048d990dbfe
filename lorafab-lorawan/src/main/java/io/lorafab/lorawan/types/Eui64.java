package io.lorafab.lorawan.types;

import io.lorafab.lorawan.LorawanFormatException;

/**
 * An IEEE EUI-64 (DevEUI, JoinEUI, gateway EUI). Held as its MSB-first numeric value; written MSB first in
 * text and little-endian on air.
 */
public record Eui64(long value) implements Comparable<Eui64> {

    public static final int SIZE = 8;

    public static Eui64 of(long value) {
        return new Eui64(value);
    }

    /** Parses 16 hex digits, MSB first; '-' and ':' separators between byte pairs are accepted. */
    public static Eui64 parse(String text) {
        if (text == null) {
            throw new LorawanFormatException("EUI-64: missing value");
        }
        String s = text.strip().replace("-", "").replace(":", "");
        return new Eui64(Bytes.readBe(Hex.parse(s, "EUI-64", SIZE), 0, SIZE));
    }

    /** From 8 bytes in MSB-first (display) order. */
    public static Eui64 fromBytes(byte[] msb) {
        if (msb.length != SIZE) {
            throw new LorawanFormatException("EUI-64: expected 8 bytes, got " + msb.length);
        }
        return new Eui64(Bytes.readBe(msb, 0, SIZE));
    }

    /** From 8 bytes in on-air (little-endian) order at {@code off}. */
    public static Eui64 fromLe(byte[] b, int off) {
        return new Eui64(Bytes.readLe(b, off, SIZE));
    }

    public byte[] toBytes() {
        byte[] b = new byte[SIZE];
        Bytes.writeBe(value, b, 0, SIZE);
        return b;
    }

    public void writeLe(byte[] b, int off) {
        Bytes.writeLe(value, b, off, SIZE);
    }

    public boolean isAllZero() {
        return value == 0L;
    }

    public boolean isAllOnes() {
        return value == -1L;
    }

    @Override
    public int compareTo(Eui64 o) {
        return Long.compareUnsigned(value, o.value);
    }

    @Override
    public String toString() {
        return Hex.format(value, 2 * SIZE);
    }
}
