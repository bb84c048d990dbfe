package io.lorafab.gateway.semtech;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lorafab.gateway.semtech.SemtechPacket.PullAck;
import io.lorafab.gateway.semtech.SemtechPacket.PullData;
import io.lorafab.gateway.semtech.SemtechPacket.PullResp;
import io.lorafab.gateway.semtech.SemtechPacket.PushAck;
import io.lorafab.gateway.semtech.SemtechPacket.PushData;
import io.lorafab.gateway.semtech.SemtechPacket.TxAck;
import io.lorafab.lorawan.types.Eui64;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class SemtechCodecProperties {
    private static final ObjectMapper JSON = new ObjectMapper();

    // ------------------------------------------------------------------ round trips

    @Property(tries = 500)
    void pushDataRoundTrip(@ForAll("pushData") PushData p) {
        byte[] d = SemtechCodec.encode(p);
        assertThat(SemtechCodec.decode(d)).isEqualTo(p);
        assertThat(SemtechCodec.encode(SemtechCodec.decode(d))).isEqualTo(d);
    }

    @Property(tries = 300)
    void pushAckRoundTrip(@ForAll("tokens") Token t) {
        byte[] d = SemtechCodec.encode(new PushAck(t));
        assertThat(d).containsExactly(2, t.first(), t.second(), 1);
        assertThat(SemtechCodec.decode(d)).isEqualTo(new PushAck(t));
    }

    @Property(tries = 300)
    void pullDataRoundTrip(@ForAll("tokens") Token t, @ForAll("euis") Eui64 eui) {
        PullData p = new PullData(t, eui);
        byte[] d = SemtechCodec.encode(p);
        assertThat(d).hasSize(12);
        assertThat(SemtechCodec.decode(d)).isEqualTo(p);
        assertThat(SemtechCodec.decodeHeader(d).gatewayEui()).hasValue(eui);
        assertThat(SemtechCodec.decode(SemtechCodec.encode(PullAck.of(p)))).isEqualTo(new PullAck(t));
    }

    @Property(tries = 500)
    void pullRespRoundTrip(@ForAll("tokens") Token t, @ForAll("txpks") Txpk txpk) {
        PullResp p = new PullResp(t, txpk);
        byte[] d = SemtechCodec.encode(p);
        assertThat(SemtechCodec.decode(d)).isEqualTo(p);
    }

    @Property(tries = 300)
    void txAckRoundTrip(@ForAll("txAcks") TxAck ack) {
        byte[] d = SemtechCodec.encode(ack);
        assertThat(SemtechCodec.decode(d)).isEqualTo(ack);
        if (ack.error() == TxAckError.NONE && ack.warning() == TxAckError.NONE) {
            assertThat(d).hasSize(12);
        }
    }

    @Property(tries = 300)
    void tmstPlusWraps(@ForAll("tmsts") long tmst, @ForAll long micros) {
        long r = SemtechCodec.tmstPlus(tmst, micros);
        assertThat(r).isBetween(0L, 0xFFFF_FFFFL);
        assertThat(Long.remainderUnsigned(r - tmst - micros, 1L << 32)).isZero();
        long small = micros % (1L << 31);
        assertThat(SemtechCodec.tmstDelta(SemtechCodec.tmstPlus(tmst, small), tmst)).isEqualTo(small);
    }

    // ------------------------------------------------------------------ robustness

    @Property(tries = 2000)
    void randomBytesOnlyEverGiveProtocolExceptions(@ForAll @Size(max = 300) byte[] datagram) {
        decodeSafely(datagram);
    }

    @Property(tries = 2000)
    void randomBytesAfterAValidHeader(@ForAll("headers") byte[] header, @ForAll @Size(max = 200) byte[] tail) {
        decodeSafely(concat(header, tail));
    }

    @Property(tries = 2000)
    void jsonishGarbageOnlyEverGivesProtocolExceptions(@ForAll("headers") byte[] header,
            @ForAll("jsonish") String json) {
        decodeSafely(concat(header, json.getBytes(StandardCharsets.UTF_8)));
    }

    @Property(tries = 2000)
    void truncatedOrMutatedDatagrams(@ForAll("validDatagrams") byte[] valid, @ForAll @IntRange(max = 10_000) int cut,
            @ForAll @IntRange(max = 10_000) int at, @ForAll byte value, @ForAll boolean truncate) {
        byte[] d;
        if (truncate) {
            d = java.util.Arrays.copyOf(valid, cut % (valid.length + 1));
        } else {
            d = valid.clone();
            d[at % d.length] = value;
        }
        decodeSafely(d);
    }

    /** A valid PUSH_DATA / PULL_RESP whose JSON has one value replaced by an arbitrary JSON value. */
    @Property(tries = 2000)
    void oneFieldReplacedByAnyJsonValue(@ForAll("validDatagrams") byte[] valid, @ForAll @IntRange(max = 10_000) int pick,
            @ForAll("jsonValues") String replacement) throws Exception {
        SemtechCodec.Header h = SemtechCodec.decodeHeader(valid);
        int offset = h.type().hasGatewayEui() ? 12 : 4;
        if (valid.length == offset) {
            return;
        }
        JsonNode root = JSON.readTree(new String(valid, offset, valid.length - offset, StandardCharsets.UTF_8));
        List<ObjectNode> parents = new ArrayList<>();
        List<String> names = new ArrayList<>();
        collect(root, parents, names);
        if (parents.isEmpty()) {
            return;
        }
        int i = pick % parents.size();
        parents.get(i).set(names.get(i), JSON.readTree(replacement));
        byte[] json = JSON.writeValueAsBytes(root);
        decodeSafely(concat(java.util.Arrays.copyOf(valid, offset), json));
    }

    private static void collect(JsonNode n, List<ObjectNode> parents, List<String> names) {
        if (n.isObject()) {
            for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
                String f = it.next();
                parents.add((ObjectNode) n);
                names.add(f);
                collect(n.get(f), parents, names);
            }
        } else if (n.isArray()) {
            for (JsonNode e : (ArrayNode) n) {
                collect(e, parents, names);
            }
        }
    }

    /**
     * Decoding either succeeds, and then the packet re-encodes to something that decodes to the same packet, or
     * throws a {@link SemtechProtocolException} with a real message. Anything else fails the property.
     */
    static void decodeSafely(byte[] datagram) {
        SemtechPacket p;
        try {
            p = SemtechCodec.decode(datagram);
        } catch (SemtechProtocolException e) {
            assertThat(e.getMessage()).isNotBlank().doesNotContain("internal error");
            return;
        }
        assertThat(SemtechCodec.decode(SemtechCodec.encode(p))).isEqualTo(p);
    }

    // ------------------------------------------------------------------ generators

    @Provide
    Arbitrary<Token> tokens() {
        return Arbitraries.integers().between(0, 0xFFFF).map(Token::fromLe);
    }

    @Provide
    Arbitrary<Eui64> euis() {
        return Arbitraries.longs().map(Eui64::of);
    }

    @Provide
    Arbitrary<Long> tmsts() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 0xFFFF_FFFFL),
                Arbitraries.of(0L, 1L, 0x7FFF_FFFFL, 0x8000_0000L, 0xFFFF_FFFEL, 0xFFFF_FFFFL));
    }

    private Arbitrary<Long> frequencies() {
        return Arbitraries.oneOf(Arbitraries.longs().between(1_000_000L, 10_000_000_000L),
                Arbitraries.longs().between(0, 80).map(i -> 863_100_000L + i * 100_000L),
                Arbitraries.of(868_100_000L, 866_349_812L, 869_525_000L, 902_300_000L));
    }

    private Arbitrary<DataRate> dataRates() {
        Arbitrary<DataRate> lora = Combinators.combine(Arbitraries.integers().between(5, 12),
                Arbitraries.of(125, 250, 500)).as(DataRate.Lora::of);
        Arbitrary<DataRate> fsk = Arbitraries.longs().between(1, DataRate.Fsk.MAX_BIT_RATE).map(DataRate.Fsk::new);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(4, lora), net.jqwik.api.Tuple.of(1, fsk));
    }

    private Arbitrary<Double> snrs() {
        return Arbitraries.oneOf(Arbitraries.doubles().between(-1000, 1000).ofScale(12),
                Arbitraries.integers().between(-300, 300).map(i -> i / 10.0),
                Arbitraries.of(0.0, -0.0, 1e-300, -1e-7, 1000.0, -1000.0, Double.MIN_VALUE));
    }

    private Arbitrary<Instant> microInstants() {
        return Arbitraries.longs().between(0, 4_102_444_800_000_000L)
                .map(us -> Instant.EPOCH.plus(us, ChronoUnit.MICROS));
    }

    private Arbitrary<byte[]> payloads() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
    }

    private Arbitrary<Rsig> antennas() {
        Arbitrary<Optional<Integer>> rssi = Arbitraries.integers().between(-1000, 1000).optional();
        return Combinators.combine(Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, 255),
                Arbitraries.integers().between(-1000, 1000), rssi,
                Arbitraries.integers().between(0, 1000).optional(), snrs().optional(),
                Arbitraries.strings().withCharRange((char) 0x20, (char) 0x7e).ofMaxLength(24).optional(),
                Combinators.combine(Arbitraries.longs().optional(), Arbitraries.longs().optional()).as(List::of))
                .as((ant, chan, rssic, rssis, rssisd, lsnr, etime, f) -> new Rsig(ant, chan, rssic, rssis, rssisd,
                        lsnr, etime, f.get(0), f.get(1)));
    }

    private record RxHead(Optional<Instant> time, Optional<Long> tmms, long tmst, long freq, int chan, int rfch,
            CrcStatus crc, DataRate dataRate) {
    }

    @Provide
    Arbitrary<Rxpk> rxpks() {
        Arbitrary<RxHead> head = Combinators.combine(microInstants().optional(),
                Arbitraries.longs().between(0, Long.MAX_VALUE).optional(), tmsts(), frequencies(),
                Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, 255),
                Arbitraries.of(CrcStatus.class), dataRates()).as(RxHead::new);
        return Combinators.combine(head, Arbitraries.of(CodingRate.class).optional(),
                Arbitraries.integers().between(-1000, 1000), snrs().optional(), payloads(),
                antennas().list().ofMaxSize(3))
                .as((h, codr, rssi, lsnr, data, rsig) -> new Rxpk(h.time(), h.tmms(), h.tmst(), h.freq(), h.chan(),
                        h.rfch(), h.crc(), h.dataRate(), codr, rssi, lsnr, data, rsig));
    }

    @Provide
    Arbitrary<Stat> stats() {
        Arbitrary<Optional<Long>> count = Arbitraries.longs().between(0, 0xFFFF_FFFFL).optional();
        Arbitrary<Optional<Instant>> time = Arbitraries.longs().between(0, 4_102_444_800L)
                .map(Instant::ofEpochSecond).optional();
        Arbitrary<List<Optional<Double>>> position = Combinators.combine(
                Arbitraries.doubles().between(-90, 90).ofScale(8).optional(),
                Arbitraries.doubles().between(-180, 180).ofScale(8).optional(),
                Arbitraries.doubles().between(0, 100).ofScale(3).optional()).as(List::of);
        return Combinators.combine(time, position, Arbitraries.integers().optional(), count, count, count, count, count)
                .as((t, pos, alti, rxnb, rxok, rxfw, dwnb, txnb) -> new Stat(t, pos.get(0), pos.get(1), alti, rxnb,
                        rxok, rxfw, pos.get(2), dwnb, txnb));
    }

    @Provide
    Arbitrary<PushData> pushData() {
        return Combinators.combine(tokens(), euis(), rxpks().list().ofMaxSize(4), stats().optional())
                .as(PushData::new);
    }

    private record TxTiming(boolean imme, Optional<Long> tmst, Optional<Long> tmms) {
    }

    @Provide
    Arbitrary<Txpk> txpks() {
        Arbitrary<TxTiming> timing = Combinators.combine(Arbitraries.of(true, false), tmsts().optional(),
                Arbitraries.longs().between(0, Long.MAX_VALUE).optional())
                .as((imme, tmst, tmms) -> new TxTiming(imme || tmst.isEmpty() && tmms.isEmpty(), tmst, tmms));
        Arbitrary<List<Object>> radio = Combinators.combine(frequencies(), Arbitraries.integers().between(0, 255),
                Arbitraries.integers().between(-128, 127).optional(), dataRates()).as(List::of);
        return Combinators.combine(timing, radio, Arbitraries.of(CodingRate.class),
                Arbitraries.integers().between(0, 1_000_000), Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 65_535).optional(), payloads(), Arbitraries.of(true, false))
                .as((tm, r, codr, fdev, ipol, prea, data, ncrc) -> {
                    DataRate dr = (DataRate) r.get(3);
                    boolean lora = dr.modulation() == Modulation.LORA;
                    @SuppressWarnings("unchecked")
                    Optional<Integer> powe = (Optional<Integer>) r.get(2);
                    return new Txpk(tm.imme(), tm.tmst(), tm.tmms(), (Long) r.get(0), (Integer) r.get(1), powe, dr,
                            lora ? Optional.of(codr) : Optional.empty(), lora ? Optional.empty() : Optional.of(fdev),
                            lora && ipol, prea, data, ncrc);
                });
    }

    @Provide
    Arbitrary<TxAck> txAcks() {
        return Combinators.combine(tokens(), euis(), Arbitraries.of(TxAckError.class), Arbitraries.of(TxAckError.class),
                Arbitraries.integers().optional())
                .as((t, eui, error, warning, value) -> new TxAck(t, eui, error, warning,
                        warning == TxAckError.NONE ? Optional.empty() : value));
    }

    @Provide
    Arbitrary<byte[]> headers() {
        return Combinators.combine(tokens(), euis(), Arbitraries.of(PacketType.class)).as((t, eui, type) -> {
            byte[] h = new byte[type.hasGatewayEui() ? 12 : 4];
            h[0] = 2;
            h[1] = t.first();
            h[2] = t.second();
            h[3] = (byte) type.id();
            if (type.hasGatewayEui()) {
                System.arraycopy(eui.toBytes(), 0, h, 4, 8);
            }
            return h;
        });
    }

    @Provide
    Arbitrary<byte[]> validDatagrams() {
        return Arbitraries.oneOf(pushData().map(SemtechCodec::encode),
                Combinators.combine(tokens(), txpks()).as(PullResp::new).map(SemtechCodec::encode),
                txAcks().map(SemtechCodec::encode));
    }

    private static final List<String> FRAGMENTS = List.of("{", "}", "[", "]", ",", ":", "\"", " ", "\u0000",
            "\"rxpk\"", "\"stat\"", "\"txpk\"", "\"txpk_ack\"", "\"rsig\"", "\"tmst\"", "\"freq\"", "\"data\"",
            "\"datr\"", "\"modu\"", "\"codr\"", "\"size\"", "\"rssi\"", "\"lsnr\"", "\"chan\"", "\"rfch\"",
            "\"time\"", "\"imme\"", "\"error\"", "\"warn\"", "\"value\"", "\"ant\"", "\"rssic\"", "\"lati\"",
            "\"LORA\"", "\"FSK\"", "\"SF7BW125\"", "\"4/5\"", "\"AQID\"", "\"-_\"", "\"2013-03-31T16:21:17Z\"",
            "0", "1", "-1", "868.1", "1e999999999", "1e-999999999", "4294967296", "99999999999999999999999",
            "-0.0", "true", "false", "null", "\"\\u0000\"", "\"\\ud800\"", "é", "NaN");

    @Provide
    Arbitrary<String> jsonish() {
        Arbitrary<String> fragments = Arbitraries.of(FRAGMENTS).list().ofMaxSize(40).map(l -> String.join("", l));
        Arbitrary<String> mostlyValid = validDatagrams().map(d -> {
            int off = d[3] == 3 ? 4 : 12;
            return new String(d, off, d.length - off, StandardCharsets.UTF_8);
        }).flatMap(s -> Arbitraries.integers().between(0, s.length()).map(n -> s.substring(0, n)));
        return Arbitraries.oneOf(fragments, mostlyValid, Arbitraries.strings().ofMaxLength(80));
    }

    @Provide
    Arbitrary<String> jsonValues() {
        return Arbitraries.of("null", "true", "false", "0", "-1", "1.5", "1e999999999", "-1e999999999",
                "1e-999999999", "4294967295", "4294967296", "-2147483649", "123456789012345678901234567890",
                "868.1", "\"\"", "\"x\"", "\"SF7BW125\"", "\"FSK\"", "\"4/5\"", "\"AQID\"", "\"A\"", "\"-\"",
                "\"TX_POWER\"", "[]", "[1,2]", "[{}]", "{}", "{\"a\":1}", "\"2014-01-12 08:59:28 GMT\"",
                "\"2013-03-31T16:21:17.528002Z\"");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
