package io.lorafab.joinserver.bi;

import static io.lorafab.joinserver.bi.BiSamples.joinReq;
import static io.lorafab.joinserver.bi.BiSamples.joinReqWith;
import static io.lorafab.joinserver.bi.BiSamples.resource;
import static io.lorafab.joinserver.bi.BiSamples.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.lorawan.frame.CfList;
import io.lorafab.lorawan.frame.DlSettings;
import io.lorafab.lorawan.frame.JoinRequest;
import io.lorafab.lorawan.frame.PhyPayloadCodec;
import io.lorafab.lorawan.types.DevAddr;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.NetId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * JoinReq bodies as ChirpStack v4 and The Things Stack send them (test resources {@code bi/}, provenance in
 * {@code bi/README.md}), every field checked, then the format quirks one by one.
 */
class JoinReqSamplesTest {

    static JoinReq parse(String resource) {
        BiMessage m = BiCodec.parse(resource(resource));
        assertThat(m).isInstanceOf(JoinReq.class);
        return (JoinReq) m;
    }

    /** The PHYPayload is a join-request whose JoinEUI and DevEUI are the message's ReceiverID and DevEUI. */
    static void assertConsistentFrame(JoinReq r) {
        JoinRequest jr = (JoinRequest) PhyPayloadCodec.decode(r.phyPayload().bytes());
        assertThat(jr.joinEui()).isEqualTo(r.joinEui());
        assertThat(jr.devEui()).isEqualTo(r.devEui());
    }

    @Test
    void chirpStack103() {
        JoinReq r = parse("chirpstack-joinreq-1.0.3.json");
        BiHeader h = r.header();
        assertThat(h.protocolVersion()).isEqualTo(BiProtocolVersion.V1_0);
        assertThat(h.senderId()).isEqualTo("000000");
        assertThat(h.receiverId()).isEqualTo("0101010101010101");
        assertThat(h.transactionId()).isEqualTo(1634578121L);
        assertThat(h.messageType()).isEqualTo(BiMessageType.JOIN_REQ);
        assertThat(h.senderNsId()).isEmpty();
        assertThat(h.receiverNsId()).isEmpty();
        assertThat(h.senderToken()).isEmpty();
        assertThat(h.receiverToken()).isEmpty();
        assertThat(r.netId()).isEqualTo(NetId.of(0x000000));
        assertThat(r.joinEui()).isEqualTo(Eui64.of(0x0101010101010101L));
        assertThat(r.macVersion()).isEqualTo(MacVersion.V1_0_3);
        assertThat(r.phyPayload().toHex()).isEqualTo("0001010101010101010202020202020202030309b97b32");
        assertThat(r.devEui()).isEqualTo(Eui64.of(0x0202020202020202L));
        assertThat(r.devAddr()).isEqualTo(DevAddr.of(0x01ab3c4d));
        assertThat(r.dlSettings()).isEqualTo(new DlSettings(false, 0, 0));
        assertThat(r.rxDelay()).isEqualTo(1);
        assertThat(r.cfList()).map(HexBytes::toHex).hasValue("184f84e85684b85e84886684586e8400");
        assertThat(CfList.decode(r.cfList().get().bytes(), 0)).isEqualTo(new CfList.ChannelFrequencies(
                List.of(867_100_000L, 867_300_000L, 867_500_000L, 867_700_000L, 867_900_000L)));
        assertThat(r.lorawan11Session()).isFalse();
        assertConsistentFrame(r);
    }

    @Test
    void chirpStack11() {
        JoinReq r = parse("chirpstack-joinreq-1.1.json");
        BiHeader h = r.header();
        assertThat(h.protocolVersion()).as("ChirpStack says 1.0 for every device").isEqualTo(BiProtocolVersion.V1_0);
        assertThat(h.senderId()).isEqualTo("00003c");
        assertThat(h.receiverId()).isEqualTo("0000000000000001");
        assertThat(h.transactionId()).as("a u32 above 2^31").isEqualTo(3735928559L);
        assertThat(h.messageType()).isEqualTo(BiMessageType.JOIN_REQ);
        assertThat(h.senderNsId()).isEmpty();
        assertThat(h.senderToken()).isEmpty();
        assertThat(r.netId()).isEqualTo(NetId.of(0x00003c));
        assertThat(r.netId().owns(r.devAddr())).isTrue();
        assertThat(r.joinEui()).isEqualTo(Eui64.of(1));
        assertThat(r.macVersion()).as("\"1.1.0\"").isEqualTo(MacVersion.V1_1);
        assertThat(r.phyPayload().toHex()).isEqualTo("00010000000000000001000000000000000ce83685eb17");
        assertThat(r.devEui()).isEqualTo(Eui64.of(1));
        assertThat(r.devAddr()).isEqualTo(DevAddr.of(0x7801a2b3));
        assertThat(r.dlSettings()).isEqualTo(new DlSettings(true, 0, 8));
        assertThat(r.rxDelay()).isEqualTo(1);
        assertThat(r.cfList()).map(HexBytes::toHex).hasValue("00ff0000000000000200000000000001");
        assertThat(CfList.decode(r.cfList().get().bytes(), 0).type()).isEqualTo(1);
        assertThat(r.lorawan11Session()).isTrue();
        assertConsistentFrame(r);
    }

