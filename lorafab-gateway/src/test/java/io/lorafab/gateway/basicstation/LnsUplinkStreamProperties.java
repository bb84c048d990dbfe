package io.lorafab.gateway.basicstation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lorafab.gateway.basicstation.LnsMessage.DataUplink;
import io.lorafab.gateway.basicstation.LnsMessage.JoinRequest;
import io.lorafab.gateway.basicstation.LnsMessage.UpInfo;
import io.lorafab.lorawan.types.Eui64;
import java.math.BigDecimal;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The streaming jreq/updf reader against the tree reader on random messages: whatever the stream accepts, it reads
 * exactly as the tree does; whatever the tree refuses, the stream gives up on, so {@link LnsCodec#decodeFromStation}
 * answers exactly as the tree reader alone did, refusals included.
 */
class LnsUplinkStreamProperties {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Stream and tree agree on {@code text}, and the public decoder answers as the tree alone. */
    static void agree(String text) {
        LnsMessage fast = LnsUplinkStream.tryRead(text);
        Object tree = LnsUplinkStreamTest.tree(text);
        if (fast != null) {
            assertThat(tree).as(text).isEqualTo(fast);
        }
        assertThat(LnsUplinkStreamTest.decoded(text)).as(text).isEqualTo(tree);
    }

    /** What the stream must take: everything but a 64-bit time at its sentinels and a decimal at its bound. */
    static boolean commonShape(UpInfo u) {
        return u.rctx() > Long.MIN_VALUE + 1 && u.xtime() > Long.MIN_VALUE + 1 && u.gpstime() > Long.MIN_VALUE + 1
                && Math.abs(u.snr()) != 100 && u.rxtime() != 1e11 && u.refTime() != 1e11;
    }

    static UpInfo up(LnsMessage m) {
        return m instanceof JoinRequest j ? j.up() : ((DataUplink) m).up();
    }

    @Property(tries = 1000)
    void encodedJreqAndUpdfAreReadByTheStreamExactlyAsByTheTree(@ForAll("uplinks") LnsMessage m) {
        String text = LnsCodec.encode(m);
        LnsMessage fast = LnsUplinkStream.tryRead(text);
        if (commonShape(up(m))) {
            assertThat(fast).as(text).isNotNull();
        }
        agree(text);
    }

    @Property(tries = 1000)
    void theStationsOwnFormsAreReadByTheStreamExactlyAsByTheTree(@ForAll("uplinks") LnsMessage m,
            @ForAll("quarters") int snrQuarters, @ForAll("micros") long rxtime, @ForAll("micros") long refTime)
            throws Exception {
        // s2e_flushRxjobs: RefTime and rxtime "%.6f", snr "%g" of a multiple of 0.25
        ObjectNode o = (ObjectNode) JSON.readTree(LnsCodec.encode(m));
        o.put("RefTime", BigDecimal.valueOf(refTime, 6));
        ObjectNode u = (ObjectNode) o.get("upinfo");
        u.put("rxtime", BigDecimal.valueOf(rxtime, 6));
        BigDecimal snr = new BigDecimal(String.format(Locale.ROOT, "%.2f", snrQuarters / 4.0)).stripTrailingZeros();
        u.put("snr", snr.scale() < 0 ? snr.setScale(0) : snr);
        String text = JSON.writeValueAsString(o);
        if (commonShape(up(m))) {
            assertThat(LnsUplinkStream.tryRead(text)).as(text).isNotNull();
        }
        agree(text);
    }

    @Property(tries = 3000)
    void aFieldChangedToAnyValueIsReadAsTheTreeReadsItOrLeftToTheTree(@ForAll("uplinks") LnsMessage m,
            @ForAll("fields") String field, @ForAll("values") String value) throws Exception {
        ObjectNode o = (ObjectNode) JSON.readTree(LnsCodec.encode(m));
        ObjectNode target = o;
        String name = field;
        if (field.startsWith("upinfo.")) {
            target = (ObjectNode) o.get("upinfo");
            name = field.substring("upinfo.".length());
        }
        if (value.equals("<remove>")) {
            target.remove(name);
        } else {
            target.set(name, JSON.readTree(value));
        }
        agree(JSON.writeValueAsString(o));
    }

    @Property(tries = 2000)
    void anyTextIsReadAsTheTreeReadsItOrLeftToTheTree(@ForAll("texts") String text) {
        agree(text);
    }

    /** The EUI form written into every dnmsg, by table: what eight upper-case {@code %02X} joined by '-' were. */
    @Property(tries = 500)
    void theStationsEuiFormIsEightUpperCaseHexBytesJoinedByDashesAndReadsBack(@ForAll("longs") long value) {
        StringBuilder expected = new StringBuilder();
        for (int i = 7; i >= 0; i--) {
            expected.append(i < 7 ? "-" : "").append(String.format(Locale.ROOT, "%02X", (value >>> (8 * i)) & 0xFF));
        }
        assertThat(StationEui.format(Eui64.of(value))).isEqualTo(expected.toString());
        assertThat(StationEui.parse(StationEui.format(Eui64.of(value)), "e")).isEqualTo(Eui64.of(value));
    }

    // ---------------------------------------------------------------- generators

    @Provide
    Arbitrary<Long> longs() {
        return anyLong();
    }

    @Provide
    Arbitrary<Integer> quarters() {
        return Arbitraries.integers().between(-399, 399); // inside the tree's -100..100
    }

    /** Station times in µs, kept a little away from 1e11 s: a decimal that rounds to the bound is the tree's. */
    @Provide
    Arbitrary<Long> micros() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 99_999_999_000_000_000L), Arbitraries.of(0L,
                1L, 1_796_642_472_125_000L));
    }

    Arbitrary<Long> anyLong() {
        return Arbitraries.oneOf(Arbitraries.longs(), Arbitraries.of(0L, -1L, 1L, Long.MIN_VALUE, Long.MIN_VALUE + 1,
                Long.MIN_VALUE + 2, Long.MAX_VALUE));
    }

    Arbitrary<Double> anyDouble(double min, double max) {
        return Arbitraries.oneOf(Arbitraries.doubles().between(min, max),
                Arbitraries.integers().between((int) Math.max(min * 4, -1000), (int) Math.min(max * 4, 1000)).map(q -> q / 4.0),
                Arbitraries.of(min, max, 0.0, -0.0, Double.MIN_VALUE).filter(d -> d >= min && d <= max));
    }

    Arbitrary<UpInfo> upInfos() {
        Arbitrary<Double> snr = Arbitraries.oneOf(anyDouble(-100, 100), Arbitraries.just(Double.NaN));
        return Combinators.combine(Arbitraries.integers().between(0, 15),
                Arbitraries.oneOf(Arbitraries.longs().between(1, 10_000_000_000L), Arbitraries.of(868_100_000L)),
                anyLong(), anyLong(), anyLong(), Arbitraries.integers().between(-200, 50), snr,
                Arbitraries.oneOf(anyDouble(0, 1e11), Arbitraries.just(1.796642472125e9)))
                .as((dr, freq, rctx, xtime, gps, rssi, s, rx) -> new UpInfo(dr, freq, rctx, xtime, gps, rssi, s, rx,
                        rx >= 0.001 ? rx - 0.001 : 0));
    }

    Arbitrary<JoinRequest> joinRequests() {
        return Combinators.combine(Arbitraries.integers().between(0, 255), anyLong(), anyLong(),
                Arbitraries.integers().between(0, 0xFFFF), Arbitraries.integers(), upInfos())
                .as((mhdr, join, dev, nonce, mic, up) -> new JoinRequest(mhdr, Eui64.of(join), Eui64.of(dev), nonce, mic,
                        up));
    }

    Arbitrary<DataUplink> dataUplinks() {
        Arbitrary<byte[]> fopts = Arbitraries.bytes().array(byte[].class).ofMaxSize(15);
        Arbitrary<byte[]> payload = Arbitraries.bytes().array(byte[].class).ofMaxSize(255);
        return Combinators.combine(Arbitraries.integers().between(0, 255), Arbitraries.integers(),
                Arbitraries.integers().between(0, 15), Arbitraries.integers().between(0, 0xFFFF), fopts,
                Arbitraries.integers().between(-1, 255), payload, Arbitraries.integers())
                .flatAs((mhdr, addr, fhi, fcnt, fo, port, pl, mic) -> upInfos().map(up -> new DataUplink(mhdr, addr,
                        fhi << 4 | fo.length, fcnt, fo, port, port < 0 ? new byte[0] : pl, mic, up)));
    }

    @Provide
    Arbitrary<LnsMessage> uplinks() {
        return Arbitraries.oneOf(joinRequests(), dataUplinks());
    }

    @Provide
    Arbitrary<String> fields() {
        return Arbitraries.of("msgtype", "MHdr", "JoinEui", "DevEui", "JoinEUI", "DevEUI", "DevNonce", "MIC",
                "DevAddr", "FCtrl", "FCnt", "FOpts", "FPort", "FRMPayload", "RefTime", "DR", "Freq", "upinfo", "other",
                "upinfo.rctx", "upinfo.xtime", "upinfo.gpstime", "upinfo.fts", "upinfo.rssi", "upinfo.snr",
                "upinfo.rxtime", "upinfo.other");
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.of("<remove>", "null", "true", "false", "0", "-0", "-1", "1", "0.0", "-0.0", "5.0", "1.5",
                "-35.5", "-35.4", "-200", "-201", "50", "51", "100", "100.0", "-100", "99.99999999999999999",
                "100.00000000000000001", "1e2", "1E-7", "1e-400", "-1e-400", "1e400", "1e999999999", "-1e999999999",
                "1e-999999999", "0e5", "15", "16", "255", "256", "65535", "65536", "2147483647", "2147483648",
                "-2147483648", "-2147483649", "4294967295", "4294967296", "9223372036854775807",
                "-9223372036854775808", "9223372036854775808", "18446744073709551615", "18446744073709551616",
                "123456789012345678901234567890", "868100000", "10000000000", "10000000001", "100000000000",
                "1.0E11", "99999999999.999999", "1796642472.125000", "1.796642472125E9", "\"\"", "\"x\"", "\"jreq\"",
                "\"updf\"", "\"propdf\"", "\"00\"", "\"0\"", "\"ZZ\"", "\"0a0B\"", "\"" + "00".repeat(16) + "\"",
                "\"70-B3-D5-7E-D0-00-00-01\"", "\"70-b3-d5-7e-d0-00-00-01\"", "\"70-B3-D5-7E-D0-00-00-0G\"",
                "\"70B3D57ED0000001\"", "\"::1\"", "\"1::\"", "\"70:B3:D5:7E:D0:00:00:01\"", "\" 70-B3-D5-7E-D0-00-00-01\"",
                "\"70_B3_D5_7E_D0_00_00_01\"", "\"\uff17\uff10-B3-D5-7E-D0-00-00-01\"", "[]", "[1]", "{}",
                "{\"xtime\":1,\"rssi\":-1}", "{\"a\":1e999999999}");
    }

    @Provide
    Arbitrary<String> texts() {
        Arbitrary<String> encoded = uplinks().map(LnsCodec::encode);
        Arbitrary<String> truncated = encoded.flatMap(s -> Arbitraries.integers().between(0, s.length())
                .map(n -> s.substring(0, n)));
        Arbitrary<String> junk = Arbitraries.of("{", "}", "[", "]", ",", ":", "\"", "\"x\"", "null", "1", "-", "e",
                ".", " ", "\\", "\"MHdr\":1", "\"upinfo\":{}", "\u0000", "\u00e9", "\ud800").list().ofMaxSize(6)
                .map(l -> String.join("", l));
        Arbitrary<String> spliced = Combinators.combine(encoded, junk, Arbitraries.integers().between(0, 600))
                .as((s, j, at) -> {
                    int i = Math.min(at, s.length());
                    return s.substring(0, i) + j + s.substring(i);
                });
        Arbitrary<String> cut = Combinators.combine(encoded, Arbitraries.integers().between(0, 600),
                Arbitraries.integers().between(1, 8)).as((s, at, n) -> {
                    int i = Math.min(at, s.length());
                    return s.substring(0, i) + s.substring(Math.min(s.length(), i + n));
                });
        return Arbitraries.oneOf(truncated, spliced, cut, junk, Arbitraries.strings().ofMaxLength(60));
    }
}
