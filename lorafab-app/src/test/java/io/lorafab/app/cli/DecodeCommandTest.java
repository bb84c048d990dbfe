package io.lorafab.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lorafab.lorawan.crypto.SessionKeys;
import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.DevNonce;
import io.lorafab.lorawan.types.JoinNonce;
import io.lorafab.lorawan.types.NetId;
import io.lorafab.testkit.Vectors;
import io.lorafab.testkit.Vectors.Vector;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code lorafab decode} run in-process on real frames from the published vectors. */
class DecodeCommandTest {

    record Run(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return new ObjectMapper().readTree(out);
        }
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = LorafabCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Run decodeJson(String... args) {
        List<String> a = new ArrayList<>(List.of("decode", "--json"));
        a.addAll(List.of(args));
        return run(a.toArray(String[]::new));
    }

    @Test
    void joinRequestWithoutKeyPrintsFieldsAndUnknownMic() throws Exception {
        Vector v = Vectors.byId("jr-brocaar-b64");
        Run r = decodeJson("AAQDAgEEAwIBBQQDAgUEAwItEGqZDhI=");
        assertThat(r.exit()).isZero();
        JsonNode j = r.json();
        assertThat(j.get("mType").asText()).isEqualTo("JoinRequest");
        assertThat(j.get("joinEui").asText()).isEqualTo(v.in("join_eui_msb"));
        assertThat(j.get("devEui").asText()).isEqualTo(v.in("dev_eui_msb"));
        assertThat(j.get("devNonce").asInt()).isEqualTo(4141);
        assertThat(j.get("mic").asText()).isEqualTo("6a990e12");
        assertThat(j.get("micValid").isNull()).isTrue();
    }

    @Test
    void joinRequestMicWithRightAndWrongKey() throws Exception {
        String phy = Vectors.byId("jr-lorapacket-11").out("phy_payload");
        assertThat(decodeJson(phy, "--nwk-key", "01010101010101010101010101010101").json().get("micValid").asBoolean()).isTrue();
        assertThat(decodeJson(phy, "--nwk-key", "02020202020202020202020202020202").json().get("micValid").asBoolean()).isFalse();
    }

    @Test
    void joinAccept10DecryptsAndDerivesSessionKeys() throws Exception {
        Vector ja = Vectors.byId("ja-lorapacket-98929b");
        Vector sk = Vectors.byId("sk-lorapacket-10");
        JsonNode j = decodeJson(ja.out("phy_payload"), "--app-key", sk.in("app_key"), "--dev-nonce", sk.in("dev_nonce_int")).json();
        assertThat(j.get("mType").asText()).isEqualTo("JoinAccept");
        assertThat(j.get("micValid").asBoolean()).isTrue();
        assertThat(j.get("joinNonce").asInt()).isEqualTo(3629880);
        assertThat(j.get("netId").asText()).isEqualTo("aabbcc");
        assertThat(j.get("devAddr").asText()).isEqualTo("012ccde7");
        assertThat(j.get("dlSettings").asInt()).isZero();
        assertThat(j.get("rxDelay").asInt()).isZero();
        assertThat(j.get("cfList").isNull()).isTrue();
        assertThat(j.get("optNeg").asBoolean()).isFalse();
        assertThat(j.get("sessionKeys").get("nwkSKey").asText()).isEqualTo(sk.out("nwk_s_key"));
        assertThat(j.get("sessionKeys").get("appSKey").asText()).isEqualTo(sk.out("app_s_key"));
    }

    @Test
    void joinAccept11WithCfListChecksTheMicAndDerivesFourKeys() throws Exception {
        Vector ja = Vectors.byId("ja-brocaar-js-1.1.0");
        Vector sk = Vectors.byId("sk-chirpstack-11");
        JsonNode j = decodeJson(ja.out("phy_payload"), "--nwk-key", sk.in("nwk_key"), "--app-key", sk.in("app_key"),
                "--dev-eui", sk.in("dev_eui_msb"), "--join-eui", sk.in("join_eui_msb"), "--dev-nonce", "258").json();
        assertThat(j.get("micValid").asBoolean()).isTrue();
        assertThat(j.get("optNeg").asBoolean()).isTrue();
        assertThat(j.get("cfList").asText()).isEqualTo("988d8468958400000000000000000000");
        assertThat(j.get("cfListFrequencies").get(0).asLong()).isEqualTo(868_700_000L);
        JsonNode keys = j.get("sessionKeys");
        assertThat(keys.get("fNwkSIntKey").asText()).isEqualTo(sk.out("f_nwk_s_int_key"));
        assertThat(keys.get("sNwkSIntKey").asText()).isEqualTo(sk.out("s_nwk_s_int_key"));
        assertThat(keys.get("nwkSEncKey").asText()).isEqualTo(sk.out("nwk_s_enc_key"));
        assertThat(keys.get("appSKey").asText()).isEqualTo(sk.out("app_s_key"));
    }