    @Test
    void theThingsStack103() {
        JoinReq r = parse("tts-joinreq-1.0.3.json");
        BiHeader h = r.header();
        assertThat(h.protocolVersion()).isEqualTo(BiProtocolVersion.V1_0);
        assertThat(h.senderId()).isEqualTo("42FFFF");
        assertThat(h.receiverId()).isEqualTo("42FFFFFFFFFFFFFF");
        assertThat(h.transactionId()).isZero();
        assertThat(h.messageType()).isEqualTo(BiMessageType.JOIN_REQ);
        assertThat(h.senderNsId()).as("NSID sent with ProtocolVersion 1.0").hasValue("42FFFF");
        assertThat(h.receiverNsId()).isEmpty();
        assertThat(r.netId()).isEqualTo(NetId.of(0x42ffff));
        assertThat(r.joinEui()).isEqualTo(Eui64.of(0x42ffffffffffffffL));
        assertThat(r.macVersion()).isEqualTo(MacVersion.V1_0_3);
        assertThat(r.phyPayload().toHex()).isEqualTo("00ffffffffffffff42ffffffffffff4242010029a8e57d");
        assertThat(r.devEui()).isEqualTo(Eui64.of(0x4242ffffffffffffL));
        assertThat(r.devAddr()).isEqualTo(DevAddr.of(0x42ffffff));
        assertThat(r.dlSettings()).isEqualTo(new DlSettings(false, 0, 0));
        assertThat(r.rxDelay()).isEqualTo(5);
        assertThat(r.cfList()).as("\"CFList\": \"\" is no CFList").isEmpty();
        assertThat(r.lorawan11Session()).isFalse();
        assertConsistentFrame(r);
    }

