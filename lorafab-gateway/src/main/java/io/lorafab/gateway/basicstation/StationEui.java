package io.lorafab.gateway.basicstation;

import io.lorafab.lorawan.types.Eui64;

/**
 * The forms in which Basics Station writes and reads a 64-bit EUI.
 *
 * <ul>
 * <li><b>ID6</b> ({@code "::1"}, {@code "1:2:3:4"}, {@code "a::b"}): four 16-bit groups in hex, separated by
 * {@code ':'}, where one {@code "::"} stands for the groups of zeros left out, as in IPv6. The station sends its
 * own EUI in this form in the {@code /router-info} request ({@code src/tc.c}: {@code uj_encKV(&b, "router", '6',
 * sys_eui())}; the writer is {@code encId6} in {@code src/uj.c}, lower-case hex, zeros compressed).</li>
 * <li><b>EUI</b> ({@code "00-00-00-00-00-00-00-01"}): eight upper-case hex bytes separated by {@code '-'}, as the
 * station writes {@code JoinEui}, {@code DevEui} ({@code encEui} in {@code src/uj.c}). The station's reader
 * ({@code uj_eui}) also takes the bytes without dashes and a JSON number.</li>
 * <li>A JSON <b>integer</b> (read by {@link LnsCodec}), and, for convenience, the colon-separated byte form
 * {@code "00:00:00:00:00:00:00:01"}.</li>
 * </ul>
 */
public final class StationEui {

    private static final char[] UPPER_HEX = "0123456789ABCDEF".toCharArray();

    private StationEui() {
    }

    /**
     * Reads an EUI in any of the text forms above.
     *
     * @throws LnsProtocolException naming {@code what} when the text is no EUI
     */
    public static Eui64 parse(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new LnsProtocolException(what + ": missing EUI");
        }
        String s = text.strip();
        if (s.length() > 40) {
            throw new LnsProtocolException(what + ": not an EUI (too long)");
        }
        if (s.indexOf(':') >= 0) {
            String[] bytes = s.split(":", -1);
            if (bytes.length == 8 && allHexOfLength(bytes, 2)) {
                return Eui64.of(Long.parseUnsignedLong(String.join("", bytes), 16));
            }
            return parseId6(s, what);
        }
        String hex = s.replace("-", "");
        if (s.indexOf('-') >= 0 && !s.matches("(?i)[0-9a-f]{2}(-[0-9a-f]{2}){7}")) {
            throw new LnsProtocolException(what + ": not an EUI (expected 8 hex bytes separated by '-')");
        }
        if (!hex.matches("(?i)[0-9a-f]{16}")) {
            throw new LnsProtocolException(what + ": not an EUI (expected 16 hex digits, an ID6 such as ::1, or a number)");
        }
        return Eui64.of(Long.parseUnsignedLong(hex, 16));
    }

    private static boolean allHexOfLength(String[] parts, int len) {
        for (String p : parts) {
            if (p.length() != len || !p.matches("(?i)[0-9a-f]+")) {
                return false;
            }
        }
        return true;
    }

    private static Eui64 parseId6(String s, String what) {
        int gap = s.indexOf("::");
        if (gap >= 0 && s.indexOf("::", gap + 1) >= 0) {
            throw new LnsProtocolException(what + ": not an ID6 (more than one '::')");
        }
        String[] head;
        String[] tail;
        if (gap >= 0) {
            head = groups(s.substring(0, gap), what);
            tail = groups(s.substring(gap + 2), what);
            if (head.length + tail.length > 3) {
                throw new LnsProtocolException(what + ": not an ID6 (more than 4 groups)");
            }
        } else {
            head = groups(s, what);
            tail = new String[0];
            if (head.length != 4) {
                throw new LnsProtocolException(what + ": not an ID6 (expected 4 groups or '::')");
            }
        }
        long v = 0;
        String[] all = new String[4];
        java.util.Arrays.fill(all, "0");
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, 4 - tail.length, tail.length);
        for (String g : all) {
            v = (v << 16) | Integer.parseInt(g, 16);
        }
        return Eui64.of(v);
    }

    private static String[] groups(String part, String what) {
        if (part.isEmpty()) {
            return new String[0];
        }
        String[] g = part.split(":", -1);
        for (String x : g) {
            if (x.isEmpty() || x.length() > 4 || !x.matches("(?i)[0-9a-f]+")) {
                throw new LnsProtocolException(what + ": not an ID6 (each group is 1 to 4 hex digits)");
            }
        }
        return g;
    }

    /** The station's EUI form: {@code "00-00-00-00-00-00-00-01"}, upper case (as {@code encEui} writes it). */
    public static String format(Eui64 eui) {
        // by table, not String.format per byte: this is written into every dnmsg, and formatting cost more than
        // the rest of the message
        long v = eui.value();
        char[] c = new char[23];
        for (int i = 0; i < 8; i++) {
            int b = (int) (v >>> (56 - 8 * i)) & 0xFF;
            c[3 * i] = UPPER_HEX[b >>> 4];
            c[3 * i + 1] = UPPER_HEX[b & 0x0F];
            if (i < 7) {
                c[3 * i + 2] = '-';
            }
        }
        return new String(c);
    }

    /**
     * The ID6 form as {@code encId6} in {@code src/uj.c} writes it: {@code "::1"} when the upper three groups are
     * zero, {@code "::a:b"} when the upper two are, {@code "a::"} / {@code "a:b::"} when the lower groups are,
     * {@code "a::d"} when the middle two are, else all four groups; lower-case hex without leading zeros.
     */
    public static String formatId6(Eui64 eui) {
        long v = eui.value();
        int g0 = (int) (v >>> 48) & 0xFFFF;
        int g1 = (int) (v >>> 32) & 0xFFFF;
        int g2 = (int) (v >>> 16) & 0xFFFF;
        int g3 = (int) v & 0xFFFF;
        if (g0 == 0 && g1 == 0) {
            return g2 == 0 ? "::" + hex(g3) : "::" + hex(g2) + ":" + hex(g3);
        }
        if (g2 == 0 && g3 == 0) {
            return g1 == 0 ? hex(g0) + "::" : hex(g0) + ":" + hex(g1) + "::";
        }
        if (g1 == 0 && g2 == 0) {
            return hex(g0) + "::" + hex(g3);
        }
        return hex(g0) + ":" + hex(g1) + ":" + hex(g2) + ":" + hex(g3);
    }

    private static String hex(int g) {
        return Integer.toHexString(g);
    }
}
