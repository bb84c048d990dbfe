package io.lorafab.gateway.basicstation;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.lorafab.gateway.basicstation.LnsMessage.DataUplink;
import io.lorafab.gateway.basicstation.LnsMessage.JoinRequest;
import io.lorafab.gateway.basicstation.LnsMessage.UpInfo;
import io.lorafab.lorawan.types.Eui64;
import java.io.IOException;

/**
 * The fast path for the two messages a station sends for every frame it hears, {@code jreq} and {@code updf}:
 * one pass over Jackson's token stream into the records, without a tree, a {@code BigDecimal} per number or the
 * regular expressions of the EUI reader.
 *
 * <p>It takes only the shape Basics Station 2.0.6 writes ({@code s2e_parse_lora_frame} in {@code src/lora.c},
 * {@code s2e_flushRxjobs} in {@code src/s2e.c}), and {@link LnsCodec#encode} for a virtual station: {@code msgtype}
 * first; integers as JSON integers; {@code JoinEui} and {@code DevEui} as strings or integers; {@code RefTime},
 * {@code snr} and {@code rxtime} as short decimals; {@code upinfo} an object; any other field a string, a short
 * number, a boolean or null. Anything else (another message type, the other EUI spelling, null in a field it
 * reads, a float where an integer belongs, a container it does not read, a value out of range, a decimal at a bound, a
 * field written twice, invalid JSON) makes it give up with {@code null}, and {@link LnsCodec} reads the
 * text again with the tree reader. That reader stays the one definition of what is refused and how the refusal
 * reads, so this path needs to be right only about what it accepts: for every message it accepts it must return
 * the record the tree reader returns (a differential test and a property check that).
 */
final class LnsUplinkStream {

    /**
     * Without Jackson's duplicate detection, which fills a hash set per object (about 0.2 µs of CPU per jreq here,
     * a sixth of the whole read): {@link Names} does the same for the dozen fields of a station's message.
     */
    private static final JsonFactory FACTORY = new JsonFactory();

    /** Markers of a field's value: not (yet) seen, or seen and not for this path. No integer field takes either. */
    private static final long ABSENT = Long.MIN_VALUE;
    private static final long GIVE_UP = Long.MIN_VALUE + 1;
    /** Longer numbers are left to the tree (Jackson's own limit is 1,000 characters). */
    private static final int MAX_DECIMAL_CHARS = 32;

    private LnsUplinkStream() {
    }

    /** The jreq or updf {@code text} is, or null to read it with the tree reader. */
    static LnsMessage tryRead(String text) {
        if (text == null || text.length() > LnsCodec.MAX_MESSAGE_CHARS) {
            return null;
        }
        try (JsonParser p = FACTORY.createParser(text)) {
            if (p.nextToken() != JsonToken.START_OBJECT || p.nextToken() != JsonToken.FIELD_NAME
                    || !"msgtype".equals(p.currentName()) || p.nextToken() != JsonToken.VALUE_STRING) {
                return null;
            }
            Fields f = new Fields();
            boolean join;
            if (is(p, "jreq")) {
                join = true;
            } else if (is(p, "updf")) {
                join = false;
            } else {
                return null; // version, timesync, dntxed, propdf, rejoin, ...: rare, the tree reads them
            }
            JsonToken t;
            Names names = new Names("msgtype");
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                if (!names.add(p.currentName()) || !f.top(p, p.currentName(), p.nextToken(), join)) {
                    return null;
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                return null; // trailing tokens
            }
            return join ? f.joinRequest() : f.dataUplink();
        } catch (IOException | RuntimeException e) {
            // invalid JSON, a number past Jackson's limits: the tree reader says which
            return null;
        }
    }

    /**
     * The field names of one object so far, to give up on a name written twice, as the tree reader refuses it
     * ({@code STRICT_DUPLICATE_DETECTION}), and on more fields than a station writes.
     */
    private static final class Names {
        private final String[] names = new String[24];
        private int count;

        Names(String first) {
            if (first != null) {
                names[count++] = first;
            }
        }

