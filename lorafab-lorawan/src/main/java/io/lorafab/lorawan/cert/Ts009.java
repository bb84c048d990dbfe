package io.lorafab.lorawan.cert;

import io.lorafab.lorawan.LorawanFormatException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The part of the LoRaWAN Certification Protocol (TS009, package 6) that an end-of-line test uses, on FPort 224: the
 * commands a test server sends and the device's answers. Each command is its identifier (CID) and its fields;
 * answers repeat the CID. Pure: bytes in, records out.
 *
 * <ul>
 *   <li>{@code EchoPayloadReq} (0x08) carries bytes; {@code EchoPayloadAns} (0x08) returns each of them plus one
 *       (mod 256).</li>
 *   <li>{@code RxAppCntReq} (0x09); {@code RxAppCntAns} (0x09) holds the device's count of application downlinks
 *       received, 16 bits little-endian.</li>
 *   <li>{@code DutFPort224DisableReq} (0x7E): the device stops answering on FPort 224; no answer.</li>
 *   <li>{@code DutVersionsReq} (0x7F); {@code DutVersionsAns} (0x7F) holds three versions of four bytes each
 *       (major, minor, patch, revision): the firmware's, the LoRaWAN specification's, the regional parameters'.</li>
 * </ul>
 */
public final class Ts009 {

    /** The certification protocol's port. */
    public static final int FPORT = 224;

    public static final int ECHO_PAYLOAD = 0x08;
    public static final int RX_APP_CNT = 0x09;
    public static final int DUT_FPORT224_DISABLE = 0x7E;
    public static final int DUT_VERSIONS = 0x7F;

    private Ts009() {
    }

    /** A command the test server sends. */
    public sealed interface Request permits EchoPayloadReq, RxAppCntReq, DutFPort224DisableReq, DutVersionsReq {
        byte[] encode();
    }

    /** A device's answer. */
    public sealed interface Answer permits EchoPayloadAns, RxAppCntAns, DutVersionsAns {
        byte[] encode();
    }

    /** Four version bytes: major, minor, patch, revision. */
    public record Version(int major, int minor, int patch, int revision) {
        public Version {
            for (int b : new int[] {major, minor, patch, revision}) {
                if (b < 0 || b > 255) {
                    throw new LorawanFormatException("TS009 version: each part is one byte, got " + b);
                }
            }
        }