    @Test
    void macVersionDecidesTheJoinAcceptMicLayout() throws Exception {
        // DLSettings 0xff (OptNeg bit set) on a LoRaWAN 1.0.0 device: the MIC is still the 1.0 MIC.
        Vector ja = Vectors.byId("ja-tts-js-1.0.0-cluster_auth-new_device");
        JsonNode asDevice = decodeJson(ja.out("phy_payload"), "--app-key", ja.in("enc_key"), "--mac-version", "1.0.0").json();
        assertThat(asDevice.get("micValid").asBoolean()).isTrue();
        // Only an AppKey: the accept is decrypted with it, so it is read as from a 1.0.x device (which ignores
        // the OptNeg bit) for the MIC too, and the note says so.
        Run guessed = run("decode", ja.out("phy_payload"), "--app-key", ja.in("enc_key"));
        assertThat(guessed.exit()).isZero();
        assertThat(guessed.out()).containsPattern("(?m)^micValid +yes$")
                .contains("note: OptNeg is set, but only --app-key is given: taken as a LoRaWAN 1.0.x device");
        // Only a NwkKey and OptNeg set: a 1.1 device, whose 1.1 MIC needs the EUIs and DevNonce.
        Run as11 = run("decode", ja.out("phy_payload"), "--nwk-key", ja.in("enc_key"));
        assertThat(as11.out()).contains("note: OptNeg is set: taken as a LoRaWAN 1.1 device")
                .containsPattern("(?m)^micValid +-$");
    }

    /**
     * One root key and one version for decryption, MIC and derivation. Without --mac-version and with both
     * root keys, the accept is read as from a 1.1 device (encrypted and MIC'd with the NwkKey; with OptNeg
     * clear its keys come from the NwkKey by the 1.0 rules). This frame is such an accept: a 1.1 device
     * answered in 1.0 mode.
     */
    @Test
    void joinAcceptInOneZeroModeWithBothRootKeysUsesTheNwkKeyThroughout() throws Exception {
        String phy = "20007e4dc03ef14c6b1b2eb3bc049f8442";
        String nwkKey = "100f0e0d0c0b0a090807060504030201";
        String appKey = "0102030405060708090a0b0c0d0e0f10";
        JsonNode j = decodeJson(phy, "--nwk-key", nwkKey, "--app-key", appKey, "--dev-nonce", "258").json();
        assertThat(j.get("optNeg").asBoolean()).isFalse();
        assertThat(j.get("micValid").asBoolean()).isTrue();
        SessionKeys expected = SessionKeys.derive10(AesKey.parse(nwkKey), JoinNonce.of(j.get("joinNonce").asInt()),
                NetId.parse(j.get("netId").asText()), DevNonce.of(258));
        assertThat(j.get("sessionKeys").get("nwkSKey").asText()).isEqualTo(expected.nwkSKey().toHex());
        assertThat(j.get("sessionKeys").get("appSKey").asText()).isEqualTo(expected.appSKey().toHex());
        JsonNode stated = decodeJson(phy, "--nwk-key", nwkKey, "--app-key", appKey, "--dev-nonce", "258",
                "--mac-version", "1.1").json();
        assertThat(stated.get("micValid").asBoolean()).isTrue();
        assertThat(stated.get("sessionKeys")).isEqualTo(j.get("sessionKeys"));
    }

