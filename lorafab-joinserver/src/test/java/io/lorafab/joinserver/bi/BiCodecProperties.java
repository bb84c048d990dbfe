package io.lorafab.joinserver.bi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.lorafab.lorawan.frame.DlSettings;
import io.lorafab.lorawan.types.DevAddr;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.Hex;
import io.lorafab.lorawan.types.MacVersion;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Round trips for every message type with arbitrary fields, and robustness: whatever the bytes, {@link BiCodec#parse}
 * either returns a message that writes back to itself or throws {@link BiFormatException}.
 */
class BiCodecProperties {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> FIELDS = List.of("ProtocolVersion", "SenderID", "ReceiverID", "TransactionID",
            "MessageType", "SenderNSID", "ReceiverNSID", "SenderToken", "ReceiverToken", "MACVersion", "PHYPayload",
            "DevEUI", "DevAddr", "DLSettings", "RxDelay", "CFList", "Result", "Lifetime", "NwkSKey", "FNwkSIntKey",
            "SNwkSIntKey", "NwkSEncKey", "AppSKey", "SessionKeyID");

    // ------------------------------------------------------------------ round trips

    @Property(tries = 1000)
    void everyMessageSurvivesWriteAndParse(@ForAll("messages") BiMessage m) {
        byte[] json = BiCodec.write(m);
        BiMessage back = BiCodec.parse(json);
        assertThat(back).isEqualTo(m);
        assertThat(BiCodec.write(back)).isEqualTo(json);
    }

    @Property(tries = 300)
    void joinReqRoundTrip(@ForAll("joinReqs") JoinReq m) {
        assertThat(BiCodec.parse(BiCodec.write(m))).isEqualTo(m);
    }

    @Property(tries = 300)
    void joinAnsRoundTrip(@ForAll("joinAnss") JoinAns m) {
        assertThat(BiCodec.parse(BiCodec.write(m))).isEqualTo(m);
    }

    @Property(tries = 300)
    void appSKeyReqRoundTrip(@ForAll("appSKeyReqs") AppSKeyReq m) {
        assertThat(BiCodec.parse(BiCodec.write(m))).isEqualTo(m);
    }

    @Property(tries = 300)
    void appSKeyAnsRoundTrip(@ForAll("appSKeyAnss") AppSKeyAns m) {
        assertThat(BiCodec.parse(BiCodec.write(m))).isEqualTo(m);
    }

    @Property(tries = 300)
    void errorAnswerRoundTrip(@ForAll("errorAnswers") ErrorAnswer m) {
        assertThat(BiCodec.parse(BiCodec.write(m))).isEqualTo(m);
    }

    @Property(tries = 500)
    void answersSwapTheIdsAndKeepTheTransaction(@ForAll("joinReqs") JoinReq req, @ForAll("failureCodes") BiResultCode code,
            @ForAll("texts") String description) {
        JoinAns success = JoinAns.success(req, HexBytes.of(new byte[17]),
                req.lorawan11Session()
                        ? new NetworkKeys.Lorawan11(plain(1), plain(2), plain(3)) : new NetworkKeys.Lorawan10(plain(1)),
                Optional.of(plain(4)), Optional.empty(), Optional.empty());
        JoinAns failure = JoinAns.failure(req, code, description);
        for (JoinAns a : List.of(success, failure)) {
            assertThat(a.header().messageType()).isEqualTo(BiMessageType.JOIN_ANS);
            assertThat(a.header().protocolVersion()).isEqualTo(req.header().protocolVersion());
            assertThat(a.header().transactionId()).isEqualTo(req.header().transactionId());
            assertThat(a.header().senderId()).isEqualTo(req.header().receiverId());
            assertThat(a.header().receiverId()).isEqualTo(req.header().senderId());
            assertThat(a.header().receiverToken()).isEqualTo(req.header().senderToken());
            assertThat(a.header().receiverNsId()).isEqualTo(
                    req.header().protocolVersion().hasNsIds() ? req.header().senderNsId() : Optional.empty());
            assertThat(BiCodec.parse(BiCodec.write(a))).isEqualTo(a);
        }
        assertThat(failure.result()).isEqualTo(BiResult.of(code, description));
    }

    // ------------------------------------------------------------------ robustness

    @Property(tries = 2000)
    void randomBytesOnlyEverGiveTheTypedException(@ForAll @Size(max = 400) byte[] body) {
        parseSafely(body);
    }

    @Property(tries = 2000)
    void randomJsonOnlyEverGivesTheTypedException(@ForAll("jsonValues") String json) {
        parseSafely(json.getBytes(StandardCharsets.UTF_8));
    }

    /** Objects made of the real field names, each with a plausible or an arbitrary value. */
    @Property(tries = 3000)
    void messageShapedJsonOnlyEverGivesTheTypedException(@ForAll("messageShapedJson") String json) {
        Optional<BiFormatException> e = parseSafely(json.getBytes(StandardCharsets.UTF_8));
        Statistics.label("outcome").collect(e.isEmpty() ? "parsed" : e.get().answer().isPresent() ? "refused, answerable"
                : "refused");
    }

    /** Any JSON number literal, exponents far beyond int range included, in each numeric field. */
    @Property(tries = 2000)
    void anyNumberLiteralInANumericField(@ForAll("numberLiterals") String number,
            @ForAll("numericFields") String field) {
        String body = field.equals("Lifetime")
                ? "{\"ProtocolVersion\":\"1.0\",\"SenderID\":\"0101010101010101\",\"ReceiverID\":\"000000\","
                        + "\"TransactionID\":1,\"MessageType\":\"JoinAns\",\"Result\":{\"ResultCode\":\"Other\"},"
                        + "\"Lifetime\":" + number + "}"
                : BiSamples.joinReqWith(field, number);
        parseSafely(body.getBytes(StandardCharsets.UTF_8));
    }

    @Provide
    Arbitrary<String> numberLiterals() {
        Arbitrary<String> digits = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(25);
        return Combinators.combine(Arbitraries.of("", "-"), digits, digits.optional(),
                Combinators.combine(Arbitraries.of("e", "E", "e+", "e-", "E-"), digits).as(String::concat).optional())
                .as((sign, whole, frac, exp) -> sign + whole + frac.map(f -> "." + f).orElse("") + exp.orElse(""));
    }

    @Provide
    Arbitrary<String> numericFields() {
        return Arbitraries.of("TransactionID", "RxDelay", "DLSettings", "Lifetime");
    }

    @Property(tries = 1000)
    void truncatedBodiesAreRefused(@ForAll("messages") BiMessage m, @ForAll @IntRange(max = 100_000) int cut) {
        byte[] json = BiCodec.write(m);
        byte[] truncated = Arrays.copyOf(json, cut % json.length);
        assertThatThrownBy(() -> BiCodec.parse(truncated)).isInstanceOf(BiFormatException.class);
    }

    @Property(tries = 2000)
    void mutatedBytes(@ForAll("messages") BiMessage m, @ForAll @IntRange(max = 100_000) int at, @ForAll byte value) {
        byte[] json = BiCodec.write(m);
        json[at % json.length] = value;
        parseSafely(json);
    }

    /**
     * One member of a valid body replaced by any JSON value, or removed: the typed exception or a valid message,
     * and an exception message never quotes the body's key material.
     */
    @Property(tries = 3000)
    void oneMemberReplacedOrRemoved(@ForAll("messages") BiMessage m, @ForAll @IntRange(max = 100_000) int pick,
            @ForAll("jsonValues") String replacement, @ForAll boolean remove) throws Exception {
        JsonNode root = JSON.readTree(BiCodec.write(m));
        List<ObjectNode> parents = new ArrayList<>();
        List<String> names = new ArrayList<>();
        collect(root, parents, names);
        int i = pick % parents.size();
        if (remove) {
            parents.get(i).remove(names.get(i));
        } else {
            parents.get(i).set(names.get(i), JSON.readTree(replacement));
        }
        List<String> keys = new ArrayList<>();
        root.findValues("AESKey").forEach(k -> keys.add(k.asText()));
        Optional<BiFormatException> refused = parseSafely(JSON.writeValueAsBytes(root));
        Statistics.label("outcome").collect(refused.isEmpty() ? "parsed" : "refused");
        refused.ifPresent(e -> {
            for (String k : keys) {
                if (k.length() >= 16) {
                    assertThat(e.getMessage().toLowerCase(Locale.ROOT))
                            .doesNotContain(k.substring(0, 16).toLowerCase(Locale.ROOT));
                }
            }
        });
    }

    /**
     * Parsing either succeeds, and the message writes back to itself, or throws {@link BiFormatException} with a
     * real message (returned) whose failure answer, if any, is itself writable. Any other exception fails.
     */
    static Optional<BiFormatException> parseSafely(byte[] body) {
        BiMessage m;
        try {
            m = BiCodec.parse(body);
        } catch (BiFormatException e) {
            assertThat(e.getMessage()).isNotBlank();
            assertThat(e.resultCode()).isIn(BiResultCode.MALFORMED_REQUEST, BiResultCode.INVALID_PROTOCOL_VERSION);
            e.answer().ifPresent(a -> assertThat(BiCodec.parse(BiCodec.write(a))).isEqualTo(a));
            return Optional.of(e);
        }
        assertThat(BiCodec.parse(BiCodec.write(m))).isEqualTo(m);
        return Optional.empty();
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

    // ------------------------------------------------------------------ generators: messages

    @Provide
    Arbitrary<BiMessage> messages() {
        return Arbitraries.oneOf(joinReqs(), joinAnss(), appSKeyReqs(), appSKeyAnss(), errorAnswers());
    }

    @Provide
    Arbitrary<JoinReq> joinReqs() {
        Arbitrary<BiHeader> header = headers(BiMessageType.JOIN_REQ, hexIds(3), hexIds(8));
        Arbitrary<HexBytes> phy = bytes(1, 255);
        Arbitrary<Optional<HexBytes>> cfList = bytes(16, 16).optional();
        return Combinators.combine(header, Arbitraries.of(MacVersion.class), phy, Arbitraries.longs().map(Eui64::of),
                Arbitraries.integers().map(DevAddr::of), Arbitraries.integers().between(0, 255).map(DlSettings::decode),
                Arbitraries.integers().between(0, 15), cfList).as(JoinReq::new);
    }

    @Provide
    Arbitrary<JoinAns> joinAnss() {
        Arbitrary<BiHeader> header = headers(BiMessageType.JOIN_ANS, hexIds(8), hexIds(3));
        Arbitrary<JoinAns> success = Combinators.combine(header, texts(), bytes(1, 64), networkKeys(),
                envelopes().optional(), bytes(1, 32).optional(), lifetimes().optional())
                .as((h, d, phy, keys, app, id, life) -> new JoinAns(h, BiResult.of(BiResultCode.SUCCESS, d),
                        Optional.of(phy), Optional.of(keys), app.isEmpty() && id.isEmpty() ? Optional.of(plain(9)) : app,
                        id, life));
        Arbitrary<JoinAns> failure = Combinators.combine(headers(BiMessageType.JOIN_ANS, anyIds(), anyIds()),
                failureResults(), bytes(1, 64).optional(), networkKeys().optional(), envelopes().optional(),
                bytes(1, 32).optional(), lifetimes().optional()).as(JoinAns::new);
        return Arbitraries.oneOf(success, failure);
    }

    @Provide
    Arbitrary<AppSKeyReq> appSKeyReqs() {
        return Combinators.combine(headers(BiMessageType.APP_S_KEY_REQ, anyIds(), hexIds(8)),
                Arbitraries.longs().map(Eui64::of), bytes(1, 32)).as(AppSKeyReq::new);
    }

    @Provide
    Arbitrary<AppSKeyAns> appSKeyAnss() {
        Arbitrary<AppSKeyAns> success = Combinators.combine(headers(BiMessageType.APP_S_KEY_ANS, hexIds(8), anyIds()),
                texts(), Arbitraries.longs().map(Eui64::of), envelopes(), bytes(1, 32))
                .as((h, d, dev, app, id) -> new AppSKeyAns(h, BiResult.of(BiResultCode.SUCCESS, d), Optional.of(dev),
                        Optional.of(app), Optional.of(id)));
        Arbitrary<AppSKeyAns> failure = Combinators.combine(headers(BiMessageType.APP_S_KEY_ANS, anyIds(), anyIds()),
                failureResults(), Arbitraries.longs().map(Eui64::of).optional(), envelopes().optional(),
                bytes(1, 32).optional()).as(AppSKeyAns::new);
        return Arbitraries.oneOf(success, failure);
    }

    @Provide
    Arbitrary<ErrorAnswer> errorAnswers() {
        Arbitrary<BiMessageType> types = Arbitraries.of(BiMessageType.class).filter(t -> !t.isRequest()
                && t != BiMessageType.JOIN_ANS && t != BiMessageType.APP_S_KEY_ANS);
        return Combinators.combine(types.flatMap(t -> headers(t, anyIds(), anyIds())), results()).as(ErrorAnswer::new);
    }

    private Arbitrary<BiHeader> headers(BiMessageType type, Arbitrary<String> senders, Arbitrary<String> receivers) {
        Arbitrary<Long> tids = Arbitraries.oneOf(Arbitraries.longs().between(0, BiHeader.MAX_TRANSACTION_ID),
                Arbitraries.of(0L, 1L, 0x7FFF_FFFFL, 0x8000_0000L, BiHeader.MAX_TRANSACTION_ID));
        Arbitrary<Optional<String>> nsIds = Arbitraries.oneOf(hexIds(8), hexIds(3), anyIds()).optional();
        Arbitrary<Optional<HexBytes>> tokens = bytes(1, 16).optional();
        return Combinators.combine(Arbitraries.of(BiProtocolVersion.class), senders, receivers, tids, nsIds, nsIds,
                tokens, tokens).as((v, s, r, t, sn, rn, st, rt) -> new BiHeader(v, s, r, t, type, sn, rn, st, rt));
    }

    /** {@code n} bytes of hex in any case, sometimes "0x"-prefixed or padded with blanks. */
    private Arbitrary<String> hexIds(int n) {
        Arbitrary<String> hex = Arbitraries.bytes().array(byte[].class).ofSize(n).map(Hex::format);
        return Combinators.combine(hex, Arbitraries.of("lower", "upper", "mixed"), Arbitraries.of("", "0x", "0X", " "))
                .as((h, caze, prefix) -> {
                    String s = switch (caze) {
                        case "upper" -> h.toUpperCase(Locale.ROOT);
                        case "mixed" -> h.substring(0, h.length() / 2).toUpperCase(Locale.ROOT) + h.substring(h.length() / 2);
                        default -> h;
                    };
                    return prefix.equals(" ") ? " " + s + " " : prefix + s;
                });
    }

    /** Any non-empty text (AS-IDs, host names, ...), control characters and non-ASCII included. */
    private Arbitrary<String> anyIds() {
        return Arbitraries.oneOf(hexIds(3), hexIds(8), Arbitraries.strings().withCharRange('\u0000', '\u00ff')
                .withChars("€日本ß\u2028").ofMinLength(1).ofMaxLength(40));
    }

    @Provide
    Arbitrary<String> texts() {
        return Arbitraries.strings().withCharRange('\u0000', '\u00ff').withChars("€日本").ofMaxLength(60);
    }

    @Provide
    Arbitrary<BiResultCode> failureCodes() {
        return Arbitraries.of(BiResultCode.class).filter(c -> !c.isSuccess());
    }

    private Arbitrary<BiResult> results() {
        return Combinators.combine(Arbitraries.of(BiResultCode.class), texts()).as(BiResult::of);
    }

    private Arbitrary<BiResult> failureResults() {
        return Combinators.combine(failureCodes(), texts()).as(BiResult::of);
    }

    private Arbitrary<Long> lifetimes() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 0xFFFF_FFFFL), Arbitraries.of(0L, 86400L, 0xFFFF_FFFFL));
    }

    private Arbitrary<HexBytes> bytes(int min, int max) {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(min).ofMaxSize(max).map(HexBytes::of);
    }

    private Arbitrary<KeyEnvelope> envelopes() {
        Arbitrary<KeyEnvelope> plain = Arbitraries.bytes().array(byte[].class).ofSize(16).map(k -> new KeyEnvelope("", k));
        Arbitrary<KeyEnvelope> wrapped = Combinators.combine(
                Arbitraries.strings().withCharRange(' ', '~').withChars("€").ofMinLength(1).ofMaxLength(30),
                Arbitraries.bytes().array(byte[].class).ofSize(24)).as(KeyEnvelope::new);
        return Arbitraries.oneOf(plain, wrapped);
    }

    private Arbitrary<NetworkKeys> networkKeys() {
        return Arbitraries.oneOf(envelopes().map(NetworkKeys.Lorawan10::new),
                Combinators.combine(envelopes(), envelopes(), envelopes()).as(NetworkKeys.Lorawan11::new));
    }

    static KeyEnvelope plain(int fill) {
        byte[] k = new byte[16];
        Arrays.fill(k, (byte) fill);
        return new KeyEnvelope("", k);
    }

    // ------------------------------------------------------------------ generators: JSON

    @Provide
    Arbitrary<String> jsonValues() {
        return jsonNodes(3).map(JsonNode::toString);
    }

    private Arbitrary<JsonNode> jsonNodes(int depth) {
        Arbitrary<JsonNode> leaf = Arbitraries.oneOf(
                texts().map(TextNode::valueOf),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(30).map(b -> TextNode.valueOf(Hex.format(b))),
                Arbitraries.of("Success", "JoinReq", "JoinAns", "AppSKeyReq", "AppSKeyAns", "HomeNSReq", "ErrorNotif",
                        "1.0", "1.1", "1.0.3", "1.1.0", "RX_DELAY_3", "0x00", "-1", "4294967296").map(TextNode::valueOf),
                Arbitraries.longs().map(LongNode::valueOf),
                Arbitraries.bigDecimals().between(new BigDecimal("-1e12"), new BigDecimal("1e12")).ofScale(3)
                        .map(DecimalNode::valueOf),
                Arbitraries.of(NullNode.instance, BooleanNode.TRUE, BooleanNode.FALSE));
        if (depth == 0) {
            return leaf;
        }
        Arbitrary<JsonNode> child = Arbitraries.lazy(() -> jsonNodes(depth - 1));
        Arbitrary<JsonNode> array = child.list().ofMaxSize(4).map(l -> {
            ArrayNode a = NODES.arrayNode();
            a.addAll(l);
            return a;
        });
        Arbitrary<JsonNode> object = Combinators.combine(
                Arbitraries.oneOf(Arbitraries.of(FIELDS), Arbitraries.of("KEKLabel", "AESKey", "ResultCode",
                        "Description"), texts()).list().ofMaxSize(5), child.list().ofSize(5))
                .as((keys, values) -> {
                    ObjectNode o = NODES.objectNode();
                    for (int i = 0; i < keys.size(); i++) {
                        o.set(keys.get(i), values.get(i));
                    }
                    return o;
                });
        return Arbitraries.frequencyOf(Tuple.of(5, leaf), Tuple.of(1, array), Tuple.of(2, object));
    }

    @Provide
    Arbitrary<String> messageShapedJson() {
        List<Arbitrary<Optional<JsonNode>>> members = new ArrayList<>();
        for (String f : FIELDS) {
            members.add(Arbitraries.frequencyOf(Tuple.of(6, plausible(f)), Tuple.of(1, jsonNodes(2)))
                    .optional(0.8));
        }
        return Combinators.combine(members).as(values -> {
            ObjectNode o = NODES.objectNode();
            for (int i = 0; i < FIELDS.size(); i++) {
                int at = i;
                values.get(i).ifPresent(v -> o.set(FIELDS.get(at), v));
            }
            return o.toString();
        });
    }

    /** A value of the right kind for {@code field}, not always valid. */
    private Arbitrary<JsonNode> plausible(String field) {
        Arbitrary<JsonNode> envelope = Combinators.combine(Arbitraries.of("", "ns", "as:1"),
                Arbitraries.bytes().array(byte[].class).ofMinSize(15).ofMaxSize(25)).as((l, k) -> {
                    ObjectNode e = NODES.objectNode();
                    e.put("KEKLabel", l);
                    e.put("AESKey", Hex.format(k));
                    return e;
                });
        return switch (field) {
            case "ProtocolVersion" -> Arbitraries.of("1.0", "1.1", "1.2").map(TextNode::valueOf);
            case "MessageType" -> Arbitraries.of(BiMessageType.class).map(t -> TextNode.valueOf(t.wire()));
            case "SenderID", "ReceiverID", "SenderNSID", "ReceiverNSID" ->
                    Arbitraries.oneOf(hexIds(3), hexIds(8), anyIds()).map(TextNode::valueOf);
            case "TransactionID", "Lifetime" -> Arbitraries.longs().between(-2, 0x1_0000_0001L).map(LongNode::valueOf);
            case "RxDelay" -> Arbitraries.integers().between(-1, 17).map(i -> (JsonNode) LongNode.valueOf(i));
            case "MACVersion" -> Arbitraries.of("1.0", "1.0.3", "1.1", "1.1.0", "2").map(TextNode::valueOf);
            case "DLSettings" -> Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(2)
                    .map(b -> TextNode.valueOf(Hex.format(b)));
            case "DevEUI" -> hexIds(8).map(TextNode::valueOf);
            case "DevAddr" -> hexIds(4).map(TextNode::valueOf);
            case "CFList" -> Arbitraries.bytes().array(byte[].class).ofMinSize(15).ofMaxSize(17)
                    .map(b -> TextNode.valueOf(Hex.format(b)));
            case "Result" -> Combinators.combine(Arbitraries.of(BiResultCode.class), texts()).as((c, d) -> {
                ObjectNode r = NODES.objectNode();
                r.put("ResultCode", c.wire());
                r.put("Description", d);
                return (JsonNode) r;
            });
            case "NwkSKey", "FNwkSIntKey", "SNwkSIntKey", "NwkSEncKey", "AppSKey" -> envelope;
            default -> Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(30)
                    .map(b -> TextNode.valueOf(Hex.format(b)));
        };
    }
}