        /** False if {@code name} was seen before in this object, or the object has too many fields. */
        boolean add(String name) {
            for (int i = 0; i < count; i++) {
                if (names[i].equals(name)) {
                    return false;
                }
            }
            if (count == names.length) {
                return false;
            }
            names[count++] = name;
            return true;
        }
    }

    /** The fields read so far; every integer {@link #ABSENT} until read. */
    private static final class Fields {
        long mhdr = ABSENT;
        Eui64 joinEui;
        Eui64 devEui;
        long devNonce = ABSENT;
        long mic = ABSENT;
        long devAddr = ABSENT;
        long fctrl = ABSENT;
        long fcnt = ABSENT;
        byte[] fopts;
        long fport = ABSENT;
        byte[] frmPayload;
        long dr = ABSENT;
        long freq = ABSENT;
        double refTime;
        boolean upinfo;
        long rctx;
        long xtime = ABSENT;
        long gpstime;
        long rssi = ABSENT;
        double snr = Double.NaN;
        double rxtime;

        /** One top-level field, its value the current token; false to give up. */
        boolean top(JsonParser p, String name, JsonToken v, boolean join) throws IOException {
            switch (name) {
                case "MHdr" -> mhdr = integer(p, v, 0, 255);
                case "MIC" -> mic = integer(p, v, Integer.MIN_VALUE, 0xFFFF_FFFFL);
                case "DR" -> dr = integer(p, v, 0, 15);
                case "Freq" -> freq = integer(p, v, 1, 10_000_000_000L);
                case "RefTime" -> {
                    Double d = decimal(p, v, 0, 1e11);
                    if (d == null) {
                        return false;
                    }
                    refTime = d;
                }
                case "upinfo" -> {
                    if (v != JsonToken.START_OBJECT) {
                        return false;
                    }
                    JsonToken t;
                    Names names = new Names(null);
                    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                        if (!names.add(p.currentName()) || !up(p, p.currentName(), p.nextToken())) {
                            return false;
                        }
                    }
                    upinfo = t == JsonToken.END_OBJECT;
                    return upinfo;
                }
                // the other spellings the tree reader takes, which decide which of two fields counts: its business
                case "JoinEUI", "DevEUI" -> {
                    return false;
                }
                default -> {
                    return join ? joinField(p, name, v) : dataField(p, name, v);
                }
            }
            return mhdr != GIVE_UP && mic != GIVE_UP && dr != GIVE_UP && freq != GIVE_UP;
        }

        private boolean joinField(JsonParser p, String name, JsonToken v) throws IOException {
            switch (name) {
                case "JoinEui" -> {
                    joinEui = eui(p, v);
                    return joinEui != null;
                }
                case "DevEui" -> {
                    devEui = eui(p, v);
                    return devEui != null;
                }
                case "DevNonce" -> {
                    devNonce = integer(p, v, 0, 0xFFFF);
                    return devNonce != GIVE_UP;
                }
                default -> {
                    return ignored(p, v);
                }
            }
        }

        private boolean dataField(JsonParser p, String name, JsonToken v) throws IOException {
            switch (name) {
                case "DevAddr" -> devAddr = integer(p, v, Integer.MIN_VALUE, 0xFFFF_FFFFL);
                case "FCtrl" -> fctrl = integer(p, v, 0, 255);
                case "FCnt" -> fcnt = integer(p, v, 0, 0xFFFF);
                case "FPort" -> fport = integer(p, v, -1, 255);
                case "FOpts" -> {
                    fopts = hex(p, v, 15);
                    return fopts != null;
                }
                case "FRMPayload" -> {
                    frmPayload = hex(p, v, 255);
                    return frmPayload != null;
                }
                default -> {
                    return ignored(p, v);
                }
            }
            return devAddr != GIVE_UP && fctrl != GIVE_UP && fcnt != GIVE_UP && fport != GIVE_UP;
        }

