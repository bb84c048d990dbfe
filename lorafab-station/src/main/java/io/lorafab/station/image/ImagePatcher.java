package io.lorafab.station.image;

/**
 * Puts a unit's identity block into a firmware image at the configured address: into an Intel HEX image (the
 * block becomes part of the memory map), or into a binary image loaded at {@code baseAddress}. The address must
 * be inside the binary (a block past its end would not be flashed). A HEX image's start address record is kept.
 */
public final class ImagePatcher {
    private ImagePatcher() {
    }

    public static String patchHex(String hex, long address, IdentityBlock block) {
        MemoryImage image = IntelHex.read(hex);
        image.write(address, block.encode());
        return IntelHex.write(image, 16);
    }

    public static byte[] patchBinary(byte[] binary, long baseAddress, long address, IdentityBlock block) {
        long offset = address - baseAddress;
        if (offset < 0 || offset + IdentityBlock.SIZE > binary.length) {
            throw new ImageFormatException("identity block at 0x" + Long.toHexString(address) + " is outside the binary image (0x"
                    + Long.toHexString(baseAddress) + " + " + binary.length + " bytes)");
        }
        byte[] out = binary.clone();
        System.arraycopy(block.encode(), 0, out, (int) offset, IdentityBlock.SIZE);
        return out;
    }
}
