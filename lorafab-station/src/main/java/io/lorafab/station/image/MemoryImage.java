package io.lorafab.station.image;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A sparse memory image: bytes at 32-bit addresses, kept as non-overlapping contiguous segments. What an Intel
 * HEX file describes, and what a binary image is at one base address. An Intel HEX file may also state where
 * execution starts ({@link StartAddress}); the image keeps it so that a patched file still carries it.
 */
public final class MemoryImage {
    private final TreeMap<Long, byte[]> segments = new TreeMap<>();
    private StartAddress startAddress;

    public static MemoryImage ofBinary(long baseAddress, byte[] bytes) {
        MemoryImage m = new MemoryImage();
        m.write(baseAddress, bytes);
        return m;
    }

    /** Writes {@code data} at {@code address}, replacing what was there and joining adjacent segments. */
    public void write(long address, byte[] data) {
        if (address < 0 || address + data.length > 0x1_0000_0000L) {
            throw new ImageFormatException("address range " + Long.toHexString(address) + "+" + data.length + " outside 32 bits");
        }
        if (data.length == 0) {
            return;
        }
        long start = address;
        long end = address + data.length;
        // merge with every segment that overlaps or touches [start, end)
        Map.Entry<Long, byte[]> before = segments.floorEntry(start);
        if (before != null && before.getKey() + before.getValue().length >= start) {
            start = before.getKey();
        }
        NavigableMap<Long, byte[]> touched = segments.subMap(start, true, end, true);
        long mergedEnd = end;
        for (Map.Entry<Long, byte[]> e : touched.entrySet()) {
            mergedEnd = Math.max(mergedEnd, e.getKey() + e.getValue().length);
        }
        byte[] merged = new byte[(int) (mergedEnd - start)];
        for (Map.Entry<Long, byte[]> e : touched.entrySet()) {
            System.arraycopy(e.getValue(), 0, merged, (int) (e.getKey() - start), e.getValue().length);
        }
        System.arraycopy(data, 0, merged, (int) (address - start), data.length);
        touched.clear();
        segments.put(start, merged);
    }

    /** {@code length} bytes from {@code address}; gaps read as {@code fill}. */
    public byte[] read(long address, int length, byte fill) {
        byte[] out = new byte[length];
        Arrays.fill(out, fill);
        for (Map.Entry<Long, byte[]> e : segments.entrySet()) {
            long s = Math.max(address, e.getKey());
            long t = Math.min(address + length, e.getKey() + e.getValue().length);
            if (s < t) {
                System.arraycopy(e.getValue(), (int) (s - e.getKey()), out, (int) (s - address), (int) (t - s));
            }
        }
        return out;
    }

    /** Whether every byte of the range is present in the image. */
    public boolean covers(long address, int length) {
        Map.Entry<Long, byte[]> e = segments.floorEntry(address);
        return e != null && e.getKey() + e.getValue().length >= address + length;
    }

    /** The segments, start address → bytes (copies). */
    public NavigableMap<Long, byte[]> segments() {
        TreeMap<Long, byte[]> copy = new TreeMap<>();
        segments.forEach((k, v) -> copy.put(k, v.clone()));
        return Collections.unmodifiableNavigableMap(copy);
    }

    public long lowestAddress() {
        return segments.isEmpty() ? 0 : segments.firstKey();
    }

    public long endAddress() {
        return segments.isEmpty() ? 0 : segments.lastKey() + segments.lastEntry().getValue().length;
    }

    /** The execution start address the image was given, if any (a binary image has none). */
    public Optional<StartAddress> startAddress() {
        return Optional.ofNullable(startAddress);
    }

    public void setStartAddress(StartAddress startAddress) {
        this.startAddress = Objects.requireNonNull(startAddress, "startAddress");
    }
}