        /**
         * Parses {@code major.minor.patch} or {@code major.minor.patch.revision}, each part 0..255 in decimal (e.g.
         * {@code 1.4.2}); a missing revision is 0.
         *
         * @throws LorawanFormatException with what is wrong, for anything else
         */
        public static Version parse(String text) {
            String t = text == null ? "" : text.strip();
            if (!t.matches("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}(\\.\\d{1,3})?")) {
                throw new LorawanFormatException("a version is major.minor.patch or major.minor.patch.revision in decimal"
                        + " (e.g. 1.4.2), got '" + t + "'");
            }
            String[] p = t.split("\\.");
            return new Version(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]),
                    p.length > 3 ? Integer.parseInt(p[3]) : 0);
        }

        static Version read(byte[] b, int at) {
            return new Version(b[at] & 0xff, b[at + 1] & 0xff, b[at + 2] & 0xff, b[at + 3] & 0xff);
        }

        void write(byte[] b, int at) {
            b[at] = (byte) major;
            b[at + 1] = (byte) minor;
            b[at + 2] = (byte) patch;
            b[at + 3] = (byte) revision;
        }

        @Override
        public String toString() {
            return major + "." + minor + "." + patch + (revision == 0 ? "" : "." + revision);
        }
    }

    public record EchoPayloadReq(byte[] payload) implements Request {
        public EchoPayloadReq {
            payload = payload.clone();
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        @Override
        public byte[] encode() {
            return withCid(ECHO_PAYLOAD, payload);
        }

        /** The answer a device that implements the package gives. */
        public EchoPayloadAns expectedAnswer() {
            byte[] plusOne = new byte[payload.length];
            for (int i = 0; i < payload.length; i++) {
                plusOne[i] = (byte) (payload[i] + 1);
            }
            return new EchoPayloadAns(plusOne);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof EchoPayloadReq r && Arrays.equals(payload, r.payload);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "EchoPayloadReq[" + HexFormat.of().formatHex(payload) + "]";
        }
    }

    public record RxAppCntReq() implements Request {
        @Override
        public byte[] encode() {
            return new byte[] {RX_APP_CNT};
        }
    }

    public record DutFPort224DisableReq() implements Request {
        @Override
        public byte[] encode() {
            return new byte[] {(byte) DUT_FPORT224_DISABLE};
        }
    }

    public record DutVersionsReq() implements Request {
        @Override
        public byte[] encode() {
            return new byte[] {(byte) DUT_VERSIONS};
        }
    }

    public record EchoPayloadAns(byte[] payload) implements Answer {
        public EchoPayloadAns {
            payload = payload.clone();
        }

        @Override
        public byte[] payload() {
            return payload.clone();
        }

        @Override
        public byte[] encode() {
            return withCid(ECHO_PAYLOAD, payload);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof EchoPayloadAns a && Arrays.equals(payload, a.payload);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(payload);
        }

        @Override
        public String toString() {
            return "EchoPayloadAns[" + HexFormat.of().formatHex(payload) + "]";
        }
    }

    public record RxAppCntAns(int count) implements Answer {
        public RxAppCntAns {
            if (count < 0 || count > 0xffff) {
                throw new LorawanFormatException("TS009 RxAppCntAns: the count is 16 bits, got " + count);
            }
        }

        @Override
        public byte[] encode() {
            return new byte[] {RX_APP_CNT, (byte) count, (byte) (count >> 8)};
        }
    }

    public record DutVersionsAns(Version firmware, Version lorawan, Version regionalParameters) implements Answer {
        @Override
        public byte[] encode() {
            byte[] b = new byte[13];
            b[0] = (byte) DUT_VERSIONS;
            firmware.write(b, 1);
            lorawan.write(b, 5);
            regionalParameters.write(b, 9);
            return b;
        }
    }

    /** A request as sent on FPort 224. */
    public static Request request(byte[] b) {
        if (b.length == 0) {
            throw new LorawanFormatException("TS009: empty payload, a command identifier expected");
        }
        int cid = b[0] & 0xff;
        return switch (cid) {
            case ECHO_PAYLOAD -> new EchoPayloadReq(Arrays.copyOfRange(b, 1, b.length));
            case RX_APP_CNT -> new RxAppCntReq();
            case DUT_FPORT224_DISABLE -> new DutFPort224DisableReq();
            case DUT_VERSIONS -> new DutVersionsReq();
            default -> throw new LorawanFormatException(String.format("TS009: command 0x%02X is not one this test uses", cid));
        };
    }

    /** A device's answer as sent on FPort 224. */
    public static Answer answer(byte[] b) {
        if (b.length == 0) {
            throw new LorawanFormatException("TS009: empty answer, a command identifier expected");
        }
        int cid = b[0] & 0xff;
        return switch (cid) {
            case ECHO_PAYLOAD -> new EchoPayloadAns(Arrays.copyOfRange(b, 1, b.length));
            case RX_APP_CNT -> {
                length(b, 3, "RxAppCntAns");
                yield new RxAppCntAns((b[1] & 0xff) | (b[2] & 0xff) << 8);
            }
            case DUT_VERSIONS -> {
                length(b, 13, "DutVersionsAns");
                yield new DutVersionsAns(Version.read(b, 1), Version.read(b, 5), Version.read(b, 9));
            }
            default -> throw new LorawanFormatException(String.format("TS009: answer 0x%02X is not one this test uses", cid));
        };
    }

    private static void length(byte[] b, int n, String what) {
        if (b.length != n) {
            throw new LorawanFormatException("TS009 " + what + ": " + n + " bytes expected, got " + b.length);
        }
    }

    private static byte[] withCid(int cid, byte[] rest) {
        byte[] b = new byte[rest.length + 1];
        b[0] = (byte) cid;
        System.arraycopy(rest, 0, b, 1, rest.length);
        return b;
    }
}
