package io.lorafab.station.image;

import java.util.Arrays;

/**
 * The identity block on its own, for identity-only flashing beside a firmware programmed once: the block's bytes
 * (written at the identity address), and the flash page(s) that hold it with every other byte at the erased value,
 * as a binary (written at the page's start) or as Intel HEX holding just those records. Tools that erase the whole
 * page they write to (st-flash, esptool, OpenOCD's {@code program}) would clear the rest of the page anyway; handing
 * them the page makes that explicit, so the block's page must hold nothing else.
 */
public final class IdentityImage {
    private IdentityImage() {
    }

    /** The first address of the page that holds {@code address}. */
    public static long pageStart(long address, int pageSize) {
        requirePageSize(pageSize);
        return address - Math.floorMod(address, (long) pageSize);
    }

    /** How many bytes the pages holding the block span, from {@link #pageStart}. */
    public static int pagedLength(long address, int pageSize) {
        long start = pageStart(address, pageSize);
        long end = address + IdentityBlock.SIZE;
        long pages = (end - start + pageSize - 1) / pageSize;
        return (int) (pages * pageSize);
    }

    /** The page(s) holding the block, the rest at {@code erased}. */
    public static byte[] pageBinary(byte[] block, long address, int pageSize, byte erased) {
        if (block.length != IdentityBlock.SIZE) {
            throw new ImageFormatException("identity block: expected " + IdentityBlock.SIZE + " bytes, got " + block.length);
        }
        long start = pageStart(address, pageSize);
        byte[] page = new byte[pagedLength(address, pageSize)];
        Arrays.fill(page, erased);
        System.arraycopy(block, 0, page, (int) (address - start), block.length);
        return page;
    }

    /** The page(s) holding the block as Intel HEX: only those records, then the end-of-file record. */
    public static String pageHex(byte[] block, long address, int pageSize, byte erased) {
        MemoryImage m = MemoryImage.ofBinary(pageStart(address, pageSize), pageBinary(block, address, pageSize, erased));
        return IntelHex.write(m, 16);
    }

    private static void requirePageSize(int pageSize) {
        if (pageSize < 1 || pageSize > 1 << 20) {
            throw new ImageFormatException("flash page size: expected 1 to 1048576 bytes, got " + pageSize);
        }
    }
}
