package io.lorafab.gateway.semtech;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The streaming PUSH_DATA reader against the tree reader, which defines what is accepted and how a refusal
 * reads: whatever the streaming reader accepts, it reads exactly as the tree reader does; whatever the tree
 * reader refuses, the streaming reader gives up on (so the refusal still comes from the tree reader).
 */
class PushDataStreamProperties {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SemtechCodecProperties gen = new SemtechCodecProperties();

    /** The tree reader's body, or empty when it refuses the text. */
    static Optional<SemtechJson.PushBody> tree(String json) {
        try {
            return Optional.of(SemtechJson.readPush(SemtechJson.parseRoot(json, "PUSH_DATA")));
        } catch (SemtechProtocolException e) {
            return Optional.empty();
        }
    }

    static SemtechJson.PushBody stream(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return PushDataStream.tryRead(b, 0, b.length);
    }

    static void agree(String json) {
        SemtechJson.PushBody fast = stream(json);
        if (fast != null) {
            assertThat(tree(json)).as(json).contains(fast);
        }
    }

    /**
     * What forwarders send: one antenna, LoRa, an SNR as a plain decimal (not 1.0E-12, nor 17 digits) inside the
     * range (the stream leaves the bounds themselves to the tree's exact comparison).
     */
    static boolean commonShape(Rxpk r) {
        return r.rsig().isEmpty() && r.dataRate() instanceof DataRate.Lora && r.lsnr().map(String::valueOf)
                .map(s -> !s.contains("E") && s.chars().filter(Character::isDigit).count() <= 15).orElse(true)
                && r.lsnr().map(d -> Math.abs(d) < Limits.MAX_SNR).orElse(true);
    }

    @Property(tries = 500)
    void theCommonShapeIsReadByTheStreamExactlyAsByTheTree(@ForAll("receptions") List<Rxpk> rxpk) {
        String json = new String(SemtechJson.writePush(rxpk, Optional.empty()), StandardCharsets.UTF_8);
        SemtechJson.PushBody fast = stream(json);
        if (rxpk.stream().allMatch(PushDataStreamProperties::commonShape)) {
            assertThat(fast).as(json).isNotNull();
            assertThat(fast.rxpk()).isEqualTo(rxpk);
        }
        agree(json);
    }

    @Property(tries = 3000)
    void aFieldChangedToAnyValueIsReadAsTheTreeReadsItOrLeftToTheTree(@ForAll("receptions") List<Rxpk> rxpk,
            @ForAll("fields") String field, @ForAll("values") String value) throws Exception {
        if (rxpk.isEmpty()) {
            return;
        }
        ObjectNode root = (ObjectNode) JSON.readTree(SemtechJson.writePush(rxpk, Optional.empty()));
        ObjectNode first = (ObjectNode) root.get("rxpk").get(0);
        if (value.equals("<remove>")) {
            first.remove(field);
        } else {
            first.set(field, JSON.readTree(value));
        }
        agree(JSON.writeValueAsString(root));
    }

    @Property(tries = 2000)
    void anyTextIsReadAsTheTreeReadsItOrLeftToTheTree(@ForAll("texts") String json) {
        agree(json);
    }

    @Example
    void whatTheStreamLeavesToTheTree() {
        String base = "\"tmst\":1,\"chan\":0,\"rfch\":0,\"freq\":868.1,\"stat\":1,\"modu\":\"LORA\","
                + "\"datr\":\"SF7BW125\",\"codr\":\"4/5\",\"rssi\":-50,\"lsnr\":9.5,\"size\":3,\"data\":\"AQID\"";
        assertThat(stream("{\"rxpk\":[{" + base + "}]}")).isNotNull();
        for (String json : List.of(
                "{\"rxpk\":[{" + base + ",\"tmst\":2}]}", // duplicate key: refused by the tree
                "{\"rxpk\":[{" + base + "}]} {}", // trailing tokens: refused by the tree
                "{\"rxpk\":[{" + base + ",\"rsig\":[]}]}", // rsig: read by the tree
                "{\"rxpk\":[{" + base + "}],\"stat\":{}}", // a status report: read by the tree
                "{\"rxpk\":[{" + base.replace("868.1", "868.1000000001") + "}]}", // ten decimals
                "{\"rxpk\":[{" + base.replace("-50", "-50.0") + "}]}", // an RSSI with decimals: rounded by the tree
                "{\"rxpk\":[{" + base.replace("\"rfch\":0", "\"rfch\":0.0") + "}]}", // an integer as 0.0
                "{\"rxpk\":[{" + base.replace("9.5", "9.5e0") + "}]}", // an exponent
                "{\"rxpk\":[{" + base.replace("SF7BW125", "SF13BW125") + "}]}", // out of range: refused by the tree
                "{\"rxpk\":[{" + base + ",\"x\":null}]}", // a field it does not know
                "{\"rxpk\":[{" + base.replace("\"size\":3", "\"size\":4") + "}]}")) { // refused by the tree
            assertThat(stream(json)).as(json).isNull();
            agree(json);
        }
    }

