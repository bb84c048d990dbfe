package io.lorafab.joinserver.bi;

import static io.lorafab.joinserver.bi.BiSamples.resource;
import static io.lorafab.joinserver.bi.BiSamples.text;
import static io.lorafab.joinserver.bi.BiSamples.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.joinserver.bi.KeyEnvelope.Kek;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.Hex;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Answers built from requests: header rules, the Success and failure forms, and their exact JSON. */
class AnswersTest {
    static final HexBytes JOIN_ACCEPT = HexBytes.of(Hex.parse("2023cf335489aae3183c0be0baa8dee5f3", "t"));
    static final AesKey NWK_S_KEY = AesKey.parse("df53c35f3034ccced0ff354c70de04df");
    static final AesKey APP_S_KEY = AesKey.parse("927b9c911183cffe4cb2ff4b75545f6d");
    static final Kek NS_KEK = new Kek("ns:000000", new byte[16]);
    static final Kek AS_KEK = new Kek("as:app1", Hex.parse("000102030405060708090a0b0c0d0e0f", "t"));

    static JoinReq request(String resource) {
        return (JoinReq) BiCodec.parse(resource(resource));
    }

    static NetworkKeys keysFor(JoinReq r) {
        return r.lorawan11Session()
                ? new NetworkKeys.Lorawan11(KeyEnvelope.wrap(NWK_S_KEY, NS_KEK), KeyEnvelope.wrap(APP_S_KEY, NS_KEK),
                        KeyEnvelope.plain(NWK_S_KEY))
                : new NetworkKeys.Lorawan10(KeyEnvelope.wrap(NWK_S_KEY, NS_KEK));
    }

