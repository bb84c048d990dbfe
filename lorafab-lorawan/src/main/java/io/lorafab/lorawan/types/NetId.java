package io.lorafab.lorawan.types;

import io.lorafab.lorawan.LorawanFormatException;

/**
 * A 24-bit LoRa Alliance NetID. Its three top bits are the type (0..7), which fixes how many bits of the
 * NetID form the NwkID placed in every DevAddr of that network, and how long the DevAddr prefix is
 * (LoRaWAN Backend Interfaces, DevAddr and NetID tables, as amended by its 1.0.1 errata).
 */
public record NetId(int value) {

    public static final int SIZE = 3;
    /** NwkID length in bits for NetID types 0..7. */
    private static final int[] NWK_ID_BITS = {6, 6, 9, 11, 12, 13, 15, 17};

    public NetId {
        if (value < 0 || value > 0xffffff) {
            throw new LorawanFormatException("NetID: out of range (24 bits): " + value);
        }
    }

    public static NetId of(int value) {
        return new NetId(value);
    }

    public static NetId parse(String text) {
        return new NetId((int) Bytes.readBe(Hex.parse(text, "NetID", SIZE), 0, SIZE));
    }

    public static NetId fromLe(byte[] b, int off) {
        return new NetId((int) Bytes.readLe(b, off, SIZE));
    }

    public void writeLe(byte[] b, int off) {
        Bytes.writeLe(value, b, off, SIZE);
    }

    public byte[] toBytes() {
        byte[] b = new byte[SIZE];
        Bytes.writeBe(value, b, 0, SIZE);
        return b;
    }

    /** The NetID type, 0..7. */
    public int type() {
        return value >>> 21;
    }

    /** The NwkID: the low bits of the NetID carried inside DevAddrs of this network. */
    public int nwkId() {
        return value & ((1 << NWK_ID_BITS[type()]) - 1);
    }

    /** Bits of the DevAddr prefix: the type prefix (type + 1 bits) followed by the NwkID. */
    public int devAddrPrefixLength() {
        return type() + 1 + NWK_ID_BITS[type()];
    }

    /** The DevAddr prefix as the top bits of a 32-bit address (all other bits zero). */
    public DevAddr devAddrPrefix() {
        int t = type();
        int typePrefix = ((1 << t) - 1) << 1; // t ones then a zero: "0", "10", "110", ...
        long prefix = ((long) typePrefix << NWK_ID_BITS[t]) | nwkId();
        int shift = 32 - devAddrPrefixLength();
        return new DevAddr((int) (prefix << shift));
    }

    /** Number of bits left for the NwkAddr. */
    public int nwkAddrBits() {
        return 32 - devAddrPrefixLength();
    }

    /** The DevAddr with this network's prefix and the given NwkAddr. */
    public DevAddr devAddr(long nwkAddr) {
        int bits = nwkAddrBits();
        if (nwkAddr < 0 || nwkAddr >= (1L << bits)) {
            throw new LorawanFormatException("NwkAddr " + nwkAddr + " does not fit in " + bits + " bits for NetID " + this);
        }
        return new DevAddr(devAddrPrefix().value() | (int) nwkAddr);
    }

    /** Whether {@code addr} carries this network's prefix. */
    public boolean owns(DevAddr addr) {
        int len = devAddrPrefixLength();
        int mask = (int) (0xffffffffL << (32 - len));
        return (addr.value() & mask) == devAddrPrefix().value();
    }

    @Override
    public String toString() {
        return Hex.format(toBytes());
    }
}
