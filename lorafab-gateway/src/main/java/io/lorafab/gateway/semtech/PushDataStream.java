package io.lorafab.gateway.semtech;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The fast path for the PUSH_DATA that a busy receive thread sees thousands of times a second: one pass over
 * Jackson's token stream straight from the datagram's bytes into {@link Rxpk} records, without a tree, a
 * {@code String} of the whole body or a {@code BigDecimal} per number: about 0.4 times the tree reader's CPU per
 * datagram (docs/BENCHMARKS.md, issue 17), on the one thread that receives every gateway's datagrams.
 *
 * <p>It takes only the common shape: a root object whose only field is {@code rxpk}, an array of single-antenna
 * receptions with the usual fields, each of the expected JSON type, in range and without null. Anything else (a
 * {@code stat} report, {@code rsig}, FSK, a field it does not know, a value out of range or of another type,
 * invalid JSON, a byte outside ASCII) makes it give up with {@code null}, and the caller reads the datagram
 * again with the tree reader ({@link SemtechJson}). That reader stays the one definition of what is refused and
 * how the refusal reads, so this path needs to be right only about what it accepts: for every datagram it
 * accepts, it must produce what the tree reader produces (a differential test checks that).
 */
final class PushDataStream {

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** Exact MHz bounds in milli-Hz (MHz × 10^9), to compare a frequency read to nine decimals. */
    private static final long MIN_MILLI_HZ = Limits.MIN_FREQUENCY_HZ * 1000;
    private static final long MAX_MILLI_HZ = Limits.MAX_FREQUENCY_HZ * 1000;

    /** Markers of a field's value: not (yet) seen, or seen and not for this path. No field takes either value. */
    private static final long ABSENT = Long.MIN_VALUE;
    private static final long GIVE_UP = Long.MIN_VALUE + 1;

    private PushDataStream() {
    }