    @Example
    void theCompactTimeIsReadAsInstantParseReadsIt() {
        for (String t : List.of("2026-12-07T10:11:12Z", "2026-12-07T10:11:12.5Z", "2026-12-07T10:11:12.123456Z",
                "2024-02-29T23:59:59.999999999Z", "1970-01-01T00:00:00Z", "0000-01-01T00:00:00Z", "1969-12-31T23:59:59.1Z")) {
            assertThat(PushDataStream.compactTime(t)).as(t).isEqualTo(java.time.Instant.parse(t));
        }
        for (String t : List.of("2026-02-29T00:00:00Z", "2026-12-07T24:00:00Z", "2026-12-07T23:59:60Z",
                "2026-12-07t10:11:12z", "2026-12-07T10:11:12+01:00", "2026-12-07T10:11:12.Z", "2026-12-07T10:11:12")) {
            assertThat(PushDataStream.compactTime(t)).as(t).isNull();
        }
    }

    @Provide
    Arbitrary<List<Rxpk>> receptions() {
        return gen.rxpks().list().ofMaxSize(3);
    }

    @Provide
    Arbitrary<String> fields() {
        return Arbitraries.of("time", "tmms", "tmst", "freq", "chan", "rfch", "stat", "modu", "datr", "codr", "rssi",
                "lsnr", "size", "data", "rsig", "other");
    }

    @Provide
    Arbitrary<String> values() {
        return Arbitraries.oneOf(gen.jsonValues(), Arbitraries.of("<remove>", "-1000", "1000", "-1001", "1001", "255",
                "256", "65535", "65536", "1", "2", "-2", "0.5", "-0.5", "999.9999999995", "1.0000000005", "10000",
                "10000.000000001", "0.999999", "\"SF12BW500\"", "\"SF5BW125\"", "\"SF4BW125\"", "\"SF07BW0125\"",
                "\"SF7BW12500\"", "\"LORA\"", "\"OFF\"", "\"4/9\"", "\"AQ==\"", "\"AQ\"", "\"A===\"",
                "\"2026-12-07T10:11:12.123456789Z\"", "\"2026-12-07T10:11:12Z\"", "-999.99999999999", "-0",
                "18446744073709551616", "9223372036854775807", "9223372036854775808", "4294967295",
                "-0.0", "12.3456789012345678", "868.1000000005", "\"2026-02-29T00:00:00Z\"",
                "\"2024-02-29T23:59:59.1Z\"", "\"2026-12-07T24:00:00Z\"", "\"2026-12-07T23:59:60Z\"",
                "\"2026-12-07t10:11:12z\"", "\"2026-12-07T10:11:12+01:00\"", "\"2026-12-07T10:11:12.Z\"",
                "\"2026-12-07T10:11:12.1234567890Z\"", "\"0000-01-01T00:00:00Z\"", "\"9999-12-31T23:59:59.999999999Z\"",
                "\"2026-13-07T10:11:12Z\"", "\"2026-12-07T10:61:12Z\"", "\"2026-12-07T10:11:12.12345Z\""));
    }

    @Provide
    Arbitrary<String> texts() {
        Arbitrary<String> truncated = receptions().map(r -> new String(SemtechJson.writePush(r, Optional.empty()),
                StandardCharsets.UTF_8)).flatMap(s -> Arbitraries.integers().between(0, s.length())
                        .map(n -> s.substring(0, n)));
        Arbitrary<String> spliced = Combinators.combine(receptions(), gen.jsonish(), Arbitraries.integers().between(0, 400))
                .as((r, junk, at) -> {
                    String s = new String(SemtechJson.writePush(r, Optional.empty()), StandardCharsets.UTF_8);
                    int i = Math.min(at, s.length());
                    return s.substring(0, i) + junk + s.substring(i);
                });
        return Arbitraries.oneOf(truncated, spliced, gen.jsonish());
    }
}