        /** One field of {@code upinfo}; false to give up. */
        private boolean up(JsonParser p, String name, JsonToken v) throws IOException {
            switch (name) {
                case "rctx" -> {
                    rctx = integer(p, v, Long.MIN_VALUE + 2, Long.MAX_VALUE);
                    return rctx != GIVE_UP;
                }
                case "xtime" -> {
                    xtime = integer(p, v, Long.MIN_VALUE + 2, Long.MAX_VALUE);
                    return xtime != GIVE_UP;
                }
                case "gpstime" -> {
                    gpstime = integer(p, v, Long.MIN_VALUE + 2, Long.MAX_VALUE);
                    return gpstime != GIVE_UP;
                }
                case "rssi" -> {
                    rssi = integer(p, v, -200, 50);
                    return rssi != GIVE_UP;
                }
                case "snr" -> {
                    Double d = decimal(p, v, -100, 100);
                    if (d == null) {
                        return false;
                    }
                    snr = d;
                    return true;
                }
                case "rxtime" -> {
                    Double d = decimal(p, v, 0, 1e11);
                    if (d == null) {
                        return false;
                    }
                    rxtime = d;
                    return true;
                }
                default -> {
                    return ignored(p, v); // fts, and whatever a later station adds
                }
            }
        }

        private UpInfo upInfo() {
            return new UpInfo((int) dr, freq, rctx, xtime, gpstime, (int) rssi, snr, rxtime, refTime);
        }

        private boolean upInfoComplete() {
            return dr != ABSENT && freq != ABSENT && upinfo && xtime != ABSENT && rssi != ABSENT;
        }

        JoinRequest joinRequest() {
            if (mhdr == ABSENT || joinEui == null || devEui == null || devNonce == ABSENT || mic == ABSENT
                    || !upInfoComplete()) {
                return null;
            }
            return new JoinRequest((int) mhdr, joinEui, devEui, (int) devNonce, (int) mic, upInfo());
        }