    /** The body of a PUSH_DATA whose JSON is {@code buf[from, to)}, or null to read it with the tree reader. */
    static SemtechJson.PushBody tryRead(byte[] buf, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] < 0) {
                return null; // non-ASCII: leave UTF-8 validation and its message to the tree reader's path
            }
            // A status report ("stat":{ as forwarders write it) is the tree reader's: give up before reading the
            // receptions that usually come first, which the tree reader would then read a second time. Only a
            // saving: written otherwise, the report still makes the stream give up when it reaches it.
            if (buf[i] == '{' && i >= from + 7 && buf[i - 1] == ':' && buf[i - 2] == '"' && buf[i - 3] == 't'
                    && buf[i - 4] == 'a' && buf[i - 5] == 't' && buf[i - 6] == 's' && buf[i - 7] == '"') {
                return null;
            }
        }
        try (JsonParser p = FACTORY.createParser(buf, from, to - from)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            List<Rxpk> rxpk = List.of();
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                if (!"rxpk".equals(p.currentName()) || p.nextToken() != JsonToken.START_ARRAY) {
                    return null;
                }
                rxpk = new ArrayList<>(2);
                while ((t = p.nextToken()) == JsonToken.START_OBJECT) {
                    Rxpk r = readRxpk(p);
                    if (r == null) {
                        return null;
                    }
                    rxpk.add(r);
                }
                if (t != JsonToken.END_ARRAY) {
                    return null;
                }
            }
            if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                return null; // trailing tokens
            }
            return new SemtechJson.PushBody(rxpk, Optional.empty());
        } catch (IOException | RuntimeException e) {
            // invalid JSON, a duplicate key, a number past Jackson's limits, a value a record refused:
            // the tree reader says which
            return null;
        }
    }

    /** One {@code rxpk} element, the parser on its START_OBJECT; null to give up. */
    private static Rxpk readRxpk(JsonParser p) throws IOException {
        Optional<Instant> time = Optional.empty();
        Optional<Long> tmms = Optional.empty();
        long tmst = ABSENT;
        long freq = ABSENT;
        long chan = ABSENT;
        long rfch = ABSENT;
        long stat = ABSENT;
        String modu = null;
        String datr = null;
        Optional<CodingRate> codr = Optional.empty();
        long rssi = ABSENT;
        Optional<Double> lsnr = Optional.empty();
        long size = ABSENT;
        String data = null;
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "time" -> {
                    if (v != JsonToken.VALUE_STRING) {
                        return null;
                    }
                    Instant at = compactTime(p.getText());
                    if (at == null) {
                        return null;
                    }
                    time = Optional.of(at);
                }
                case "tmms" -> {
                    long n = integer(p, v, 0, Long.MAX_VALUE);
                    if (n == GIVE_UP) {
                        return null;
                    }
                    tmms = Optional.of(n);
                }
                case "tmst" -> tmst = integer(p, v, 0, Limits.UINT32_MAX);
                case "chan" -> chan = integer(p, v, 0, Limits.MAX_CHAIN);
                case "rfch" -> rfch = integer(p, v, 0, Limits.MAX_CHAIN);
                case "size" -> size = integer(p, v, 0, Limits.MAX_PAYLOAD);
                case "stat" -> stat = integer(p, v, -1, 1);
                case "rssi" -> rssi = integer(p, v, Limits.MIN_RSSI, Limits.MAX_RSSI);
                case "freq" -> freq = frequencyHz(p, v);
                case "lsnr" -> {
                    Double d = snr(p, v);
                    if (d == null) {
                        return null;
                    }
                    lsnr = Optional.of(d);
                }
                case "modu" -> {
                    if (v != JsonToken.VALUE_STRING) {
                        return null;
                    }
                    modu = p.getText();
                }
                case "datr" -> {
                    if (v != JsonToken.VALUE_STRING) {
                        return null;
                    }
                    datr = p.getText();
                }
                case "codr" -> {
                    if (v != JsonToken.VALUE_STRING) {
                        return null;
                    }
                    codr = CodingRate.fromWire(p.getText());
                    if (codr.isEmpty()) {
                        return null;
                    }
                }
                case "data" -> {
                    if (v != JsonToken.VALUE_STRING) {
                        return null;
                    }
                    data = p.getText();
                }
                default -> {
                    return null; // rsig, or a field this path does not know: the tree reader takes it
                }
            }
            if (tmst == GIVE_UP || freq == GIVE_UP || chan == GIVE_UP || rfch == GIVE_UP || size == GIVE_UP
                    || stat == GIVE_UP || rssi == GIVE_UP) {
                return null;
            }
        }
        if (t != JsonToken.END_OBJECT || tmst == ABSENT || freq == ABSENT || chan == ABSENT || rfch == ABSENT
                || stat == ABSENT || !"LORA".equals(modu) || datr == null || rssi == ABSENT || data == null) {
            return null;
        }
        DataRate.Lora dr = loraDatr(datr);
        if (dr == null) {
            return null;
        }
        byte[] payload = Base64Data.decode(data, "data");
        if (payload.length > Limits.MAX_PAYLOAD || (size != ABSENT && size != payload.length)) {
            return null;
        }
        return new Rxpk(time, tmms, tmst, freq, (int) chan, (int) rfch, CrcStatus.fromCode(stat).orElseThrow(), dr, codr,
                (int) rssi, lsnr, payload, List.of());
    }

    /**
     * An integer token in {@code min..max}, or {@link #GIVE_UP}: a float such as 5.0, which the tree reader takes
     * as 5 (or rounds, for an RSSI), is left to it, as is anything out of range.
     */
    private static long integer(JsonParser p, JsonToken v, long min, long max) throws IOException {
        if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            return GIVE_UP;
        }
        long n = p.getLongValue();
        return n < min || n > max ? GIVE_UP : n;
    }
    /**
     * {@code freq} in MHz with at most nine decimals and no exponent, to Hz exactly as the tree reader does
     * (exact decimal, half-up below 1 Hz); {@link #GIVE_UP} otherwise.
     */
    private static long frequencyHz(JsonParser p, JsonToken v) throws IOException {
        if (v != JsonToken.VALUE_NUMBER_INT && v != JsonToken.VALUE_NUMBER_FLOAT) {
            return GIVE_UP;
        }
        char[] c = p.getTextCharacters();
        int off = p.getTextOffset();
        int len = p.getTextLength();
        long whole = 0;
        int i = 0;
        for (; i < len && c[off + i] >= '0' && c[off + i] <= '9'; i++) {
            if (i >= 5) {
                return GIVE_UP;
            }
            whole = whole * 10 + (c[off + i] - '0');
        }
        if (i == 0) {
            return GIVE_UP; // a sign
        }
        long frac = 0;
        int digits = 0;
        if (i < len) {
            if (c[off + i] != '.') {
                return GIVE_UP; // an exponent
            }
            for (i++; i < len; i++) {
                char d = c[off + i];
                if (d < '0' || d > '9' || digits == 9) {
                    return GIVE_UP;
                }
                frac = frac * 10 + (d - '0');
                digits++;
            }
        }
        for (int k = digits; k < 9; k++) {
            frac *= 10;
        }
        long milliHz = whole * 1_000_000_000L + frac;
        if (milliHz < MIN_MILLI_HZ || milliHz > MAX_MILLI_HZ) {
            return GIVE_UP;
        }
        return (milliHz + 500) / 1000;
    }

    /**
     * {@code lsnr} with at most 15 significant digits and no exponent, strictly inside the range: then the double
     * read here is the one the tree reader's exact decimal converts to. Null to give up.
     */
    private static Double snr(JsonParser p, JsonToken v) throws IOException {
        if (v != JsonToken.VALUE_NUMBER_INT && v != JsonToken.VALUE_NUMBER_FLOAT) {
            return null;
        }
        char[] c = p.getTextCharacters();
        int off = p.getTextOffset();
        int len = p.getTextLength();
        int digits = 0;
        for (int i = 0; i < len; i++) {
            char d = c[off + i];
            if (d >= '0' && d <= '9') {
                digits++;
            } else if (d != '.' && !(d == '-' && i == 0)) {
                return null;
            }
        }
        if (digits > 15) {
            return null;
        }
        double d = Double.parseDouble(new String(c, off, len));
        if (!(d > Limits.MIN_SNR && d < Limits.MAX_SNR)) {
            return null;
        }
        return d;
    }

    /**
     * {@code 2026-12-07T10:11:12.123456Z} (0 to 9 fraction digits, upper-case T and Z), the one shape forwarders
     * send, read by position: {@link Instant#parse}, which the tree reader uses and which takes every ISO-8601
     * instant, was the largest part of a datagram's decoding. Null (give up) for anything else, and for what
     * Instant.parse reads in its own way (a leap second).
     */
    static Instant compactTime(String s) {
        int n = s.length();
        if (n < 20 || n == 21 || n > 30 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z' || (n > 20 && s.charAt(19) != '.')) {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        int fraction = n > 20 ? digits(s, 20, n - 1) : 0;
        if (year < 0 || month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59
                || second < 0 || second > 59 || fraction < 0
                || day > YearMonth.of(year, month).lengthOfMonth()) {
            return null;
        }
        for (int k = n - 1 - 20; k < 9 && n > 20; k++) {
            fraction *= 10;
        }
        long epochDay = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3_600 + minute * 60 + second, fraction);
    }

    /** "SF7BW125" as the tree reader's pattern SF(\d{1,2})BW(\d{1,4}) reads it; null to give up. */
    private static DataRate.Lora loraDatr(String s) {
        if (!s.startsWith("SF")) {
            return null;
        }
        int bw = s.indexOf("BW", 2);
        if (bw < 3 || bw > 4 || s.length() - (bw + 2) < 1 || s.length() - (bw + 2) > 4) {
            return null;
        }
        int sf = digits(s, 2, bw);
        int khz = digits(s, bw + 2, s.length());
        if (sf < DataRate.Lora.MIN_SF || sf > DataRate.Lora.MAX_SF || khz < 0
                || !DataRate.Lora.isSupportedBandwidth(khz * 1000)) {
            return null;
        }
        return DataRate.Lora.of(sf, khz);
    }

    private static int digits(String s, int from, int to) {
        if (from >= to) {
            return -1;
        }
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
