package io.lorafab.lorawan.types;

import io.lorafab.lorawan.LorawanFormatException;

/** A 4-byte message integrity code, held in transmission order (the first byte on air is the top byte). */
public record Mic(int value) {

    public static final int SIZE = 4;

    public static Mic of(byte[] b, int off) {
        return new Mic((int) Bytes.readBe(b, off, SIZE));
    }

    /** The first four bytes of a CMAC. */
    public static Mic ofCmac(byte[] cmac) {
        return of(cmac, 0);
    }

    public static Mic parse(String hex) {
        return of(Hex.parse(hex, "MIC", SIZE), 0);
    }

    public void write(byte[] b, int off) {
        Bytes.writeBe(value, b, off, SIZE);
    }

    public byte[] toBytes() {
        byte[] b = new byte[SIZE];
        write(b, 0);
        return b;
    }

    @Override
    public String toString() {
        return Hex.format(toBytes());
    }
}
