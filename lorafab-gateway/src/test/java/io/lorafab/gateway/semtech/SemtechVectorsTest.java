package io.lorafab.gateway.semtech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lorafab.gateway.semtech.SemtechPacket.PullResp;
import io.lorafab.gateway.semtech.SemtechPacket.PushAck;
import io.lorafab.gateway.semtech.SemtechPacket.PushData;
import io.lorafab.gateway.semtech.SemtechPacket.TxAck;
import io.lorafab.testkit.Vectors;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The published {@code semtech_udp} vectors. Every field of every vector's {@code expected} object is
 * dispatched to a check; a field this test does not know fails the vector, so none is silently skipped.
 */
class SemtechVectorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] TEST_HEADER = HEX.parseHex("02abcd000102030405060708");

    static Stream<Arguments> vectors() {
        return Vectors.arguments("semtech_udp");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void vector(Vectors.Vector v) throws Exception {
        JsonNode in = v.inputs();
        if (in.hasNonNull("datagram")) {
            datagramVector(v);
        } else if (in.hasNonNull("json")) {
            JsonNode json = JSON.readTree(v.in("json"));
            if (json.has("rxpk")) {
                rxpkJsonVector(v, json);
            } else if (json.has("txpk")) {
                txpkJsonVector(v);
            } else {
                fail("json vector with neither rxpk nor txpk");
            }
        } else if (in.hasNonNull("rxpk_data")) {
            rxpkDataVector(v);
        } else if (in.hasNonNull("rxpk_fields")) {
            rxpkFieldsVector(v);
        } else {
            fail("unhandled vector inputs " + in);
        }
    }

    // ------------------------------------------------------------------ datagram vectors

    private void datagramVector(Vectors.Vector v) throws Exception {
        byte[] datagram = HEX.parseHex(v.in("datagram"));
        SemtechCodec.Header h = SemtechCodec.decodeHeader(datagram);
        int jsonOffset = h.type().hasGatewayEui() ? 12 : 4;
        for (Iterator<String> it = v.expected().fieldNames(); it.hasNext();) {
            String key = it.next();
            JsonNode e = v.expected().get(key);
            switch (key) {
                case "protocol_version" -> assertThat(h.version()).isEqualTo(e.asInt());
                case "token_bytes" -> {
                    assertThat(HEX.formatHex(h.token().toBytes())).isEqualTo(e.asText());
                    assertThat(h.token()).hasToString(e.asText());
                }
                case "token_uint16_le" -> assertThat(h.token().tokenLe()).isEqualTo(e.asInt());
                case "identifier" -> {
                    String[] parts = e.asText().split(" ");
                    assertThat(h.type().id()).isEqualTo(Integer.parseInt(parts[0], 16));
                    assertThat(h.type().name()).isEqualTo(parts[1]);
                }
                case "gateway_eui" -> assertThat(h.gatewayEui()).hasValueSatisfying(
                        eui -> assertThat(eui.toString()).isEqualToIgnoringCase(e.asText()));
                case "json" -> {
                    if (e.isNull()) {
                        assertThat(datagram).hasSize(jsonOffset);
                    } else {
                        String json = new String(datagram, jsonOffset, datagram.length - jsonOffset,
                                StandardCharsets.UTF_8);
                        assertThat(json).isEqualTo(e.asText());
                    }
                }
                default -> fail("unhandled expected field " + key);
            }
        }

        if (h.type() == PacketType.PULL_RESP) {
            // ChirpStack's header vector carries "{}": without a txpk object it is not a usable PULL_RESP.
            assertThatThrownBy(() -> SemtechCodec.decode(datagram))
                    .isInstanceOf(SemtechProtocolException.class).hasMessageContaining("txpk");
            return;
        }
        SemtechPacket p = SemtechCodec.decode(datagram);
        assertThat(p.type()).isEqualTo(h.type());
        assertThat(p.token()).isEqualTo(h.token());
        assertThat(p.tokenLe()).isEqualTo(h.token().tokenLe());
        // Re-encoding is byte-exact for every header vector.
        assertThat(HEX.formatHex(SemtechCodec.encode(p))).isEqualTo(v.in("datagram"));
        if (p instanceof PushData push) {
            assertThat(push.gatewayEui()).isEqualTo(h.gatewayEui().orElseThrow());
            byte[] ack = SemtechCodec.encode(PushAck.of(push));
            assertThat(ack).containsExactly(2, datagram[1], datagram[2], 1);
        }
        if (p instanceof TxAck ack) {
            JsonNode json = v.expected().get("json");
            TxAckError expected = json.isNull() ? TxAckError.NONE
                    : TxAckError.fromWire(JSON.readTree(json.asText()).path("txpk_ack").path("error").asText());
            assertThat(ack.error()).isEqualTo(expected);
            assertThat(ack.accepted()).isEqualTo(expected == TxAckError.NONE);
        }
    }

    // ------------------------------------------------------------------ JSON vectors

    private static final Pattern RXPK_KEY = Pattern.compile("rxpk(\\d+)_(.+)");

    private void rxpkJsonVector(Vectors.Vector v, JsonNode json) throws Exception {
        byte[] datagram = pushData(v.in("json"));
        // Decisions: an invalid rxpk rejects the whole datagram; ones that are flagged invalid are checked for
        // exactly that, and the rest of the checks run on the datagram without them.
        List<Integer> invalid = new ArrayList<>();
        for (Iterator<String> it = v.expected().fieldNames(); it.hasNext();) {
            String key = it.next();
            Matcher m = RXPK_KEY.matcher(key);
            if (m.matches() && m.group(2).equals("data_valid_base64") && !v.expected().get(key).asBoolean()) {
                invalid.add(Integer.parseInt(m.group(1)));
            }
        }
        List<Rxpk> decoded;
        List<Integer> originalIndex = new ArrayList<>();
        if (invalid.isEmpty()) {
            decoded = ((PushData) SemtechCodec.decode(datagram)).rxpk();
            for (int i = 0; i < decoded.size(); i++) {
                originalIndex.add(i);
            }
        } else {
            int first = invalid.get(0);
            assertThatThrownBy(() -> SemtechCodec.decode(datagram))
                    .isInstanceOf(SemtechProtocolException.class)
                    .hasMessageContaining("rxpk[" + first + "].data")
                    .hasMessageContaining("invalid base64");
            // The header still decodes, so a listener can acknowledge the datagram.
            assertThat(SemtechCodec.decodeHeader(datagram).type()).isEqualTo(PacketType.PUSH_DATA);
            ObjectNode pruned = (ObjectNode) json.deepCopy();
            ArrayNode kept = JSON.createArrayNode();
            for (int i = 0; i < json.get("rxpk").size(); i++) {
                if (!invalid.contains(i)) {
                    kept.add(json.get("rxpk").get(i));
                    originalIndex.add(i);
                }
            }
            pruned.set("rxpk", kept);
            decoded = ((PushData) SemtechCodec.decode(pushData(pruned.toString()))).rxpk();
        }

        for (Iterator<String> it = v.expected().fieldNames(); it.hasNext();) {
            String key = it.next();
            JsonNode e = v.expected().get(key);
            Matcher m = RXPK_KEY.matcher(key);
            if (key.equals("rxpk_count")) {
                assertThat(json.get("rxpk").size()).isEqualTo(e.asInt());
                assertThat(decoded.size() + invalid.size()).isEqualTo(e.asInt());
            } else if (m.matches()) {
                int index = Integer.parseInt(m.group(1));
                String field = m.group(2);
                if (field.equals("data_valid_base64")) {
                    String data = json.get("rxpk").get(index).get("data").asText();
                    if (e.asBoolean()) {
                        assertThat(invalid).doesNotContain(index);
                        Base64Data.decode(data, "data");
                    } else {
                        assertThatThrownBy(() -> Base64Data.decode(data, "data"))
                                .isInstanceOf(SemtechProtocolException.class);
                    }
                } else {
                    checkRxpkField(decoded.get(originalIndex.indexOf(index)), field, e);
                }
            } else {
                checkRxpkField(decoded.get(0), key, e);
            }
        }
        // Whatever decoded survives a round trip.
        PushData again = (PushData) SemtechCodec.decode(SemtechCodec.encode(new PushData(Token.of(1, 2),
                io.lorafab.lorawan.types.Eui64.of(1), decoded, Optional.empty())));
        assertThat(again.rxpk()).isEqualTo(decoded);
    }

    private void checkRxpkField(Rxpk r, String field, JsonNode e) {
        switch (field) {
            case "frequency_hz" -> assertThat(r.frequencyHz()).isEqualTo(e.asLong());
            case "spreading_factor" -> assertThat(((DataRate.Lora) r.dataRate()).spreadingFactor()).isEqualTo(e.asInt());
            case "bandwidth_hz" -> assertThat(((DataRate.Lora) r.dataRate()).bandwidthHz()).isEqualTo(e.asInt());
            case "coding_rate" -> assertThat(r.codingRate()).map(CodingRate::wire).hasValue(e.asText());
            case "timestamp" -> assertThat(r.tmst()).isEqualTo(e.asLong());
            case "crc_ok" -> assertThat(r.crcOk()).isEqualTo(e.asBoolean());
            case "raw_payload_len", "data_decoded_len" -> {
                assertThat(r.data()).hasSize(e.asInt());
                assertThat(r.size()).isEqualTo(e.asInt());
            }
            case "raw_payload", "data_decoded" -> assertThat(HEX.formatHex(r.data())).isEqualTo(e.asText());
            case "time_utc" -> assertThat(r.time()).hasValue(Instant.parse(e.asText()));
            case "snr" -> assertThat(r.lsnr()).hasValue(e.asDouble());
            default -> {
                Matcher m = Pattern.compile("antenna(\\d+)_rssi_channel").matcher(field);
                if (!m.matches()) {
                    fail("unhandled expected field " + field);
                }
                int ant = Integer.parseInt(m.group(1));
                Rsig antenna = r.rsig().stream().filter(a -> a.ant() == ant).findFirst().orElseThrow();
                assertThat(antenna.rssic()).isEqualTo(e.asInt());
                // Without a top-level rssi the packet takes the best antenna's channel RSSI.
                int best = r.rsig().stream().mapToInt(Rsig::rssic).max().orElseThrow();
                assertThat(r.rssi()).isEqualTo(best);
                assertThat(r.bestAntenna()).map(Rsig::rssic).hasValue(best);
            }
        }
    }

    private void txpkJsonVector(Vectors.Vector v) {
        byte[] datagram = concat(HEX.parseHex("02abcd03"), v.in("json").getBytes(StandardCharsets.UTF_8));
        PullResp resp = (PullResp) SemtechCodec.decode(datagram);
        Txpk t = resp.txpk();
        for (Iterator<String> it = v.expected().fieldNames(); it.hasNext();) {
            String key = it.next();
            if (key.equals("data_decoded_len")) {
                assertThat(t.data()).hasSize(v.expected().get(key).asInt());
            } else {
                fail("unhandled expected field " + key);
            }
        }
        // The rest of the PROTOCOL.TXT example, read exactly.
        assertThat(t.immediate()).isTrue();
        assertThat(t.frequencyHz()).isEqualTo(864_123_456L);
        assertThat(t.power()).hasValue(14);
        assertThat(t.dataRate()).isEqualTo(DataRate.Lora.of(11, 125));
        assertThat(t.codingRate()).hasValue(CodingRate.CR_4_6);
        assertThat(t.invertPolarity()).isFalse();
        assertThat(SemtechCodec.decode(SemtechCodec.encode(resp))).isEqualTo(resp);
    }

    // ------------------------------------------------------------------ struct vectors

    /** Base64 data plus a few fields: wrapped in an rxpk with the other required fields filled in. */
    private void rxpkDataVector(Vectors.Vector v) {
        ObjectNode rx = JSON.createObjectNode();
        rx.put("tmst", 1).put("chan", 0).put("rfch", 0).put("stat", 1).put("modu", "LORA").put("rssi", -60);
        for (String f : List.of("freq", "datr", "codr", "size")) {
            rx.set(f, v.inputs().get(f));
        }
        rx.set("data", v.inputs().get("rxpk_data"));
        ObjectNode root = JSON.createObjectNode();
        root.putArray("rxpk").add(rx);
        Rxpk r = ((PushData) SemtechCodec.decode(pushData(root.toString()))).rxpk().get(0);
        for (Iterator<String> it = v.expected().fieldNames(); it.hasNext();) {
            String key = it.next();
            checkRxpkField(r, key, v.expected().get(key));
        }
        assertThat(r.size()).isEqualTo(v.inputs().get("size").asInt());
    }

    /** Struct to JSON: the fields plus payload bytes, encoded, must give the expected base64 and context. */
    private void rxpkFieldsVector(Vectors.Vector v) throws Exception {
        ObjectNode fields = (ObjectNode) v.inputs().get("rxpk_fields").deepCopy();
        byte[] payload = HEX.parseHex(v.in("data_bytes"));
        ObjectNode shell = fields.deepCopy();
        shell.remove("size");
        shell.put("data", "");
        ObjectNode root = JSON.createObjectNode();
        root.putArray("rxpk").add(shell);
        Rxpk r0 = ((PushData) SemtechCodec.decode(pushData(root.toString()))).rxpk().get(0);
        Rxpk r = new Rxpk(r0.time(), r0.tmms(), r0.tmst(), r0.frequencyHz(), r0.chan(), r0.rfch(), r0.crcStatus(),
                r0.dataRate(), r0.codingRate(), r0.rssi(), r0.lsnr(), payload, r0.rsig());
        PushData push = new PushData(Token.of(0, 0), io.lorafab.lorawan.types.Eui64.of(0), List.of(r),
                Optional.empty());
        byte[] encoded = SemtechCodec.encode(push);
        JsonNode written = JSON.readTree(new String(encoded, 12, encoded.length - 12, StandardCharsets.UTF_8))
                .get("rxpk").get(0);
        // Every struct field is written back with the same value.
        for (Iterator<String> it = fields.fieldNames(); it.hasNext();) {
            String f = it.next();
            assertThat(written.get(f).decimalValue()).as(f)
                    .isEqualByComparingTo(fields.get(f).decimalValue());
        }
        for (Iterator<String> it = v.expected().fieldNames(); it.hasNext();) {
            String key = it.next();
            JsonNode e = v.expected().get(key);
            switch (key) {
                case "data_base64" -> assertThat(written.get("data").asText()).isEqualTo(e.asText());
                case "uplink_context_tmst_be" -> {
                    assertThat(HEX.formatHex(SemtechCodec.tmstContext(r.tmst()))).isEqualTo(e.asText());
                    assertThat(SemtechCodec.tmstFromContext(HEX.parseHex(e.asText()))).isEqualTo(r.tmst());
                }
                case "frequency_hz" -> assertThat(r.frequencyHz()).isEqualTo(e.asLong());
                default -> fail("unhandled expected field " + key);
            }
        }
        assertThat(SemtechCodec.decode(encoded)).isEqualTo(push);
    }

    private static byte[] pushData(String json) {
        return concat(TEST_HEADER, json.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