    /** A 1.0.x device's accept (AppKey) with both root keys and no version: the version that matched is reported. */
    @Test
    void joinAcceptOfAOneZeroDeviceWithBothRootKeysReportsTheVersionThatMatched() throws Exception {
        Vector ja = Vectors.byId("ja-lorapacket-98929b");
        Vector sk = Vectors.byId("sk-lorapacket-10");
        List<String> args = List.of(ja.out("phy_payload"), "--nwk-key", "0f0e0d0c0b0a09080706050403020100",
                "--app-key", sk.in("app_key"), "--dev-nonce", sk.in("dev_nonce_int"));
        JsonNode j = decodeJson(args.toArray(String[]::new)).json();
        assertThat(j.get("micValid").asBoolean()).isTrue();
        assertThat(j.get("joinNonce").asInt()).isEqualTo(3629880);
        assertThat(j.get("sessionKeys").get("nwkSKey").asText()).isEqualTo(sk.out("nwk_s_key"));
        assertThat(j.get("sessionKeys").get("appSKey").asText()).isEqualTo(sk.out("app_s_key"));
        String note = "the MIC does not hold for a LoRaWAN 1.1 device (NwkKey) but holds for a LoRaWAN 1.0.x device "
                + "(AppKey): taken as the latter (give --mac-version to choose)";
        assertThat(j.get("notes")).extracting(JsonNode::asText).contains(note);
        List<String> human = new ArrayList<>(List.of("decode"));
        human.addAll(args);
        assertThat(run(human.toArray(String[]::new)).out()).contains("note: " + note);

        // The TTS 1.0.0 device with both root keys on record and DLSettings 0xff: the same, past the OptNeg bit.
        Vector tts = Vectors.byId("ja-tts-js-1.0.0-cluster_auth-new_device");
        JsonNode t = decodeJson(tts.out("phy_payload"), "--nwk-key", tts.in("root_nwk_key"), "--app-key",
                tts.in("root_app_key"), "--dev-eui", tts.in("dev_eui_msb"), "--join-eui", "0000000000000000",
                "--dev-nonce", "1").json();
        assertThat(t.get("micValid").asBoolean()).isTrue();
        assertThat(t.get("joinNonce").asInt()).isEqualTo(1);
        assertThat(t.get("sessionKeys").has("nwkSKey")).isTrue();
        assertThat(t.get("notes")).extracting(JsonNode::asText).contains(note);
    }

    @Test
    void joinAcceptThatHoldsForNeitherRootKeySaysSo() throws Exception {
        Vector ja = Vectors.byId("ja-lorapacket-98929b");
        JsonNode j = decodeJson(ja.out("phy_payload"), "--nwk-key", "0f0e0d0c0b0a09080706050403020100",
                "--app-key", "00112233445566778899aabbccddeeff").json();
        assertThat(j.get("micValid").asBoolean()).isFalse();
        assertThat(j.get("notes")).extracting(JsonNode::asText)
                .contains("the MIC holds neither for a LoRaWAN 1.1 device (NwkKey) nor for a LoRaWAN 1.0.x device (AppKey)");
    }

    @Test
    void joinRequestWithBothRootKeysReportsTheKeyThatMatched() throws Exception {
        String phy = "0001010101010101010202020202020202030309b97b32";
        JsonNode j = decodeJson(phy, "--nwk-key", "0f0e0d0c0b0a09080706050403020100",
                "--app-key", "0102030405060708090a0b0c0d0e0f10").json();
        assertThat(j.get("micValid").asBoolean()).isTrue();
        assertThat(j.get("notes")).extracting(JsonNode::asText).contains("the MIC does not hold for a LoRaWAN 1.1 "
                + "device (NwkKey) but holds for a LoRaWAN 1.0.x device (AppKey): taken as the latter (give --mac-version to choose)");
        JsonNode stated = decodeJson(phy, "--nwk-key", "0f0e0d0c0b0a09080706050403020100",
                "--app-key", "0102030405060708090a0b0c0d0e0f10", "--mac-version", "1.1").json();
        assertThat(stated.get("micValid").asBoolean()).isFalse();
    }

    @Test
    void dataFrameDecryptsPayloadAndChecksMic() throws Exception {
        Vector v = Vectors.byId("df-chirpstack-10-confup");
        JsonNode j = decodeJson(v.in("phy_payload"), "--nwk-s-key", v.in("nwk_s_key"), "--app-s-key", v.in("app_s_key")).json();
        assertThat(j.get("mType").asText()).isEqualTo("ConfirmedDataUp");
        assertThat(j.get("devAddr").asText()).isEqualTo("01020304");
        assertThat(j.get("fCnt").asLong()).isZero();
        assertThat(j.get("fPort").asInt()).isEqualTo(10);
        assertThat(j.get("fOpts").asText()).isEqualTo("067307");
        assertThat(j.get("frmPayload").asText()).isEqualTo("01020304");
        assertThat(j.get("micValid").asBoolean()).isTrue();
    }