        DataUplink dataUplink() {
            if (mhdr == ABSENT || devAddr == ABSENT || fctrl == ABSENT || fcnt == ABSENT || fopts == null
                    || fport == ABSENT || frmPayload == null || mic == ABSENT || !upInfoComplete()
                    || (fctrl & 0x0F) != fopts.length || (fport < 0 && frmPayload.length > 0)) {
                return null; // the tree reader names what is missing or inconsistent
            }
            return new DataUplink((int) mhdr, (int) devAddr, (int) fctrl, (int) fcnt, fopts, (int) fport, frmPayload,
                    (int) mic, upInfo());
        }
    }

    /** Whether the current string token is {@code s}, without making a String of it. */
    private static boolean is(JsonParser p, String s) throws IOException {
        int len = p.getTextLength();
        if (len != s.length()) {
            return false;
        }
        char[] c = p.getTextCharacters();
        int off = p.getTextOffset();
        for (int i = 0; i < len; i++) {
            if (c[off + i] != s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * A field the tree reader does not read: it must only be valid JSON, which the stream checks as it goes. A
     * container, or a long number or one with a long exponent, is left to the tree, which converts every number it
     * meets to an exact decimal and may refuse one (an exponent past what a BigDecimal takes).
     */
    private static boolean ignored(JsonParser p, JsonToken v) throws IOException {
        return switch (v) {
            case VALUE_STRING, VALUE_TRUE, VALUE_FALSE, VALUE_NULL -> true;
            case VALUE_NUMBER_INT -> p.getTextLength() <= MAX_DECIMAL_CHARS;
            case VALUE_NUMBER_FLOAT -> floatShape(p) >= 0;
            default -> false;
        };
    }

    /**
     * An integer token in {@code min..max}, or {@link #GIVE_UP}: a float such as 5.0, which the tree reader takes as
     * 5, is left to it, as are null and anything out of range.
     */
    private static long integer(JsonParser p, JsonToken v, long min, long max) throws IOException {
        if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            return GIVE_UP;
        }
        long n = p.getLongValue();
        return n < min || n > max ? GIVE_UP : n;
    }

    /**
     * A number as the tree reader's {@code optDouble} reads it, or null to give up. An integer is compared exactly.
     * A decimal ({@code -12.25}, {@code 1796642472.125000} as the station writes them, {@code 1.7966424721E9} as
     * {@code Double.toString} does) is taken when short and with a small exponent, and then the double parsed from
     * its text is the one the tree's exact decimal converts to: both round correctly. A value strictly inside the
     * bounds as a double is inside them exactly (rounding is monotonic, the bounds are doubles); a zero written
     * with zeros is +0.0 in the tree whatever its sign; a non-zero that underflows to zero is left to the tree.
     */
    private static Double decimal(JsonParser p, JsonToken v, double min, double max) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT) {
            long n = integer(p, v, (long) min, (long) max);
            return n == GIVE_UP ? null : (double) n;
        }
        if (v != JsonToken.VALUE_NUMBER_FLOAT) {
            return null;
        }
        int shape = floatShape(p);
        if (shape <= 0) {
            return shape == 0 && min <= 0 && max >= 0 ? 0.0 : null;
        }
        double d = p.getDoubleValue();
        return d != 0 && d > min && d < max ? d : null;
    }

    /**
     * For a float token: -1 if it is longer than {@link #MAX_DECIMAL_CHARS} or its exponent has more than three
     * digits (the tree's exact decimal could refuse it, or take long), else 1 if its digits before any exponent
     * include a non-zero one, 0 if they are all zeros.
     */
    private static int floatShape(JsonParser p) throws IOException {
        int len = p.getTextLength();
        if (len > MAX_DECIMAL_CHARS) {
            return -1;
        }
        char[] c = p.getTextCharacters();
        int off = p.getTextOffset();
        int result = 0;
        for (int i = 0; i < len; i++) {
            char d = c[off + i];
            if (d == 'e' || d == 'E') {
                int exponentDigits = len - i - 1;
                if (i + 1 < len && (c[off + i + 1] == '-' || c[off + i + 1] == '+')) {
                    exponentDigits--;
                }
                return exponentDigits > 3 ? -1 : result;
            }
            if (d >= '1' && d <= '9') {
                result = 1;
            }
        }
        return result;
    }

    /**
     * An EUI: the station's own form {@code 70-B3-D5-7E-D0-00-00-01} read by position, an integer token as the
     * tree reads it (its 64 bits); any other string by {@link StationEui#parse}, the tree's own reader. Null to
     * give up.
     */
    private static Eui64 eui(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT) {
            return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? null : Eui64.of(p.getLongValue());
        }
        if (v != JsonToken.VALUE_STRING) {
            return null;
        }
        char[] c = p.getTextCharacters();
        int off = p.getTextOffset();
        if (p.getTextLength() == 23) {
            long value = 0;
            boolean dashed = true;
            for (int i = 0; i < 8 && dashed; i++) {
                int hi = io.lorafab.lorawan.types.Hex.digit(c[off + 3 * i]);
                int lo = io.lorafab.lorawan.types.Hex.digit(c[off + 3 * i + 1]);
                dashed = hi >= 0 && lo >= 0 && (i == 7 || c[off + 3 * i + 2] == '-');
                value = value << 8 | hi << 4 | lo;
            }
            if (dashed) {
                return Eui64.of(value);
            }
        }
        try {
            return StationEui.parse(p.getText(), "");
        } catch (LnsProtocolException e) {
            return null;
        }
    }

    /** Hex digits (either case, as HexFormat reads them) to bytes, at most {@code maxBytes}; null to give up. */
    private static byte[] hex(JsonParser p, JsonToken v, int maxBytes) throws IOException {
        if (v != JsonToken.VALUE_STRING) {
            return null;
        }
        int len = p.getTextLength();
        if (len % 2 != 0 || len / 2 > maxBytes) {
            return null;
        }
        char[] c = p.getTextCharacters();
        int off = p.getTextOffset();
        byte[] b = new byte[len / 2];
        for (int i = 0; i < b.length; i++) {
            int hi = io.lorafab.lorawan.types.Hex.digit(c[off + 2 * i]);
            int lo = io.lorafab.lorawan.types.Hex.digit(c[off + 2 * i + 1]);
            if (hi < 0 || lo < 0) {
                return null;
            }
            b[i] = (byte) (hi << 4 | lo);
        }
        return b;
    }
}
