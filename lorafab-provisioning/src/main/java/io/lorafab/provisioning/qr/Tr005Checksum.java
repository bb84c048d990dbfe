package io.lorafab.provisioning.qr;

import io.lorafab.lorawan.LorawanFormatException;

/**
 * The TR005 CheckSum extension field: a CRC-16 over every character of the code before the {@code ":C"} that
 * introduces it, written as 4 upper-case hex digits.
 *
 * <p>The variant is CRC-16/MODBUS: polynomial 0x8005 processed bit-reflected (0xA001), initial value 0xFFFF,
 * input and output reflected, no final XOR; check value over the ASCII bytes of "123456789" is 0x4B37. It is
 * computed over the ASCII byte of each character exactly as it appears in the code (no case folding). This is
 * the variant that reproduces the example code of the TR005 document,
 * {@code LW:D0:1122334455667788:AABBCCDDEEFF0011:AABB1122:OAABBCCDDEEFF:SYYWWNNNNNN:PFOOBAR:CAF2C}; of the
 * catalogued CRC-16 variants only MODBUS gives AF2C over the characters before ":C".
 */
public final class Tr005Checksum {

    private Tr005Checksum() {
    }

    /** CRC-16/MODBUS of the characters of {@code text}, which must all be ASCII. */
    public static int crc16(CharSequence text) {
        int crc = 0xffff;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c > 0x7f) {
                throw new LorawanFormatException("TR005: checksum input is not ASCII at position " + i);
            }
            crc ^= c;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
            }
        }
        return crc;
    }

    /** The CheckSum field value (without its 'C' tag) for a code whose characters before ":C" are {@code text}. */
    public static String of(CharSequence text) {
        return String.format("%04X", crc16(text));
    }
}