    static JoinAns success(JoinReq r) {
        return JoinAns.success(r, JOIN_ACCEPT, keysFor(r), Optional.of(KeyEnvelope.wrap(APP_S_KEY, AS_KEK)),
                Optional.of(HexBytes.of(new byte[] {0x01, 0x6b})), Optional.of(86400L));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"chirpstack-joinreq-1.0.3.json", "chirpstack-joinreq-1.1.json", "tts-joinreq-1.0.3.json",
            "tts-joinreq-1.1.json"})
    void joinAnsSwapsSenderAndReceiverAndKeepsTheTransaction(String resource) {
        JoinReq req = request(resource);
        for (JoinAns ans : new JoinAns[] {success(req), JoinAns.failure(req, BiResultCode.MIC_FAILED, "MIC mismatch")}) {
            BiHeader q = req.header();
            BiHeader a = ans.header();
            assertThat(a.messageType()).isEqualTo(BiMessageType.JOIN_ANS);
            assertThat(a.protocolVersion()).isEqualTo(q.protocolVersion());
            assertThat(a.transactionId()).isEqualTo(q.transactionId());
            assertThat(a.senderId()).isEqualTo(q.receiverId());
            assertThat(a.receiverId()).isEqualTo(q.senderId());
            assertThat(ans.joinEui()).isEqualTo(req.joinEui());
            assertThat(ans.netId()).isEqualTo(req.netId());
            JoinAns back = (JoinAns) BiCodec.parse(BiCodec.write(ans));
            assertThat(back).isEqualTo(ans);
        }
    }

    @Test
    void nsIdsAreSwappedIn11AndLeftOutOf10() {
        BiHeader q11 = new BiHeader(BiProtocolVersion.V1_1, "000013", "42ffffffffffffff", 9, BiMessageType.JOIN_REQ,
                Optional.of("EC656E0000000001"), Optional.of("0000000000000002"), Optional.empty(), Optional.empty());
        BiHeader a11 = q11.answerHeader();
        assertThat(a11.senderNsId()).hasValue("0000000000000002");
        assertThat(a11.receiverNsId()).hasValue("EC656E0000000001");

        BiHeader a10 = request("tts-joinreq-1.0.3.json").header().answerHeader();
        assertThat(a10.receiverNsId()).as("1.0 has no NSIDs, even when the request sent one").isEmpty();
        assertThat(a10.senderNsId()).isEmpty();
    }

    @Test
    void tokensAreReturned() {
        HexBytes token = HexBytes.of(new byte[] {1, 2, 3});
        HexBytes theirs = HexBytes.of(new byte[] {9});
        BiHeader q = new BiHeader(BiProtocolVersion.V1_0, "000000", "0101010101010101", 5, BiMessageType.JOIN_REQ,
                Optional.empty(), Optional.empty(), Optional.of(token), Optional.of(theirs));
        BiHeader a = q.answerHeader();
        assertThat(a.receiverToken()).hasValue(token);
        assertThat(a.senderToken()).hasValue(theirs);
    }

    @Test
    void answerHeaderOfAnAnswerIsRefused() {
        BiHeader a = request("tts-joinreq-1.1.json").header().answerHeader();
        assertThatThrownBy(a::answerHeader).isInstanceOf(IllegalStateException.class)
                .hasMessage("JoinAns is not a request");
    }

    /** The whole body written for ChirpStack's 1.0.3 JoinReq, wrapped keys computed with RFC 3394. */
    @Test
    void joinAnsBodyFor10() {
        JoinAns ans = success(request("chirpstack-joinreq-1.0.3.json"));
        String nwk = Hex.format(KeyEnvelope.wrap(NWK_S_KEY, NS_KEK).aesKey());
        String app = Hex.format(KeyEnvelope.wrap(APP_S_KEY, AS_KEK).aesKey());
        assertThat(text(BiCodec.write(ans))).isEqualTo("{\"ProtocolVersion\":\"1.0\",\"SenderID\":\"0101010101010101\","
                + "\"ReceiverID\":\"000000\",\"TransactionID\":1634578121,\"MessageType\":\"JoinAns\","
                + "\"Result\":{\"ResultCode\":\"Success\"},\"PHYPayload\":\"2023cf335489aae3183c0be0baa8dee5f3\","
                + "\"Lifetime\":86400,\"NwkSKey\":{\"KEKLabel\":\"ns:000000\",\"AESKey\":\"" + nwk + "\"},"
                + "\"AppSKey\":{\"KEKLabel\":\"as:app1\",\"AESKey\":\"" + app + "\"},\"SessionKeyID\":\"016b\"}");
        assertThat(nwk).hasSize(48);
    }

    @Test
    void joinAnsBodyFor11() {
        JoinAns ans = JoinAns.success(request("tts-joinreq-1.1.json"), JOIN_ACCEPT,
                new NetworkKeys.Lorawan11(KeyEnvelope.plain(NWK_S_KEY), KeyEnvelope.plain(APP_S_KEY),
                        KeyEnvelope.plain(NWK_S_KEY)),
                Optional.empty(), Optional.of(HexBytes.of(new byte[] {7})), Optional.empty());
        assertThat(text(BiCodec.write(ans))).isEqualTo("{\"ProtocolVersion\":\"1.1\",\"SenderID\":\"42FFFFFFFFFFFFFF\","
                + "\"ReceiverID\":\"000013\",\"ReceiverNSID\":\"EC656E0000000001\",\"TransactionID\":2903482361,"
                + "\"MessageType\":\"JoinAns\",\"Result\":{\"ResultCode\":\"Success\"},"
                + "\"PHYPayload\":\"2023cf335489aae3183c0be0baa8dee5f3\","
                + "\"FNwkSIntKey\":{\"KEKLabel\":\"\",\"AESKey\":\"df53c35f3034ccced0ff354c70de04df\"},"
                + "\"SNwkSIntKey\":{\"KEKLabel\":\"\",\"AESKey\":\"927b9c911183cffe4cb2ff4b75545f6d\"},"
                + "\"NwkSEncKey\":{\"KEKLabel\":\"\",\"AESKey\":\"df53c35f3034ccced0ff354c70de04df\"},"
                + "\"SessionKeyID\":\"07\"}");
    }

    @Test
    void appSKeyMayBeLeftForAppSKeyReq() {
        JoinReq req = request("chirpstack-joinreq-1.0.3.json");
        JoinAns ans = JoinAns.success(req, JOIN_ACCEPT, keysFor(req), Optional.empty(),
                Optional.of(HexBytes.of(new byte[] {1})), Optional.empty());
        assertThat(text(BiCodec.write(ans))).doesNotContain("AppSKey").contains("\"SessionKeyID\":\"01\"");
        assertThatThrownBy(() -> JoinAns.success(req, JOIN_ACCEPT, keysFor(req), Optional.empty(), Optional.empty(),
                Optional.empty())).isInstanceOf(BiFormatException.class)
                .hasMessage("AppSKey: missing, and no SessionKeyID to fetch it with (one is required when ResultCode"
                        + " is Success)");
    }

    @Test
    void keyFormMustMatchTheSession() {
        JoinReq r10 = request("chirpstack-joinreq-1.0.3.json");
        JoinReq r11 = request("chirpstack-joinreq-1.1.json");
        Optional<KeyEnvelope> app = Optional.of(KeyEnvelope.plain(APP_S_KEY));
        assertThatThrownBy(() -> JoinAns.success(r10, JOIN_ACCEPT, keysFor(r11), app, Optional.empty(),
                Optional.empty())).isInstanceOf(IllegalArgumentException.class).hasMessage("a 1.0 session needs NwkSKey");
        assertThatThrownBy(() -> JoinAns.success(r11, JOIN_ACCEPT, keysFor(r10), app, Optional.empty(),
                Optional.empty())).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a 1.1 session (1.1 device, OptNeg set) needs FNwkSIntKey, SNwkSIntKey and NwkSEncKey");
    }

    @Test
    void failureJoinAnsCarriesOnlyTheResult() {
        JoinAns ans = JoinAns.failure(request("chirpstack-joinreq-1.1.json"), BiResultCode.UNKNOWN_DEV_EUI,
                "no device 0000000000000001");
        assertThat(text(BiCodec.write(ans))).isEqualTo("{\"ProtocolVersion\":\"1.0\",\"SenderID\":\"0000000000000001\","
                + "\"ReceiverID\":\"00003c\",\"TransactionID\":3735928559,\"MessageType\":\"JoinAns\","
                + "\"Result\":{\"ResultCode\":\"UnknownDevEUI\",\"Description\":\"no device 0000000000000001\"}}");
        assertThatThrownBy(() -> JoinAns.failure(request("chirpstack-joinreq-1.1.json"), BiResultCode.SUCCESS, ""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void appSKeyRequestAndAnswer() {
        String body = "{\"ProtocolVersion\":\"1.0\",\"TransactionID\":0,\"MessageType\":\"AppSKeyReq\","
                + "\"SenderID\":\"as.example.com\",\"ReceiverID\":\"70B3D57ED0000000\",\"DevEUI\":\"0102030405060708\","
                + "\"SessionKeyID\":\"016BFA7BAD4756346A674981E75CDBDC\"}";
        AppSKeyReq req = (AppSKeyReq) BiCodec.parse(utf8(body));
        assertThat(req.asId()).isEqualTo("as.example.com");
        assertThat(req.joinEui()).isEqualTo(Eui64.of(0x70b3d57ed0000000L));
        assertThat(req.devEui()).isEqualTo(Eui64.of(0x0102030405060708L));
        assertThat(req.sessionKeyId().toHex()).isEqualTo("016bfa7bad4756346a674981e75cdbdc");

        AppSKeyAns ok = AppSKeyAns.success(req, KeyEnvelope.wrap(APP_S_KEY, AS_KEK));
        assertThat(ok.header().senderId()).isEqualTo("70B3D57ED0000000");
        assertThat(ok.header().receiverId()).isEqualTo("as.example.com");
        assertThat(ok.header().messageType()).isEqualTo(BiMessageType.APP_S_KEY_ANS);
        assertThat(ok.devEui()).hasValue(req.devEui());
        assertThat(ok.sessionKeyId()).hasValue(req.sessionKeyId());
        assertThat(ok.appSKey().orElseThrow().unwrap(AS_KEK)).isEqualTo(APP_S_KEY);
        assertThat(BiCodec.parse(BiCodec.write(ok))).isEqualTo(ok);

        AppSKeyAns no = AppSKeyAns.failure(req, BiResultCode.UNKNOWN_DEV_EUI, "");
        assertThat(text(BiCodec.write(no))).isEqualTo("{\"ProtocolVersion\":\"1.0\",\"SenderID\":\"70B3D57ED0000000\","
                + "\"ReceiverID\":\"as.example.com\",\"TransactionID\":0,\"MessageType\":\"AppSKeyAns\","
                + "\"Result\":{\"ResultCode\":\"UnknownDevEUI\"},\"DevEUI\":\"0102030405060708\","
                + "\"SessionKeyID\":\"016bfa7bad4756346a674981e75cdbdc\"}");
        assertThat(BiCodec.parse(BiCodec.write(no))).isEqualTo(no);
    }

    // ------------------------------------------------------------------ answering what could not be read

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "bad DevEUI, BI 1.0     | 1.0 | \"DevEUI\":\"02\"      | JoinAns    | MalformedRequest",
            "bad DevEUI, BI 1.1     | 1.1 | \"DevEUI\":\"02\"      | JoinAns    | MalformedMessage",
            "RxDelay 16             | 1.0 | \"RxDelay\":16         | JoinAns    | MalformedRequest",
            "version 2.0            | 2.0 | \"DevEUI\":\"02\"      | JoinAns    | InvalidProtocolVersion",
    })
    void malformedJoinReqIsAnswered(String name, String version, String member, String type, String code) {
        String body = BiSamples.joinReq("").replace("\"ProtocolVersion\":\"1.0\"", "\"ProtocolVersion\":\"" + version + "\"");
        String field = member.substring(1, member.indexOf('"', 1));
        body = body.replaceFirst("\"" + field + "\":(\"[^\"]*\"|[0-9]+)", java.util.regex.Matcher.quoteReplacement(member));
        String finalBody = body;
        BiFormatException e = org.junit.jupiter.api.Assertions.assertThrows(BiFormatException.class,
                () -> BiCodec.parse(utf8(finalBody)));
        BiMessage answer = e.answer().orElseThrow();
        assertThat(answer).isInstanceOf(JoinAns.class);
        JoinAns a = (JoinAns) answer;
        assertThat(a.messageType().wire()).isEqualTo(type);
        assertThat(a.result().code().wire()).isEqualTo(code);
        assertThat(a.result().description()).isEqualTo(e.getMessage());
        assertThat(a.header().transactionId()).isEqualTo(7);
        assertThat(a.header().senderId()).isEqualTo("0101010101010101");
        assertThat(a.header().receiverId()).isEqualTo("000000");
        assertThat(a.header().protocolVersion().wire()).isEqualTo(version.equals("2.0") ? "1.0" : version);
        assertThat(BiCodec.parse(BiCodec.write(a))).isEqualTo(a);
    }

    @Test
    void badSenderIdIsStillAnsweredWithTheIdsAsReceived() {
        String body = BiSamples.joinReqWith("SenderID", "\"xx0000\"");
        BiFormatException e = org.junit.jupiter.api.Assertions.assertThrows(BiFormatException.class,
                () -> BiCodec.parse(utf8(body)));
        assertThat(e).hasMessage("SenderID: not a hex digit at position 0");
        JoinAns a = (JoinAns) e.answer().orElseThrow();
        assertThat(a.header().receiverId()).isEqualTo("xx0000");
        assertThat(BiCodec.parse(BiCodec.write(a))).isEqualTo(a);
    }

    @Test
    void unsupportedRequestIsAnsweredWithItsAnswerType() {
        String body = "{\"ProtocolVersion\":\"1.1\",\"SenderID\":\"000013\",\"SenderNSID\":\"EC656E0000000001\","
                + "\"ReceiverID\":\"70B3D57ED0000000\",\"TransactionID\":44,\"MessageType\":\"HomeNSReq\","
                + "\"DevEUI\":\"0102030405060708\"}";
        BiFormatException e = org.junit.jupiter.api.Assertions.assertThrows(BiFormatException.class,
                () -> BiCodec.parse(utf8(body)));
        assertThat(e).hasMessage("MessageType: HomeNSReq is not supported by this Join Server");
        ErrorAnswer a = (ErrorAnswer) e.answer().orElseThrow();
        assertThat(text(BiCodec.write(a))).isEqualTo("{\"ProtocolVersion\":\"1.1\",\"SenderID\":\"70B3D57ED0000000\","
                + "\"ReceiverID\":\"000013\",\"ReceiverNSID\":\"EC656E0000000001\",\"TransactionID\":44,"
                + "\"MessageType\":\"HomeNSAns\",\"Result\":{\"ResultCode\":\"MalformedMessage\","
                + "\"Description\":\"MessageType: HomeNSReq is not supported by this Join Server\"}}");
        assertThat(BiCodec.parse(BiCodec.write(a))).isEqualTo(a);
    }

    @Test
    void malformedAppSKeyReqIsAnsweredWithoutDevEui() {
        String body = "{\"ProtocolVersion\":\"1.0\",\"TransactionID\":3,\"MessageType\":\"AppSKeyReq\","
                + "\"SenderID\":\"as\",\"ReceiverID\":\"70B3D57ED0000000\",\"DevEUI\":\"0102030405060708\"}";
        BiFormatException e = org.junit.jupiter.api.Assertions.assertThrows(BiFormatException.class,
                () -> BiCodec.parse(utf8(body)));
        assertThat(e).hasMessage("SessionKeyID: missing");
        AppSKeyAns a = (AppSKeyAns) e.answer().orElseThrow();
        assertThat(a.result()).isEqualTo(BiResult.of(BiResultCode.MALFORMED_REQUEST, "SessionKeyID: missing"));
        assertThat(a.devEui()).isEmpty();
        assertThat(BiCodec.parse(BiCodec.write(a))).isEqualTo(a);
    }

    @Test
    void unreadableHeaderCannotBeAnswered() {
        BiFormatException e = org.junit.jupiter.api.Assertions.assertThrows(BiFormatException.class,
                () -> BiCodec.parse(utf8(BiSamples.joinReqWith("TransactionID", "-1"))));
        assertThat(e).hasMessage("TransactionID: out of range 0..4294967295: -1");
        assertThat(e.header()).isEmpty();
        assertThat(e.answer()).isEmpty();
        assertThat(e.resultCode()).isEqualTo(BiResultCode.MALFORMED_REQUEST);
    }

    @Test
    void otherAnswersAreReadAsErrorAnswers() {
        String body = "{\"ProtocolVersion\":\"1.1\",\"TransactionID\":0,\"MessageType\":\"HomeNSAns\","
                + "\"SenderID\":\"70B3D57ED0000000\",\"ReceiverID\":\"000000\",\"ReceiverNSID\":\"localhost\","
                + "\"Result\":{\"ResultCode\":\"Success\"},\"HNSID\":\"localhost\",\"HNetID\":\"000001\"}";
        ErrorAnswer a = (ErrorAnswer) BiCodec.parse(utf8(body));
        assertThat(a.result()).isEqualTo(BiResult.success());
        assertThat(a.header().receiverNsId()).hasValue("localhost");
        assertThatThrownBy(() -> new ErrorAnswer(a.header().withMessageType(BiMessageType.JOIN_ANS), a.result()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
