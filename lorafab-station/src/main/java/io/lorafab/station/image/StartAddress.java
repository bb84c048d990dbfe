package io.lorafab.station.image;

import java.util.Locale;

/**
 * Where execution starts once an image is loaded, as an Intel HEX file states it: a start segment address
 * (record type 03, the 8086's CS:IP) or a start linear address (record type 05, a 32-bit EIP, what
 * arm-none-eabi-objcopy writes for a Cortex-M firmware). Kept as the file gave it, so that it is written back as
 * the same record type.
 */
public sealed interface StartAddress {

    /** Record type 03: code segment and instruction pointer, 16 bits each. */
    record Segment(int cs, int ip) implements StartAddress {
        public Segment {
            if (cs < 0 || cs > 0xFFFF || ip < 0 || ip > 0xFFFF) {
                throw new IllegalArgumentException("CS and IP are 16-bit values, got " + Integer.toHexString(cs) + ":" + Integer.toHexString(ip));
            }
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "start segment address %04X:%04X", cs, ip);
        }
    }

    /** Record type 05: a 32-bit linear address (EIP). */
    record Linear(long eip) implements StartAddress {
        public Linear {
            if (eip < 0 || eip > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("EIP is a 32-bit value, got " + Long.toHexString(eip));
            }
        }

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "start linear address %08X", eip);
        }
    }
}
