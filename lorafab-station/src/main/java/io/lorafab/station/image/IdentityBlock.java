package io.lorafab.station.image;

import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Bytes;
import io.lorafab.lorawan.types.Eui64;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The per-device identity block the firmware reads at boot, layout version 1 (92 bytes, little-endian
 * integers, EUIs and keys in the MSB-first order they are printed in):
 *
 * <pre>
 * off len field
 *   0   4 magic "LFID"
 *   4   1 layout version (1)
 *   5   1 flags: bit 0 = NwkKey present (LoRaWAN 1.1)
 *   6   2 reserved (0)
 *   8   8 DevEUI
 *  16   8 JoinEUI
 *  24  16 AppKey
 *  40  16 NwkKey (zeros when absent)
 *  56  32 serial number, ASCII, NUL-padded
 *  88   4 CRC-32 (IEEE, as zlib) of bytes 0..87
 * </pre>
 */
public record IdentityBlock(Eui64 devEui, Eui64 joinEui, AesKey appKey, Optional<AesKey> nwkKey, String serial) {

    public static final int SIZE = 92;
    private static final byte[] MAGIC = {'L', 'F', 'I', 'D'};

    public IdentityBlock {
        if (serial.getBytes(StandardCharsets.US_ASCII).length > 32 || !serial.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new ImageFormatException("identity block: the serial number must be at most 32 printable ASCII characters");
        }
    }

    public byte[] encode() {
        byte[] b = new byte[SIZE];
        System.arraycopy(MAGIC, 0, b, 0, 4);
        b[4] = 1;
        b[5] = (byte) (nwkKey.isPresent() ? 1 : 0);
        System.arraycopy(devEui.toBytes(), 0, b, 8, 8);
        System.arraycopy(joinEui.toBytes(), 0, b, 16, 8);
        System.arraycopy(appKey.bytes(), 0, b, 24, 16);
        nwkKey.ifPresent(k -> System.arraycopy(k.bytes(), 0, b, 40, 16));
        byte[] s = serial.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(s, 0, b, 56, s.length);
        CRC32 crc = new CRC32();
        crc.update(b, 0, 88);
        Bytes.writeLe(crc.getValue(), b, 88, 4);
        return b;
    }

    /** Reads a block back (read-back check after flashing); a bad magic, version or CRC is refused. */
    public static IdentityBlock decode(byte[] b) {
        if (b.length != SIZE) {
            throw new ImageFormatException("identity block: expected " + SIZE + " bytes, got " + b.length);
        }
        for (int i = 0; i < 4; i++) {
            if (b[i] != MAGIC[i]) {
                throw new ImageFormatException("identity block: no LFID magic");
            }
        }
        if (b[4] != 1) {
            throw new ImageFormatException("identity block: unknown layout version " + b[4]);
        }
        CRC32 crc = new CRC32();
        crc.update(b, 0, 88);
        if (crc.getValue() != Bytes.readLe(b, 88, 4)) {
            throw new ImageFormatException("identity block: CRC-32 mismatch");
        }
        byte[] eui = new byte[8];
        System.arraycopy(b, 8, eui, 0, 8);
        Eui64 dev = Eui64.fromBytes(eui);
        System.arraycopy(b, 16, eui, 0, 8);
        Eui64 join = Eui64.fromBytes(eui);
        byte[] k = new byte[16];
        System.arraycopy(b, 24, k, 0, 16);
        AesKey app = AesKey.of(k);
        Optional<AesKey> nwk = Optional.empty();
        if ((b[5] & 1) != 0) {
            System.arraycopy(b, 40, k, 0, 16);
            nwk = Optional.of(AesKey.of(k));
        }
        int end = 56;
        while (end < 88 && b[end] != 0) {
            end++;
        }
        return new IdentityBlock(dev, join, app, nwk, new String(b, 56, end - 56, StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return "IdentityBlock[devEui=" + devEui + ", joinEui=" + joinEui + ", serial=" + serial + ", keys=redacted]";
    }
}