    @Test
    void theThingsStack11() {
        JoinReq r = parse("tts-joinreq-1.1.json");
        BiHeader h = r.header();
        assertThat(h.protocolVersion()).isEqualTo(BiProtocolVersion.V1_1);
        assertThat(h.senderId()).isEqualTo("000013");
        assertThat(h.receiverId()).isEqualTo("42FFFFFFFFFFFFFF");
        assertThat(h.transactionId()).isEqualTo(2903482361L);
        assertThat(h.messageType()).isEqualTo(BiMessageType.JOIN_REQ);
        assertThat(h.senderNsId()).hasValue("EC656E0000000001");
        assertThat(h.receiverNsId()).isEmpty();
        assertThat(r.netId()).isEqualTo(NetId.of(0x000013));
        assertThat(r.netId().owns(r.devAddr())).isTrue();
        assertThat(r.joinEui()).isEqualTo(Eui64.of(0x42ffffffffffffffL));
        assertThat(r.macVersion()).isEqualTo(MacVersion.V1_1);
        assertThat(r.phyPayload().toHex()).isEqualTo("00ffffffffffffff42ffffffffffff424200005517548e");
        assertThat(r.devEui()).isEqualTo(Eui64.of(0x4242ffffffffffffL));
        assertThat(r.devAddr()).isEqualTo(DevAddr.of(0x260b1d2f));
        assertThat(r.dlSettings()).isEqualTo(new DlSettings(true, 0, 0));
        assertThat(r.rxDelay()).isEqualTo(5);
        assertThat(r.cfList()).map(HexBytes::toHex).hasValue("184f84e85684b85e84886684586e8400");
        assertThat(r.lorawan11Session()).isTrue();
        assertConsistentFrame(r);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"chirpstack-joinreq-1.0.3.json", "chirpstack-joinreq-1.1.json", "tts-joinreq-1.0.3.json",
            "tts-joinreq-1.1.json"})
    void samplesSurviveWriteAndParse(String resource) {
        JoinReq r = parse(resource);
        assertThat(BiCodec.parse(BiCodec.write(r))).isEqualTo(r);
    }

    // ------------------------------------------------------------------ quirks, one per row

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "RxDelay as a number                 | RxDelay       | 5                      | 5",
            "RxDelay as a decimal string         | RxDelay       | '\"5\"'                | 5",
            "RxDelay as the ttnpb enum name      | RxDelay       | '\"RX_DELAY_5\"'       | 5",
            "RxDelay as 5.0                      | RxDelay       | 5.0                    | 5",
            "RxDelay 0                           | RxDelay       | 0                      | 0",
            "RxDelay 15                          | RxDelay       | 15                     | 15",
    })
    void rxDelayForms(String name, String field, String json, int expected) {
        JoinReq r = (JoinReq) BiCodec.parse(utf8(joinReqWith(field, json)));
        assertThat(r.rxDelay()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "a number                | 4294967295       | 4294967295",
            "a decimal string        | '\"4294967295\"' | 4294967295",
            "zero                    | 0                | 0",
            "an exponent             | 1E3              | 1000",
    })
    void transactionIdForms(String name, String json, long expected) {
        JoinReq r = (JoinReq) BiCodec.parse(utf8(joinReqWith("TransactionID", json)));
        assertThat(r.header().transactionId()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "lowercase                | 0202020202020aa0",
            "uppercase                | 0202020202020AA0",
            "mixed case               | 0202020202020Aa0",
            "0x prefix                | 0x0202020202020aa0",
            "surrounding blanks       | ' 0202020202020aa0 '",
    })
    void hexForms(String name, String devEui) {
        JoinReq r = (JoinReq) BiCodec.parse(utf8(joinReqWith("DevEUI", "\"" + devEui + "\"")));
        assertThat(r.devEui()).isEqualTo(Eui64.of(0x0202020202020aa0L));
    }

    @ParameterizedTest(name = "MACVersion {0}")
    @CsvSource(delimiter = '|', value = {
            "1.0      | V1_0_0",
            "1.0.0    | V1_0_0",
            "1.0.1    | V1_0_1",
            "1.0.2    | V1_0_2",
            "1.0.3    | V1_0_3",
            "1.0.4    | V1_0_4",
            "1.1      | V1_1",
            "1.1.0    | V1_1",
    })
    void macVersions(String text, MacVersion expected) {
        JoinReq r = (JoinReq) BiCodec.parse(utf8(joinReqWith("MACVersion", "\"" + text + "\"")));
        assertThat(r.macVersion()).isEqualTo(expected);
    }

    @Test
    void dlSettingsAsANumber() {
        JoinReq r = (JoinReq) BiCodec.parse(utf8(joinReqWith("DLSettings", "136")));
        assertThat(r.dlSettings()).isEqualTo(new DlSettings(true, 0, 8));
    }

    @Test
    void unknownFieldsAreIgnored() {
        String json = joinReq("\"VSExtension\":{\"VendorID\":\"0001ab\",\"Object\":{\"x\":[1,2,{}]}},"
                + "\"CFListType\":0,\"SomethingNew\":null");
        assertThat(BiCodec.parse(utf8(json))).isEqualTo(BiCodec.parse(utf8(joinReq(""))));
    }

    @Test
    void nullAndEmptyOptionalsAreAbsent() {
        String json = joinReq("\"CFList\":null,\"SenderNSID\":\"\",\"SenderToken\":\"\",\"ReceiverToken\":null");
        JoinReq r = (JoinReq) BiCodec.parse(utf8(json));
        assertThat(r.cfList()).isEmpty();
        assertThat(r.header().senderNsId()).isEmpty();
        assertThat(r.header().senderToken()).isEmpty();
        assertThat(r.header().receiverToken()).isEmpty();
    }

    @Test
    void nsIdIsOpaqueText() {
        JoinReq r = (JoinReq) BiCodec.parse(utf8(joinReq("\"SenderNSID\":\"ns1.example.net\"")));
        assertThat(r.header().senderNsId()).hasValue("ns1.example.net");
    }

    @Test
    void tokensAreHex() {
        JoinReq r = (JoinReq) BiCodec.parse(utf8(joinReq("\"SenderToken\":\"0A0b\"")));
        assertThat(r.header().senderToken()).map(HexBytes::toHex).hasValue("0a0b");
    }

    @Test
    void whitespaceAndFieldOrderDoNotMatter() {
        String json = "\n{ \"RxDelay\" : 1 , \"DLSettings\":\"00\", \"DevAddr\":\"01ab3c4d\",\n"
                + "  \"DevEUI\":\"0202020202020202\", \"PHYPayload\":\"0001010101010101010202020202020202030309b97b32\",\n"
                + "  \"MACVersion\":\"1.0.3\", \"MessageType\":\"JoinReq\", \"TransactionID\":7,\n"
                + "  \"ReceiverID\":\"0101010101010101\", \"SenderID\":\"000000\", \"ProtocolVersion\":\"1.0\" }\n";
        assertThat(BiCodec.parse(utf8(json))).isEqualTo(BiCodec.parse(utf8(joinReq(""))));
    }

    @Test
    void theSameRequestFromBothServersIsEqual() {
        String upper = joinReq("").replace("01ab3c4d", "01AB3C4D").replace("9b97b32", "9B97B32");
        JoinReq lower = (JoinReq) BiCodec.parse(utf8(joinReq("")));
        JoinReq fromUpper = (JoinReq) BiCodec.parse(utf8(upper));
        assertThat(fromUpper).isEqualTo(lower);
        assertThat(fromUpper.cfList()).isEqualTo(Optional.empty());
    }
}
