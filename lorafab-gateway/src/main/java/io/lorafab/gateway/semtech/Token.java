package io.lorafab.gateway.semtech;

import java.util.random.RandomGenerator;

/**
 * The two-byte random token of a datagram (bytes 1 and 2), kept in wire order so that an acknowledgement can
 * echo it verbatim. {@link #tokenLe()} reads it as a little-endian uint16, the way ChirpStack logs it (bytes
 * {@code 7b 00} give 123).
 *
 * @param first  the byte at datagram offset 1
 * @param second the byte at datagram offset 2
 */
public record Token(byte first, byte second) {

    public static final int SIZE = 2;

    /** From the two wire bytes given as unsigned values 0..255. */
    public static Token of(int first, int second) {
        if ((first & ~0xFF) != 0 || (second & ~0xFF) != 0) {
            throw new IllegalArgumentException("token bytes must be 0..255, got " + first + ", " + second);
        }
        return new Token((byte) first, (byte) second);
    }

    /** From a little-endian uint16 (the inverse of {@link #tokenLe()}). */
    public static Token fromLe(int uint16) {
        if ((uint16 & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("token must be a uint16, got " + uint16);
        }
        return new Token((byte) uint16, (byte) (uint16 >>> 8));
    }

    public static Token random(RandomGenerator rng) {
        return fromLe(rng.nextInt(0x10000));
    }

    /** The token as a little-endian uint16: {@code first | second << 8}. */
    public int tokenLe() {
        return (first & 0xFF) | (second & 0xFF) << 8;
    }

    /** The two bytes in wire order. */
    public byte[] toBytes() {
        return new byte[] {first, second};
    }

    /** Four lower-case hex digits in wire order, e.g. {@code 7b00}. */
    @Override
    public String toString() {
        return String.format("%02x%02x", first & 0xFF, second & 0xFF);
    }
}