    @Test
    void dataFrame32BitCounter() throws Exception {
        Vector v = Vectors.byId("df-lorars-down-32bitfcnt");
        JsonNode j = decodeJson(v.in("phy_payload"), "--nwk-s-key", v.in("nwk_s_key"), "--app-s-key", v.in("app_s_key"),
                "--fcnt32", "76543").json();
        assertThat(j.get("micValid").asBoolean()).isTrue();
        assertThat(j.get("frmPayload").asText()).isEqualTo(v.out("frm_payload_plain"));
        JsonNode low = decodeJson(v.in("phy_payload"), "--nwk-s-key", v.in("nwk_s_key")).json();
        assertThat(low.get("micValid").asBoolean()).isFalse();
    }

    @Test
    void lorawan11DownlinkWithEncryptedFOpts() throws Exception {
        Vector v = Vectors.byId("df-chirpstack-11-down");
        JsonNode j = decodeJson(v.in("phy_payload"), "--s-nwk-s-int-key", v.in("s_nwk_s_int_key"),
                "--nwk-s-enc-key", v.in("nwk_s_enc_key"), "--app-s-key", v.in("app_s_key")).json();
        assertThat(j.get("micValid").asBoolean()).isTrue();
        assertThat(j.get("fOpts").asText()).isEqualTo("020701");
        assertThat(j.get("frmPayload").asText()).isEqualTo("01020304");
    }

    @Test
    void humanOutputIsATable() {
        Run r = run("decode", "0001010101010101010202020202020202030309b97b32", "--app-key", "0102030405060708090a0b0c0d0e0f10");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).containsPattern("(?m)^mType +JoinRequest$").containsPattern("(?m)^micValid +yes$");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void badPayloadIsOneLineAndNonZero() {
        Run r = run("decode", "0001");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("error: join-request: expected 23 bytes, got 2");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void badKeyNamesTheOptionButNotTheValue() {
        Run r = run("decode", "0001010101010101010202020202020202030309b97b32", "--app-key", "0102030405060708090a0b0c0d0e0fXY");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().lines()).hasSize(1);
        assertThat(r.err()).contains("--app-key").doesNotContain("0102030405060708");
    }

    @ParameterizedTest(name = "{0} {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "--join-req-type | 300      | --join-req-type: out of range 0..255: 300",
            "--join-req-type | 3        | --join-req-type: expected 0, 1, 2 (rejoin types) or 255 (join-request), got 3",
            "--join-req-type | +1       | --join-req-type: not a number: '+1'",
            "--conf-fcnt     | 65536    | --conf-fcnt: out of range 0..65535: 65536",
            "--conf-fcnt     | -1       | --conf-fcnt: not a number: '-1'",
            "--fcnt32        | 0x1FFFFFFFF | --fcnt32: out of range 0..4294967295: 0x1FFFFFFFF",
            "--tx-dr         | 16       | --tx-dr: out of range 0..15: 16",
            "--tx-ch         | 256      | --tx-ch: out of range 0..255: 256",
            "--tx-ch         | ١     | --tx-ch: not a number: '١'",
    })
    void numericOptionsOutOfRangeAreOneLineErrors(String option, String value, String message) {
        Run r = run("decode", "0001010101010101010202020202020202030309b97b32", option, value);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("error: " + message);
    }

    @ParameterizedTest(name = "--join-req-type {0}")
    @ValueSource(strings = {"0", "1", "2", "255", "0xFF", "0xff"})
    void joinReqTypesTheSpecDefinesAreAccepted(String value) {
        Run r = run("decode", "0001010101010101010202020202020202030309b97b32", "--join-req-type", value);
        assertThat(r.exit()).as(r.err()).isZero();
    }

    @Test
    void usageErrorsExitTwo() {
        Run r = run("decode");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: Missing required parameter: 'PAYLOAD'");
        assertThat(run("nonsense").exit()).isEqualTo(2);
    }

    @Test
    void helpExitsZero() {
        Run r = run("decode", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("--app-key").contains("--json");
    }

    @Test
    void wrongKeyOnJoinAcceptWithCfList() {
        Vector ja = Vectors.byId("ja-lorars-cflist");
        Run r = run("decode", ja.out("phy_payload"), "--app-key", "00000000000000000000000000000000");
        // Either the CFList type byte decrypts to garbage (typed error) or the MIC fails; never a stack trace.
        if (r.exit() == 0) {
            assertThat(r.out()).contains("micValid");
        } else {
            assertThat(r.exit()).isEqualTo(1);
            assertThat(r.err()).startsWith("error: join-accept does not decrypt").doesNotContain("Exception");
        }
    }
}
