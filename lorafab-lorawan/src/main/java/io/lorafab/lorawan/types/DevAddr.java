package io.lorafab.lorawan.types;

import io.lorafab.lorawan.LorawanFormatException;

/** A 32-bit device address; MSB first in text, little-endian on air. */
public record DevAddr(int value) {

    public static final int SIZE = 4;

    public static DevAddr of(int value) {
        return new DevAddr(value);
    }

    public static DevAddr parse(String text) {
        if (text == null) {
            throw new LorawanFormatException("DevAddr: missing value");
        }
        return new DevAddr((int) Bytes.readBe(Hex.parse(text, "DevAddr", SIZE), 0, SIZE));
    }

    public static DevAddr fromLe(byte[] b, int off) {
        return new DevAddr((int) Bytes.readLe(b, off, SIZE));
    }

    public void writeLe(byte[] b, int off) {
        Bytes.writeLe(value, b, off, SIZE);
    }

    public byte[] toBytes() {
        byte[] b = new byte[SIZE];
        Bytes.writeBe(value, b, 0, SIZE);
        return b;
    }

    /** The NetID type encoded by the address prefix (the count of leading one bits), or -1 if invalid (eight ones). */
    public int netIdType() {
        int ones = Integer.numberOfLeadingZeros(~value);
        return ones <= 7 ? ones : -1;
    }

    @Override
    public String toString() {
        return Hex.format(value & 0xffff_ffffL, 2 * SIZE);
    }
}
