package io.lorafab.gateway.semtech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.gateway.semtech.SemtechPacket.PullAck;
import io.lorafab.gateway.semtech.SemtechPacket.PullData;
import io.lorafab.gateway.semtech.SemtechPacket.PullResp;
import io.lorafab.gateway.semtech.SemtechPacket.PushAck;
import io.lorafab.gateway.semtech.SemtechPacket.PushData;
import io.lorafab.gateway.semtech.SemtechPacket.TxAck;
import io.lorafab.lorawan.types.Eui64;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class SemtechCodecTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final Eui64 EUI = Eui64.of(0x0102030405060708L);
    private static final Token TOKEN = Token.of(0x7b, 0x00);

    static byte[] pushData(String json) {
        return concat(HEX.parseHex("027b00000102030405060708"), json.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] pullResp(String json) {
        return concat(HEX.parseHex("027b0003"), json.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] txAck(byte[] tail) {
        return concat(HEX.parseHex("027b00050102030405060708"), tail);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A valid LoRa rxpk object with one field replaced (or removed when {@code value} is null). */
    static String rxpkWith(String field, String value) {
        java.util.LinkedHashMap<String, String> f = new java.util.LinkedHashMap<>();
        f.put("tmst", "3512348611");
        f.put("chan", "2");
        f.put("rfch", "0");
        f.put("freq", "866.349812");
        f.put("stat", "1");
        f.put("modu", "\"LORA\"");
        f.put("datr", "\"SF7BW125\"");
        f.put("codr", "\"4/6\"");
        f.put("rssi", "-35");
        f.put("lsnr", "5.1");
        f.put("size", "4");
        f.put("data", "\"AQIDBA==\"");
        if (field != null) {
            if (value == null) {
                f.remove(field);
            } else {
                f.put(field, value);
            }
        }
        StringBuilder sb = new StringBuilder("{\"rxpk\":[{");
        f.forEach((k, v) -> sb.append('"').append(k).append("\":").append(v).append(','));
        sb.setLength(sb.length() - 1);
        return sb.append("}]}").toString();
    }

    static Rxpk decodeRxpk(String json) {
        return ((PushData) SemtechCodec.decode(pushData(json))).rxpk().get(0);
    }

    static AbstractThrowableAssert<?, ? extends Throwable> assertRejected(byte[] datagram) {
        return assertThatThrownBy(() -> SemtechCodec.decode(datagram)).isExactlyInstanceOf(
                SemtechProtocolException.class);
    }

    @Nested
    class Header {
        @Test
        void tooShort() {
            for (int n = 0; n < 4; n++) {
                assertRejected(new byte[n]).hasMessageContaining("too short");
            }
            assertRejected(HEX.parseHex("027b00000102030405")).hasMessageContaining("PUSH_DATA too short");
            assertRejected(HEX.parseHex("027b0005010203")).hasMessageContaining("TX_ACK too short");
        }

        @Test
        void nullDatagram() {
            assertRejected(null).hasMessageContaining("null");
        }

        @ParameterizedTest
        @ValueSource(ints = {0, 1, 3, 0xff})
        void onlyVersion2(int version) {
            byte[] d = HEX.parseHex("027b0001");
            d[0] = (byte) version;
            assertRejected(d).hasMessageContaining("unsupported protocol version " + version);
        }

        @ParameterizedTest
        @ValueSource(ints = {0x06, 0x10, 0xff})
        void unknownIdentifier(int id) {
            byte[] d = HEX.parseHex("027b0001");
            d[3] = (byte) id;
            assertRejected(d).hasMessageContaining("unknown packet identifier");
        }

        @Test
        void acksAndPullDataHaveExactLengths() {
            assertRejected(HEX.parseHex("027b000100")).hasMessageContaining("PUSH_ACK must be exactly 4 bytes");
            assertRejected(HEX.parseHex("027b000400")).hasMessageContaining("PULL_ACK must be exactly 4 bytes");
            assertRejected(HEX.parseHex("027b0002010203040506070800"))
                    .hasMessageContaining("PULL_DATA must be exactly 12 bytes");
        }

        @Test
        void invalidJsonIsRefusedByPositionWithoutQuotingTheDatagram() {
            // Jackson 2.23 places an unrecognised token at its first character
            assertRejected(pushData("{\"rxpk\":[{\"data\": QUJDREVGR0hJSktMTU5PUA}]}"))
                    .hasMessage("PUSH_DATA: invalid JSON, syntax error at line 1, column 19");
        }

        @Test
        void aValueQuotedInAnErrorHasItsControlCharactersMaskedSoTheMessageStaysOneLine() {
            assertRejected(pushData("{\"rxpk\":[{\"tmst\":3512348514,\"chan\":9,\"rfch\":1,\"freq\":869.1,\"stat\":1,"
                    + "\"modu\":\"LO\\nRA\\r\",\"datr\":50000,\"rssi\":-75,\"size\":16,\"data\":\"VEVTVF9QQUNLRVRfMTIzNA==\"}]}"))
                    .message().doesNotContain("\n").doesNotContain("\r").contains("\"LO?RA?\"");
        }

        @Test
        void headerStillReadableWhenJsonIsBad() {
            byte[] d = pushData("{\"rxpk\":[{]}");
            assertRejected(d).hasMessageStartingWith("PUSH_DATA: invalid JSON");
            SemtechCodec.Header h = SemtechCodec.decodeHeader(d);
            assertThat(h.type()).isEqualTo(PacketType.PUSH_DATA);
            assertThat(h.token()).isEqualTo(TOKEN);
            assertThat(h.gatewayEui()).hasValue(EUI);
            assertThat(h.version()).isEqualTo(2);
        }

        @Test
        void sliceOverload() {
            byte[] buf = concat(new byte[] {9, 9}, HEX.parseHex("027b00020102030405060708ffff"));
            assertThat(SemtechCodec.decode(buf, 2, 12)).isEqualTo(new PullData(TOKEN, EUI));
            assertThatThrownBy(() -> SemtechCodec.decode(buf, 10, 12)).isInstanceOf(SemtechProtocolException.class);
            assertThatThrownBy(() -> SemtechCodec.decode(buf, -1, 4)).isInstanceOf(SemtechProtocolException.class);
        }
    }

    @Nested
    class Tokens {
        @Test
        void littleEndianReading() {
            assertThat(Token.of(0x7b, 0x00).tokenLe()).isEqualTo(123);
            assertThat(Token.of(0x00, 0x7b).tokenLe()).isEqualTo(123 << 8);
            assertThat(Token.fromLe(0xbeef)).isEqualTo(Token.of(0xef, 0xbe));
            assertThat(Token.fromLe(0xbeef).toBytes()).containsExactly(0xef, 0xbe);
            assertThat(Token.of(0xab, 0x01)).hasToString("ab01");
        }

        @Test
        void acksEchoTheTokenVerbatim() {
            Token t = Token.of(0xfe, 0x01);
            PushData push = new PushData(t, EUI, List.of(), Optional.empty());
            assertThat(SemtechCodec.encode(PushAck.of(push))).containsExactly(2, 0xfe, 0x01, 1);
            assertThat(SemtechCodec.encode(PullAck.of(new PullData(t, EUI)))).containsExactly(2, 0xfe, 0x01, 4);
            assertThat(SemtechCodec.decode(HEX.parseHex("02fe0101"))).isEqualTo(new PushAck(t));
            assertThat(SemtechCodec.decode(HEX.parseHex("02fe0104"))).isEqualTo(new PullAck(t));
        }

        @Test
        void outOfRange() {
            assertThatThrownBy(() -> Token.of(256, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> Token.fromLe(0x10000)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class TxAcks {
        @Test
        void absentEmptyOrPaddingJsonMeansNone() {
            for (String tail : List.of("", "00", "0000000000", "20", "0d0a", "2000090a00", "7b7d",
                    "7b7d00", "7b227478706b5f61636b223a7b7d7d")) {
                TxAck ack = (TxAck) SemtechCodec.decode(txAck(HEX.parseHex(tail)));
                assertThat(ack.error()).as(tail).isEqualTo(TxAckError.NONE);
                assertThat(ack.warning()).isEqualTo(TxAckError.NONE);
                assertThat(ack.warnValue()).isEmpty();
                assertThat(ack.accepted()).isTrue();
                assertThat(ack.gatewayEui()).isEqualTo(EUI);
            }
        }

        @ParameterizedTest
        @EnumSource(TxAckError.class)
        void everyErrorRoundTrips(TxAckError error) {
            byte[] d = txAck(("{\"txpk_ack\":{\"error\":\"" + error.name() + "\"}}").getBytes(StandardCharsets.UTF_8));
            TxAck ack = (TxAck) SemtechCodec.decode(d);
            assertThat(ack.error()).isEqualTo(error);
            if (error == TxAckError.NONE) {
                assertThat(SemtechCodec.encode(ack)).hasSize(12);
            } else {
                assertThat(SemtechCodec.encode(ack)).isEqualTo(d);
            }
        }

        @Test
        void unknownErrorStringIsUnknown() {
            TxAck ack = (TxAck) SemtechCodec.decode(txAck("{\"txpk_ack\":{\"error\":\"FULL\"}}".getBytes()));
            assertThat(ack.error()).isEqualTo(TxAckError.UNKNOWN);
            assertThat(ack.accepted()).isFalse();
        }

        @Test
        void powerWarningIsNotAnError() {
            String json = "{\"txpk_ack\":{\"warn\":\"TX_POWER\",\"value\":14}}";
            TxAck ack = (TxAck) SemtechCodec.decode(txAck(json.getBytes()));
            assertThat(ack.error()).isEqualTo(TxAckError.NONE);
            assertThat(ack.warning()).isEqualTo(TxAckError.TX_POWER);
            assertThat(ack.warnValue()).hasValue(14);
            assertThat(ack.accepted()).isTrue();
            assertThat(new String(SemtechCodec.encode(ack), 12, json.length(), StandardCharsets.UTF_8)).isEqualTo(json);
        }

        @Test
        void malformed() {
            assertRejected(txAck("{\"txpk_ack\":{\"error\":5}}".getBytes())).hasMessageContaining("txpk_ack.error");
            assertRejected(txAck("{\"txpk_ack\":[]}".getBytes())).hasMessageContaining("txpk_ack");
            assertRejected(txAck("{\"txpk_ack\":{\"warn\":\"TX_POWER\",\"value\":\"x\"}}".getBytes()))
                    .hasMessageContaining("txpk_ack.value");
            assertRejected(txAck("garbage".getBytes())).hasMessageStartingWith("TX_ACK: invalid JSON");
            assertRejected(txAck(new byte[] {0, '{', '}'})).hasMessageStartingWith("TX_ACK");
        }

        @Test
        void convenience() {
            PullResp resp = new PullResp(Token.of(1, 2), Txpk.loraImmediate(869_525_000L, 27, DataRate.Lora.of(9, 125),
                    CodingRate.CR_4_5, new byte[] {1}));
            TxAck ack = TxAck.of(resp, EUI, TxAckError.TOO_LATE);
            assertThat(ack.token()).isEqualTo(resp.token());
            assertThat(SemtechCodec.decode(SemtechCodec.encode(ack))).isEqualTo(ack);
            assertThatThrownBy(() -> new TxAck(TOKEN, EUI, TxAckError.NONE, TxAckError.NONE, Optional.of(1)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class Json {
        @Test
        void emptyPushDataAndTrailingNulsAndWhitespace() {
            PushData p = (PushData) SemtechCodec.decode(pushData(" {} \r\n\u0000\u0000"));
            assertThat(p.rxpk()).isEmpty();
            assertThat(p.stat()).isEmpty();
            assertThat(p.gatewayEui()).isEqualTo(EUI);
        }

        @Test
        void pushDataNeedsJson() {
            assertRejected(pushData("")).hasMessage("PUSH_DATA: missing JSON payload");
            assertRejected(pushData("\u0000")).hasMessage("PUSH_DATA: missing JSON payload");
            assertRejected(HEX.parseHex("027b0003")).hasMessage("PULL_RESP: missing JSON payload");
        }

        @ParameterizedTest
        @ValueSource(strings = {"[]", "\"x\"", "42", "null", "{", "{}}", "{} {}", "{\"rxpk\":[]}x",
                "{\"a\":1,\"a\":2}", "{\"rxpk\":{}}", "{\"rxpk\":[1]}", "{\"stat\":[]}", "{'rxpk':[]}",
                "{\"rxpk\":[],}", "{\"x\":NaN}", "{\"x\":01}"})
        void notAcceptableJson(String json) {
            assertRejected(pushData(json)).hasMessageStartingWith("PUSH_DATA");
        }

        @Test
        void invalidUtf8() {
            byte[] d = concat(pushData("{\"x\":\""), new byte[] {(byte) 0xc3, (byte) 0x28, '"', '}'});
            assertRejected(d).hasMessageContaining("UTF-8");
        }

        @Test
        void numberWithAnExponentPastAnInt() {
            // found by SemtechCodecProperties: Jackson refuses such a BigDecimal with a NumberFormatException
            assertRejected(pushData("{\"rxpk\":[{\"freq\":1e2147483648}]}"))
                    .hasMessage("PUSH_DATA: invalid JSON: a number is out of range");
        }

        @Test
        void deepNesting() {
            String deep = "{\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
            assertRejected(pushData(deep)).hasMessageContaining("invalid JSON");
        }

        @Test
        void nestingWithinTheParserLimitIsStillJustAWrongType() {
            String deep = "[".repeat(900) + "]".repeat(900);
            assertRejected(pushData(rxpkWith("tmst", deep))).hasMessage(
                    "PUSH_DATA: rxpk[0].tmst: expected a number, got an array");
            assertThat(decodeRxpk(rxpkWith("brd", deep)).tmst()).isEqualTo(3_512_348_611L);
        }

        @Test
        void unknownFieldsAndNullsAreIgnored() {
            Rxpk r = decodeRxpk(rxpkWith("aesk", "42").replace("}]}", ",\"time\":null,\"brd\":{\"x\":[1]}}]}"));
            assertThat(r.time()).isEmpty();
            assertThat(r.frequencyHz()).isEqualTo(866_349_812L);
        }
    }

    @Nested
    class Frequencies {
        @ParameterizedTest
        @CsvSource({"868.100000,868100000", "866.349812,866349812", "863.00981,863009810", "869.1,869100000",
                "868,868000000", "868.0,868000000", "8.681e2,868100000", "868100000e-6,868100000",
                "868.29999999999995,868300000", "902.3000004,902300000", "902.3000005,902300001",
                "2400.000001,2400000001", "1,1000000", "10000,10000000000"})
        void exactHz(String json, long hz) {
            assertThat(decodeRxpk(rxpkWith("freq", json)).frequencyHz()).isEqualTo(hz);
        }

        @ParameterizedTest
        @ValueSource(strings = {"1e999999999", "1e-999999999", "-868.1", "0", "0.999999", "10000.000001",
                "\"868.1\"", "true", "[868.1]", "123456789012345678901234567890"})
        void rejected(String json) {
            assertRejected(pushData(rxpkWith("freq", json))).hasMessageContaining("rxpk[0].freq");
        }

        @Test
        void missing() {
            assertRejected(pushData(rxpkWith("freq", null))).hasMessage("PUSH_DATA: rxpk[0].freq: missing");
        }

        @ParameterizedTest
        @CsvSource({"869525000,869.525", "868000000,868.0", "866349812,866.349812", "923300000,923.3",
                "1000000,1.0", "2400000001,2400.000001"})
        void written(long hz, String mhz) {
            assertThat(SemtechJson.mhz(hz)).isEqualTo(mhz);
        }
    }

    @Nested
    class RxpkFields {
        @Test
        void fskPacket() {
            Rxpk r = decodeRxpk("{\"rxpk\":[{\"tmst\":3512348514,\"chan\":9,\"rfch\":1,\"freq\":869.1,\"stat\":1,"
                    + "\"modu\":\"FSK\",\"datr\":50000,\"rssi\":-75,\"size\":16,\"data\":\"VEVTVF9QQUNLRVRfMTIzNA==\"}]}");
            assertThat(r.dataRate()).isEqualTo(new DataRate.Fsk(50_000));
            assertThat(r.modulation()).isEqualTo(Modulation.FSK);
            assertThat(r.lsnr()).isEmpty();
            assertThat(r.codingRate()).isEmpty();
            assertThat(new String(r.data(), StandardCharsets.US_ASCII)).isEqualTo("TEST_PACKET_1234");
        }

        @ParameterizedTest
        @CsvSource({"1,OK", "0,NO_CRC", "-1,BAD"})
        void crcStatus(String stat, CrcStatus expected) {
            assertThat(decodeRxpk(rxpkWith("stat", stat)).crcStatus()).isEqualTo(expected);
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {"stat|2", "stat|\"1\"", "stat|0.5", "tmst|4294967296", "tmst|-1",
                "tmst|1.5", "tmst|\"1\"", "chan|256", "rfch|-1", "rssi|\"-35\"", "lsnr|\"5\"", "lsnr|1e9",
                "size|5", "size|-1", "data|\"AQID\"", "data|5", "modu|\"LR-FHSS\"", "modu|\"lora\"",
                "datr|\"SF13BW125\"", "datr|\"SF4BW125\"", "datr|\"SF7BW126\"", "datr|\"sf7bw125\"",
                "datr|\"SF7BW125 \"", "datr|50000", "datr|\"SF99999999999BW125\"", "codr|\"4/9\"", "codr|5",
                "time|\"yesterday\"", "time|\"2013-03-31 16:21:17\"", "time|17", "tmms|-5", "rsig|{}",
                "rsig|[1]", "tmst|null", "data|null", "modu|null"})
        void invalidField(String field, String value) {
            assertRejected(pushData(rxpkWith(field, value))).hasMessageStartingWith("PUSH_DATA: rxpk[0].");
        }

        @Test
        void integralDecimalsAcceptedAndRssiRounded() {
            Rxpk r = decodeRxpk(rxpkWith("tmst", "5.0").replace("\"rssi\":-35", "\"rssi\":-35.6"));
            assertThat(r.tmst()).isEqualTo(5);
            assertThat(r.rssi()).isEqualTo(-36);
            assertThat(decodeRxpk(rxpkWith("rssi", "-0.4")).rssi()).isZero();
            assertThat(decodeRxpk(rxpkWith("lsnr", "-11")).lsnr()).hasValue(-11.0);
        }

        @Test
        void timeAndTmms() {
            Rxpk r = decodeRxpk(rxpkWith("time", "\"2013-03-31T16:21:17.528002Z\"").replace("}]}",
                    ",\"tmms\":1049037697528}]}"));
            assertThat(r.time()).hasValue(Instant.parse("2013-03-31T16:21:17.528002Z"));
            assertThat(r.tmms()).hasValue(1_049_037_697_528L);
            assertThat(decodeRxpk(rxpkWith("time", "\"2013-03-31T16:21:17Z\"")).time())
                    .hasValue(Instant.parse("2013-03-31T16:21:17Z"));
        }

        @Test
        void dataRates() {
            assertThat(decodeRxpk(rxpkWith("datr", "\"SF12BW500\"")).dataRate()).isEqualTo(new DataRate.Lora(12, 500_000));
            assertThat(decodeRxpk(rxpkWith("datr", "\"SF5BW250\"")).dataRate()).isEqualTo(DataRate.Lora.of(5, 250));
            assertThat(DataRate.Lora.of(7, 125).datr()).isEqualTo("SF7BW125");
        }

        @Test
        void codingRates() {
            for (CodingRate c : CodingRate.values()) {
                assertThat(decodeRxpk(rxpkWith("codr", "\"" + c.wire() + "\"")).codingRate()).hasValue(c);
            }
            assertThat(decodeRxpk(rxpkWith("codr", null)).codingRate()).isEmpty();
        }

        @Test
        void invalidRxpkNamesItsIndex() {
            String json = "{\"rxpk\":[" + rxpkWith(null, null).substring(9, rxpkWith(null, null).length() - 2) + ","
                    + rxpkWith("chan", "-2").substring(9, rxpkWith("chan", "-2").length() - 2) + "]}";
            assertRejected(pushData(json)).hasMessageStartingWith("PUSH_DATA: rxpk[1].chan: out of range");
        }
    }

    @Nested
    class Base64 {
        @ParameterizedTest
        @CsvSource({"'',''", "AA==,00", "AA,00", "AAE=,0001", "AAE,0001", "AAEC,000102", "/+8=,ffef",
                "QCkuASaAAAAByFaF53Iu+vzmwQ==,40292e012680000001c85685e7722efafce6c1"})
        void accepted(String b64, String hex) {
            assertThat(HEX.formatHex(Base64Data.decode(b64, "data"))).isEqualTo(hex);
        }

        @ParameterizedTest
        @ValueSource(strings = {"A", "A=", "AA=", "AAA==", "AAAA=", "=AAA", "AA=A", "AA==AA==", "AAA===",
                "-DS4", "_DS4", "AA A", "AA\nA", "AAé=", "AA.A"})
        void rejected(String b64) {
            assertThatThrownBy(() -> Base64Data.decode(b64, "rxpk[0].data"))
                    .isInstanceOf(SemtechProtocolException.class).hasMessageStartingWith("rxpk[0].data: invalid base64");
        }

        @Test
        void urlSafeAlphabetIsCalledOut() {
            assertThatThrownBy(() -> Base64Data.decode("-DS4", "d")).hasMessage(
                    "d: invalid base64 character '-' at offset 0 (URL-safe base64 is not accepted)");
        }

        @Test
        void sizeMustMatch() {
            assertRejected(pushData(rxpkWith("size", "3"))).hasMessageContaining(
                    "rxpk[0].size: size 3 does not match the 4 bytes of data");
            assertThat(decodeRxpk(rxpkWith("size", null)).size()).isEqualTo(4);
        }
    }

    @Nested
    class MultiAntenna {
        private String rsig(String topLevel, String antennas) {
            return "{\"rxpk\":[{\"tmst\":1,\"rfch\":0,\"freq\":868.5,\"stat\":1,\"modu\":\"LORA\",\"datr\":\"SF7BW125\","
                    + "\"codr\":\"4/5\",\"size\":1,\"data\":\"AQ==\"" + topLevel + ",\"rsig\":[" + antennas + "]}]}";
        }

        @Test
        void bestAntennaByChannelRssi() {
            Rxpk r = decodeRxpk(rsig("", "{\"ant\":0,\"chan\":7,\"rssic\":-95,\"lsnr\":14.0},"
                    + "{\"ant\":1,\"chan\":23,\"rssic\":-93,\"lsnr\":9.5,\"rssis\":-88,\"rssisd\":0,\"ftime\":1252538436,"
                    + "\"foff\":-8898,\"etime\":\"djGiSzOC+gCT7vRPv7+Asw==\"}"));
            assertThat(r.rssi()).isEqualTo(-93);
            assertThat(r.lsnr()).hasValue(9.5);
            assertThat(r.chan()).isEqualTo(23);
            Rsig a1 = r.rsig().get(1);
            assertThat(a1.rssis()).hasValue(-88);
            assertThat(a1.ftime()).hasValue(1_252_538_436L);
            assertThat(a1.foff()).hasValue(-8898L);
            assertThat(a1.etime()).hasValue("djGiSzOC+gCT7vRPv7+Asw==");
        }

        @Test
        void etimeMustBePrintableAscii() {
            assertRejected(pushData(rsig("", "{\"ant\":0,\"chan\":7,\"rssic\":-95,\"etime\":\"\\ud800\"}")))
                    .hasMessageContaining("rxpk[0].rsig[0].etime");
        }

        @Test
        void tieBrokenBySnrThenOrder() {
            Rxpk r = decodeRxpk(rsig("", "{\"ant\":0,\"chan\":1,\"rssic\":-90,\"lsnr\":3},"
                    + "{\"ant\":1,\"chan\":2,\"rssic\":-90,\"lsnr\":7},{\"ant\":2,\"chan\":3,\"rssic\":-90,\"lsnr\":7}"));
            assertThat(r.chan()).isEqualTo(2);
            assertThat(r.lsnr()).hasValue(7.0);
        }

        @Test
        void topLevelValuesWin() {
            Rxpk r = decodeRxpk(rsig(",\"rssi\":-50,\"lsnr\":1.5,\"chan\":4",
                    "{\"ant\":0,\"chan\":7,\"rssic\":-40,\"lsnr\":14.0}"));
            assertThat(r.rssi()).isEqualTo(-50);
            assertThat(r.lsnr()).hasValue(1.5);
            assertThat(r.chan()).isEqualTo(4);
        }

        @Test
        void missingEverywhere() {
            assertRejected(pushData(rsig("", ""))).hasMessageContaining("rxpk[0].chan: missing");
            assertRejected(pushData(rsig(",\"chan\":1", ""))).hasMessageContaining("rxpk[0].rssi: missing");
            assertRejected(pushData(rsig("", "{\"ant\":0,\"chan\":7}")))
                    .hasMessageContaining("rxpk[0].rsig[0].rssic: missing");
        }
    }

    @Nested
    class Stats {
        @Test
        void protocolTxtExample() {
            PushData p = (PushData) SemtechCodec.decode(pushData("{\"stat\":{\"time\":\"2014-01-12 08:59:28 GMT\","
                    + "\"lati\":46.24000,\"long\":3.25230,\"alti\":145,\"rxnb\":2,\"rxok\":2,\"rxfw\":2,\"ackr\":100.0,"
                    + "\"dwnb\":2,\"txnb\":2}}"));
            Stat s = p.stat().orElseThrow();
            assertThat(s.time()).hasValue(Instant.parse("2014-01-12T08:59:28Z"));
            assertThat(s.latitude()).hasValue(46.24);
            assertThat(s.longitude()).hasValue(3.2523);
            assertThat(s.altitude()).hasValue(145);
            assertThat(s.rxnb()).hasValue(2L);
            assertThat(s.ackr()).hasValue(100.0);
            assertThat(s.txnb()).hasValue(2L);
            assertThat(new String(SemtechCodec.encode(p), 12, SemtechCodec.encode(p).length - 12,
                    StandardCharsets.UTF_8)).isEqualTo("{\"stat\":{\"time\":\"2014-01-12 08:59:28 GMT\","
                            + "\"lati\":46.24,\"long\":3.2523,\"alti\":145,\"rxnb\":2,\"rxok\":2,\"rxfw\":2,"
                            + "\"ackr\":100.0,\"dwnb\":2,\"txnb\":2}}");
        }

        @Test
        void otherTimeForms() {
            for (String t : List.of("2014-01-12 08:59:28 UTC", "2014-01-12T08:59:28Z")) {
                PushData p = (PushData) SemtechCodec.decode(pushData("{\"stat\":{\"time\":\"" + t + "\"}}"));
                assertThat(p.stat().orElseThrow().time()).hasValue(Instant.parse("2014-01-12T08:59:28Z"));
            }
            assertThat(((PushData) SemtechCodec.decode(pushData("{\"stat\":{}}"))).stat()).hasValue(Stat.empty());
        }

        @ParameterizedTest
        @ValueSource(strings = {"\"time\":\"2014-13-12 08:59:28 GMT\"", "\"time\":\"2014-02-30 08:59:28 GMT\"",
                "\"time\":\"12/01/2014\"", "\"lati\":91", "\"long\":-180.5", "\"rxnb\":-1", "\"ackr\":101",
                "\"alti\":\"high\"", "\"dwnb\":4294967296"})
        void invalid(String field) {
            assertRejected(pushData("{\"stat\":{" + field + "}}")).hasMessageStartingWith("PUSH_DATA: stat.");
        }
    }

    @Nested
    class PullResps {
        @Test
        void exactJson() {
            Txpk t = Txpk.loraAt(3_512_348_611L + 1_000_000L, 869_525_000L, 14, DataRate.Lora.of(9, 125),
                    CodingRate.CR_4_5, new byte[] {0x60, 1, 2, 3});
            byte[] d = SemtechCodec.encode(new PullResp(Token.of(0x12, 0x34), t));
            assertThat(HEX.formatHex(d, 0, 4)).isEqualTo("02123403");
            assertThat(new String(d, 4, d.length - 4, StandardCharsets.UTF_8)).isEqualTo("{\"txpk\":{\"imme\":false,"
                    + "\"tmst\":3513348611,\"freq\":869.525,\"rfch\":0,\"powe\":14,\"modu\":\"LORA\",\"datr\":\"SF9BW125\","
                    + "\"codr\":\"4/5\",\"ipol\":true,\"size\":4,\"data\":\"YAECAw==\"}}");
            assertThat(SemtechCodec.decode(d)).isEqualTo(new PullResp(Token.of(0x12, 0x34), t));
        }

        @Test
        void fskJson() {
            Txpk t = new Txpk(false, Optional.empty(), Optional.of(1_234_567_890_123L), 868_800_000L, 1, Optional.empty(),
                    new DataRate.Fsk(50_000), Optional.empty(), Optional.of(25_000), false, Optional.of(5),
                    new byte[] {(byte) 0xff}, true);
            byte[] d = SemtechCodec.encode(new PullResp(TOKEN, t));
            assertThat(new String(d, 4, d.length - 4, StandardCharsets.UTF_8)).isEqualTo("{\"txpk\":{\"imme\":false,"
                    + "\"tmms\":1234567890123,\"freq\":868.8,\"rfch\":1,\"modu\":\"FSK\",\"datr\":50000,\"fdev\":25000,"
                    + "\"prea\":5,\"size\":1,\"data\":\"/w==\",\"ncrc\":true}}");
            assertThat(SemtechCodec.decode(d)).isEqualTo(new PullResp(TOKEN, t));
        }

        @ParameterizedTest
        @CsvSource(delimiter = '|', value = {
                "{}|txpk: missing",
                "{\"txpk\":1}|txpk: expected a JSON object",
                "{\"txpk\":{\"freq\":869.525,\"rfch\":0,\"modu\":\"LORA\",\"datr\":\"SF9BW125\",\"codr\":\"4/5\",\"data\":\"\"}}|txpk: no timing",
                "{\"txpk\":{\"imme\":false,\"freq\":869.525,\"rfch\":0,\"modu\":\"LORA\",\"datr\":\"SF9BW125\",\"codr\":\"4/5\",\"data\":\"\"}}|txpk: no timing",
                "{\"txpk\":{\"imme\":1,\"freq\":869.525,\"rfch\":0,\"modu\":\"LORA\",\"datr\":\"SF9BW125\",\"codr\":\"4/5\",\"data\":\"\"}}|txpk.imme",
                "{\"txpk\":{\"imme\":true,\"freq\":869.525,\"rfch\":0,\"modu\":\"LORA\",\"datr\":\"SF9BW125\",\"data\":\"\"}}|txpk.codr: missing",
                "{\"txpk\":{\"imme\":true,\"freq\":869.525,\"rfch\":0,\"modu\":\"FSK\",\"datr\":50000,\"data\":\"\"}}|txpk.fdev: missing",
                "{\"txpk\":{\"imme\":true,\"freq\":869.525,\"rfch\":0,\"powe\":300,\"modu\":\"LORA\",\"datr\":\"SF9BW125\",\"codr\":\"4/5\",\"data\":\"\"}}|txpk.powe",
                "{\"txpk\":{\"imme\":true,\"freq\":869.525,\"rfch\":0,\"modu\":\"LORA\",\"datr\":\"SF9BW125\",\"codr\":\"4/5\",\"size\":2,\"data\":\"AA==\"}}|txpk.size",
                "{\"txpk\":{\"tmst\":4294967296,\"freq\":869.525,\"rfch\":0,\"modu\":\"LORA\",\"datr\":\"SF9BW125\",\"codr\":\"4/5\",\"data\":\"\"}}|txpk.tmst"})
        void invalid(String json, String message) {
            assertRejected(pullResp(json)).hasMessageStartingWith("PULL_RESP: " + message);
        }

        @Test
        void recordRules() {
            assertThatThrownBy(() -> new Txpk(false, Optional.empty(), Optional.empty(), 869_525_000L, 0,
                    Optional.empty(), DataRate.Lora.of(9, 125), Optional.of(CodingRate.CR_4_5), Optional.empty(), true,
                    Optional.empty(), new byte[0], false)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new DataRate.Lora(7, 124_000)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class TmstArithmetic {
        @Test
        void wrapsModulo2To32() {
            assertThat(SemtechCodec.tmstPlus(0xFFFF_FFFFL, 1_000_000)).isEqualTo(999_999L);
            assertThat(SemtechCodec.tmstPlus(0xFFFF_FFFFL, 1)).isZero();
            assertThat(SemtechCodec.tmstPlus(3_512_348_611L, 5_000_000)).isEqualTo(3_517_348_611L);
            assertThat(SemtechCodec.tmstPlus(0, -1)).isEqualTo(0xFFFF_FFFFL);
            assertThat(SemtechCodec.tmstPlus(10, 1L << 32)).isEqualTo(10);
            assertThat(SemtechCodec.tmstPlus(0xFFFF_FFFFL, Long.MAX_VALUE)).isEqualTo((0xFFFF_FFFFL + Long.MAX_VALUE) & 0xFFFF_FFFFL);
        }

        @Test
        void delta() {
            assertThat(SemtechCodec.tmstDelta(999_999L, 0xFFFF_FFFFL)).isEqualTo(1_000_000L);
            assertThat(SemtechCodec.tmstDelta(0xFFFF_FFFFL, 999_999L)).isEqualTo(-1_000_000L);
        }

        @Test
        void rejectsNonUint32() {
            assertThatThrownBy(() -> SemtechCodec.tmstPlus(-1, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> SemtechCodec.tmstPlus(1L << 32, 0)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void context() {
            assertThat(HEX.formatHex(SemtechCodec.tmstContext(708_016_819L))).isEqualTo("2a337ab3");
            assertThat(SemtechCodec.tmstFromContext(HEX.parseHex("ffffffff"))).isEqualTo(0xFFFF_FFFFL);
        }
    }
}
