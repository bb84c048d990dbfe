package io.lorafab.station.image;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * Intel HEX (I8HEX/I16HEX/I32HEX) reading and writing. Records: 00 data, 01 end of file, 02 extended segment
 * address, 03 start segment address, 04 extended linear address, 05 start linear address. Every record's
 * checksum is verified; anything wrong is an {@link ImageFormatException} naming the line. A start address
 * record (03 or 05) is kept as the image's {@link StartAddress} and written back as the same record type just
 * before the end-of-file record; a file may repeat it, but a second, different one is refused.
 */
public final class IntelHex {
    private IntelHex() {
    }

    public static MemoryImage read(String text) {
        MemoryImage image = new MemoryImage();
        long base = 0;
        boolean eof = false;
        int startLine = 0;
        String[] lines = text.split("\r?\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            int lineNo = n + 1;
            if (line.isEmpty()) {
                continue;
            }
            if (eof) {
                throw new ImageFormatException("line " + lineNo + ": data after the end-of-file record");
            }
            if (line.charAt(0) != ':' || line.length() < 11 || line.length() % 2 == 0) {
                throw new ImageFormatException("line " + lineNo + ": not an Intel HEX record");
            }
            byte[] rec = new byte[(line.length() - 1) / 2];
            for (int i = 0; i < rec.length; i++) {
                int hi = Character.digit(line.charAt(1 + 2 * i), 16);
                int lo = Character.digit(line.charAt(2 + 2 * i), 16);
                if (hi < 0 || lo < 0) {
                    throw new ImageFormatException("line " + lineNo + ": not a hex digit");
                }
                rec[i] = (byte) (hi << 4 | lo);
            }
            int count = rec[0] & 0xff;
            if (rec.length != count + 5) {
                throw new ImageFormatException("line " + lineNo + ": byte count " + count + " does not match the record length");
            }
            int sum = 0;
            for (byte b : rec) {
                sum += b & 0xff;
            }
            if ((sum & 0xff) != 0) {
                throw new ImageFormatException("line " + lineNo + ": checksum mismatch");
            }
            int offset = u16(rec, 1);
            int type = rec[3] & 0xff;
            switch (type) {
                case 0x00: {
                    byte[] data = new byte[count];
                    System.arraycopy(rec, 4, data, 0, count);
                    image.write(base + offset, data);
                    break;
                }
                case 0x01:
                    eof = true;
                    break;
                case 0x02:
                    requireCount(count, 2, lineNo, type);
                    base = (long) u16(rec, 4) << 4;
                    break;
                case 0x04:
                    requireCount(count, 2, lineNo, type);
                    base = (long) u16(rec, 4) << 16;
                    break;
                case 0x03: case 0x05: {
                    requireCount(count, 4, lineNo, type);
                    StartAddress start = type == 0x03
                            ? new StartAddress.Segment(u16(rec, 4), u16(rec, 6))
                            : new StartAddress.Linear((long) u16(rec, 4) << 16 | u16(rec, 6));
                    Optional<StartAddress> earlier = image.startAddress();
                    if (earlier.isPresent() && !earlier.get().equals(start)) {
                        throw new ImageFormatException("line " + lineNo + ": " + start + " differs from the "
                                + earlier.get() + " on line " + startLine);
                    }
                    if (earlier.isEmpty()) {
                        image.setStartAddress(start);
                        startLine = lineNo;
                    }
                    break;
                }
                default:
                    throw new ImageFormatException("line " + lineNo + ": unknown record type " + type);
            }
        }
        if (!eof) {
            throw new ImageFormatException("no end-of-file record");
        }
        return image;
    }

    /** The big-endian 16-bit value at {@code at}. */
    private static int u16(byte[] rec, int at) {
        return (rec[at] & 0xff) << 8 | (rec[at + 1] & 0xff);
    }

    private static void requireCount(int count, int expected, int lineNo, int type) {
        if (count != expected) {
            throw new ImageFormatException("line " + lineNo + ": record type " + type + " needs " + expected + " bytes, got " + count);
        }
    }

    /**
     * Writes the image with extended linear address records and {@code perRecord} data bytes per line, then its
     * start address record if it has one, then the end-of-file record.
     */
    public static String write(MemoryImage image, int perRecord) {
        StringBuilder sb = new StringBuilder();
        long upper = -1;
        for (Map.Entry<Long, byte[]> seg : image.segments().entrySet()) {
            long addr = seg.getKey();
            byte[] data = seg.getValue();
            int pos = 0;
            while (pos < data.length) {
                long a = addr + pos;
                if ((a >>> 16) != upper) {
                    upper = a >>> 16;
                    record(sb, 0, 0x04, new byte[] {(byte) (upper >>> 8), (byte) upper});
                }
                int n = (int) Math.min(perRecord, Math.min(data.length - pos, 0x10000 - (a & 0xffff)));
                byte[] chunk = new byte[n];
                System.arraycopy(data, pos, chunk, 0, n);
                record(sb, (int) (a & 0xffff), 0x00, chunk);
                pos += n;
            }
        }
        image.startAddress().ifPresent(start -> {
            if (start instanceof StartAddress.Segment seg) {
                record(sb, 0, 0x03, new byte[] {(byte) (seg.cs() >>> 8), (byte) seg.cs(), (byte) (seg.ip() >>> 8), (byte) seg.ip()});
            } else if (start instanceof StartAddress.Linear lin) {
                long eip = lin.eip();
                record(sb, 0, 0x05, new byte[] {(byte) (eip >>> 24), (byte) (eip >>> 16), (byte) (eip >>> 8), (byte) eip});
            }
        });
        record(sb, 0, 0x01, new byte[0]);
        return sb.toString();
    }

    private static void record(StringBuilder sb, int offset, int type, byte[] data) {
        byte[] rec = new byte[data.length + 5];
        rec[0] = (byte) data.length;
        rec[1] = (byte) (offset >>> 8);
        rec[2] = (byte) offset;
        rec[3] = (byte) type;
        System.arraycopy(data, 0, rec, 4, data.length);
        int sum = 0;
        for (int i = 0; i < rec.length - 1; i++) {
            sum += rec[i] & 0xff;
        }
        rec[rec.length - 1] = (byte) (-sum);
        sb.append(':');
        for (byte b : rec) {
            sb.append(String.format("%02X", b & 0xff));
        }
        sb.append('\n');
    }

    public static byte[] writeBytes(MemoryImage image) {
        return write(image, 16).getBytes(StandardCharsets.US_ASCII);
    }
}
