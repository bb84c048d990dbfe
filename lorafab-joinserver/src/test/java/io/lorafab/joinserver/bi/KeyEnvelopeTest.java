package io.lorafab.joinserver.bi;

import static io.lorafab.joinserver.bi.BiSamples.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.joinserver.bi.KeyEnvelope.Kek;
import io.lorafab.lorawan.crypto.SessionKeys;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Hex;
import io.lorafab.testkit.Vectors;
import io.lorafab.testkit.Vectors.Vector;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * KeyEnvelope against the published key-wrap vectors that carry a KEK label (a Backend Interfaces KeyEnvelope:
 * kw-keyenvelope-brocaar and the four JoinAns keys kw-brocaar-js-*), and plain envelopes.
 */
class KeyEnvelopeTest {

    static Stream<Arguments> labelledVectors() {
        return Vectors.ofKind("aes_key_wrap").stream().filter(v -> v.hasIn("kek_label"))
                .map(v -> Arguments.of(org.junit.jupiter.api.Named.of(v.id(), v)));
    }

    static byte[] hex(String s) {
        return Hex.parse(s, "vector");
    }

    @Test
    void theLabelledVectorsAreThere() {
        assertThat(labelledVectors().count()).isEqualTo(5);
        assertThat(Vectors.byId("kw-keyenvelope-brocaar").in("kek_label")).isEqualTo("test-kek");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("labelledVectors")
    void wrapMatchesTheVector(Vector v) {
        Kek kek = new Kek(v.in("kek_label"), hex(v.in("kek")));
        KeyEnvelope e = KeyEnvelope.wrap(AesKey.parse(v.in("key_data")), kek);
        assertThat(e.kekLabel()).isEqualTo(v.in("kek_label"));
        assertThat(Hex.format(e.aesKey())).isEqualTo(v.out("wrapped"));
        assertThat(e.isWrapped()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("labelledVectors")
    void unwrapGivesTheKeyBack(Vector v) {
        KeyEnvelope e = new KeyEnvelope(v.in("kek_label"), hex(v.out("wrapped")));
        assertThat(e.unwrap(hex(v.in("kek")))).isEqualTo(AesKey.parse(v.in("key_data")));
        assertThat(e.unwrap(new Kek(v.in("kek_label"), hex(v.in("kek"))))).isEqualTo(AesKey.parse(v.in("key_data")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("labelledVectors")
    void theEnvelopeInAJoinAnsBody(Vector v) {
        KeyEnvelope e = new KeyEnvelope(v.in("kek_label"), hex(v.out("wrapped")));
        JoinAns ans = joinAnsWith10Key(e);
        String json = text(BiCodec.write(ans));
        assertThat(json).contains("\"NwkSKey\":{\"KEKLabel\":\"" + v.in("kek_label") + "\",\"AESKey\":\""
                + v.out("wrapped") + "\"}");
        assertThat(((JoinAns) BiCodec.parse(BiCodec.write(ans))).networkKeys())
                .hasValue(new NetworkKeys.Lorawan10(e));
    }

    @Test
    void wrongKekFailsTheIntegrityCheck() {
        Vector v = Vectors.byId("kw-keyenvelope-brocaar");
        KeyEnvelope e = new KeyEnvelope("test-kek", hex(v.out("wrapped")));
        byte[] wrong = hex(v.in("kek"));
        wrong[0] ^= 1;
        assertThatThrownBy(() -> e.unwrap(wrong)).isInstanceOf(BiFormatException.class)
                .hasMessage("KeyEnvelope (KEKLabel 'test-kek'): key unwrap: integrity check failed"
                        + " (wrong KEK or altered data)");
    }

    @Test
    void alteredKeyFailsTheIntegrityCheck() {
        Vector v = Vectors.byId("kw-brocaar-js-AppSKey");
        byte[] wrapped = hex(v.out("wrapped"));
        wrapped[23] ^= (byte) 0x80;
        KeyEnvelope e = new KeyEnvelope("lora-app-server", wrapped);
        assertThatThrownBy(() -> e.unwrap(hex(v.in("kek")))).isInstanceOf(BiFormatException.class)
                .hasMessageContaining("integrity check failed");
    }

    @Test
    void aKekOfAnotherLabelIsRefused() {
        Vector v = Vectors.byId("kw-keyenvelope-brocaar");
        KeyEnvelope e = new KeyEnvelope("test-kek", hex(v.out("wrapped")));
        assertThatThrownBy(() -> e.unwrap(new Kek("other-kek", hex(v.in("kek")))))
                .isInstanceOf(BiFormatException.class)
                .hasMessage("KeyEnvelope: wrapped under KEKLabel 'test-kek', not 'other-kek'");
    }

    @Test
    void plainEnvelopeCarriesTheKeyWithAnEmptyLabel() {
        AesKey key = AesKey.parse("01020304050607080102030405060708");
        KeyEnvelope e = KeyEnvelope.plain(key);
        assertThat(e.kekLabel()).isEmpty();
        assertThat(e.isWrapped()).isFalse();
        assertThat(e.aesKey()).isEqualTo(key.bytes());
        assertThat(e.unwrap((byte[]) null)).as("no KEK needed").isEqualTo(key);
        assertThat(KeyEnvelope.wrap(key, Optional.empty())).isEqualTo(e);
        assertThat(text(BiCodec.write(joinAnsWith10Key(e))))
                .contains("\"NwkSKey\":{\"KEKLabel\":\"\",\"AESKey\":\"01020304050607080102030405060708\"}");
    }

    @Test
    void missingKekLabelMeansPlain() {
        String body = "{\"ProtocolVersion\":\"1.0\",\"SenderID\":\"0101010101010101\",\"ReceiverID\":\"000000\","
                + "\"TransactionID\":1,\"MessageType\":\"JoinAns\",\"Result\":{\"ResultCode\":\"Success\"},"
                + "\"PHYPayload\":\"2023cf335489aae3183c0be0baa8dee5f3\","
                + "\"NwkSKey\":{\"AESKey\":\"DF53C35F3034CCCED0FF354C70DE04DF\"},\"SessionKeyID\":\"01\"}";
        JoinAns a = (JoinAns) BiCodec.parse(BiSamples.utf8(body));
        KeyEnvelope k = ((NetworkKeys.Lorawan10) a.networkKeys().orElseThrow()).nwkSKey();
        assertThat(k.kekLabel()).isEmpty();
        assertThat(k.unwrap((byte[]) null)).isEqualTo(AesKey.parse("df53c35f3034ccced0ff354c70de04df"));
    }

    @Test
    void optionalKekChoosesWrappedOrPlain() {
        Vector v = Vectors.byId("kw-brocaar-js-NwkSEncKey");
        AesKey key = AesKey.parse(v.in("key_data"));
        Kek kek = new Kek("010203", hex(v.in("kek")));
        assertThat(Hex.format(KeyEnvelope.wrap(key, Optional.of(kek)).aesKey())).isEqualTo(v.out("wrapped"));
        assertThat(KeyEnvelope.wrap(key, Optional.empty()).isWrapped()).isFalse();
    }

    /** The JoinAns of brocaar's 1.1 join test: all four session keys wrapped under an all-zero KEK. */
    @Test
    void networkKeysOfA11SessionMatchTheJoinServerVectors() {
        Vector f = Vectors.byId("kw-brocaar-js-FNwkSIntKey");
        Vector s = Vectors.byId("kw-brocaar-js-SNwkSIntKey");
        Vector n = Vectors.byId("kw-brocaar-js-NwkSEncKey");
        Vector a = Vectors.byId("kw-brocaar-js-AppSKey");
        SessionKeys keys = new SessionKeys(true, AesKey.parse(f.in("key_data")), AesKey.parse(s.in("key_data")),
                AesKey.parse(n.in("key_data")), AesKey.parse(a.in("key_data")));
        NetworkKeys nk = NetworkKeys.wrap(keys, Optional.of(new Kek("010203", hex(f.in("kek")))));
        NetworkKeys.Lorawan11 k11 = (NetworkKeys.Lorawan11) nk;
        assertThat(Hex.format(k11.fNwkSIntKey().aesKey())).isEqualTo(f.out("wrapped"));
        assertThat(Hex.format(k11.sNwkSIntKey().aesKey())).isEqualTo(s.out("wrapped"));
        assertThat(Hex.format(k11.nwkSEncKey().aesKey())).isEqualTo(n.out("wrapped"));
        KeyEnvelope app = KeyEnvelope.wrap(keys.appSKey(), new Kek("lora-app-server", hex(a.in("kek"))));
        assertThat(Hex.format(app.aesKey())).isEqualTo(a.out("wrapped"));
    }

    @Test
    void networkKeysOfA10SessionAreTheOneNwkSKey() {
        AesKey nwk = AesKey.parse("df53c35f3034ccced0ff354c70de04df");
        SessionKeys keys = new SessionKeys(false, nwk, nwk, nwk, AesKey.parse("927b9c911183cffe4cb2ff4b75545f6d"));
        assertThat(NetworkKeys.wrap(keys, Optional.empty())).isEqualTo(new NetworkKeys.Lorawan10(KeyEnvelope.plain(nwk)));
    }

    @Test
    void neverShowsTheKey() {
        Vector v = Vectors.byId("kw-keyenvelope-brocaar");
        KeyEnvelope wrapped = new KeyEnvelope("test-kek", hex(v.out("wrapped")));
        KeyEnvelope plain = KeyEnvelope.plain(AesKey.parse(v.in("key_data")));
        Kek kek = new Kek("test-kek", hex(v.in("kek")));
        assertThat(wrapped.toString()).isEqualTo("KeyEnvelope[KEKLabel=test-kek, AESKey=redacted (24 bytes)]");
        assertThat(plain.toString()).isEqualTo("KeyEnvelope[KEKLabel=, AESKey=redacted (16 bytes)]");
        assertThat(kek.toString()).isEqualTo("Kek[label=test-kek, key=redacted]");
        assertThat(new NetworkKeys.Lorawan10(plain).toString()).doesNotContain(v.in("key_data"));
        assertThat(joinAnsWith10Key(plain).toString()).doesNotContain(v.in("key_data"))
                .doesNotContainIgnoringCase("0102030405060708");
    }

    @Test
    void contentEqualityAndDefensiveCopies() {
        byte[] k = hex("01020304050607080102030405060708");
        KeyEnvelope e = new KeyEnvelope(null, k);
        assertThat(e.kekLabel()).isEmpty();
        k[0] = 9;
        assertThat(e.aesKey()[0]).isEqualTo((byte) 1);
        e.aesKey()[1] = 9;
        assertThat(e.aesKey()[1]).isEqualTo((byte) 2);
        assertThat(e).isEqualTo(new KeyEnvelope("", hex("01020304050607080102030405060708")))
                .hasSameHashCodeAs(new KeyEnvelope("", hex("01020304050607080102030405060708")))
                .isNotEqualTo(new KeyEnvelope("", hex("01020304050607080102030405060709")));
    }

    @Test
    void lengthMustFitTheLabel() {
        assertThatThrownBy(() -> new KeyEnvelope("", new byte[24])).isInstanceOf(BiFormatException.class)
                .hasMessage("AESKey: expected 16 bytes (a plain key, as KEKLabel is empty), got 24");
        assertThatThrownBy(() -> new KeyEnvelope("ns", new byte[16])).isInstanceOf(BiFormatException.class)
                .hasMessage("AESKey: expected 24 bytes (an AES-128 key wrapped under KEKLabel), got 16");
        assertThatThrownBy(() -> new Kek("", new byte[16])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Kek("x", new byte[15])).isInstanceOf(IllegalArgumentException.class);
    }

    static JoinAns joinAnsWith10Key(KeyEnvelope nwkSKey) {
        BiHeader h = BiHeader.of(BiProtocolVersion.V1_0, BiMessageType.JOIN_ANS, "0101010101010101", "000000", 1);
        return new JoinAns(h, BiResult.success(), Optional.of(HexBytes.of(hex("2023cf335489aae3183c0be0baa8dee5f3"))),
                Optional.of(new NetworkKeys.Lorawan10(nwkSKey)), Optional.empty(),
                Optional.of(HexBytes.of(new byte[] {1})), Optional.empty());
    }
}
