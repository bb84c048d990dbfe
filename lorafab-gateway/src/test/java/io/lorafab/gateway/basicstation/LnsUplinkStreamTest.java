package io.lorafab.gateway.basicstation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lorafab.gateway.basicstation.LnsMessage.DownlinkMessage;
import io.lorafab.gateway.basicstation.LnsMessage.Window;
import io.lorafab.lorawan.types.Eui64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The streaming jreq/updf reader against the tree reader, message by message: what the station sends is read by
 * the stream into the record the tree makes; what the stream is unsure of is left to the tree, which reads it as
 * before; what the tree refuses, the stream gives up on, so {@link LnsCodec#decodeFromStation} refuses it with
 * the tree's own message. Every message is from Basics Station 2.0.6's writers ({@code src/lora.c}
 * {@code s2e_parse_lora_frame}, {@code src/s2e.c} {@code s2e_flushRxjobs}) or a change of one.
 */
class LnsUplinkStreamTest {

    /** The upinfo part as s2e_flushRxjobs writes it: RefTime and rxtime "%.6f", snr "%g", rssi an int. */
    static final String UP = "\"RefTime\":1796642472.123456,\"DR\":5,\"Freq\":868100000,\"upinfo\":{\"rctx\":0,"
            + "\"xtime\":40532396646425099,\"gpstime\":1449001290123456,\"fts\":-1,\"rssi\":-35,\"snr\":9.25,"
            + "\"rxtime\":1796642472.125000}}";
    static final String JREQ = "{\"msgtype\":\"jreq\",\"MHdr\":0,\"JoinEui\":\"70-B3-D5-7E-D0-00-00-01\","
            + "\"DevEui\":\"00-04-A3-0B-00-1C-05-30\",\"DevNonce\":4660,\"MIC\":-272716322," + UP;
    static final String UPDF = "{\"msgtype\":\"updf\",\"MHdr\":64,\"DevAddr\":638653076,\"FCtrl\":128,\"FCnt\":7,"
            + "\"FOpts\":\"\",\"FPort\":1,\"FRMPayload\":\"0A1B2C3D4E5F60718293A4B5C6D7E8F901122334\","
            + "\"MIC\":1164413917," + UP;

    /** The tree reader's answer: the record, or its refusal's message. */
    static Object tree(String text) {
        try {
            return LnsCodec.decodeFromStationTree(text);
        } catch (LnsProtocolException e) {
            return "refused: " + e.getMessage();
        }
    }

    static Object decoded(String text) {
        try {
            return LnsCodec.decodeFromStation(text);
        } catch (LnsProtocolException e) {
            return "refused: " + e.getMessage();
        }
    }

    static Stream<Arguments> commonShapes() {
        return Stream.of(
                Arguments.of("jreq as the station writes it", JREQ),
                Arguments.of("updf with port and payload", UPDF),
                Arguments.of("updf with FOpts and no port", UPDF.replace("\"FCtrl\":128", "\"FCtrl\":131")
                        .replace("\"FOpts\":\"\"", "\"FOpts\":\"030A0B\"").replace("\"FPort\":1", "\"FPort\":-1")
                        .replace("0A1B2C3D4E5F60718293A4B5C6D7E8F901122334", "")),
                Arguments.of("updf with a port and no payload", UPDF.replace("0A1B2C3D4E5F60718293A4B5C6D7E8F901122334", "")),
                Arguments.of("updf with the longest payload", UPDF.replace("0A1B2C3D4E5F60718293A4B5C6D7E8F901122334",
                        "AB".repeat(255))),
                Arguments.of("updf whose DevAddr has the top bit set (negative)", UPDF.replace("638653076", "-66016239")),
                Arguments.of("updf with lower-case hex", UPDF.replace("0A1B2C3D4E5F", "0a1b2c3d4e5f")),
                Arguments.of("jreq with only the required fields", "{\"msgtype\":\"jreq\",\"MHdr\":0,\"JoinEui\":1,"
                        + "\"DevEui\":2,\"DevNonce\":1,\"MIC\":4022250974,\"DR\":0,\"Freq\":868100000,"
                        + "\"upinfo\":{\"xtime\":1,\"rssi\":-100}}"),
                Arguments.of("jreq with lower-case EUIs", JREQ.replace("70-B3-D5-7E", "70-b3-d5-7e")),
                Arguments.of("jreq with EUIs as 16 hex digits and an ID6",
                        JREQ.replace("70-B3-D5-7E-D0-00-00-01", "70B3D57ED0000001").replace("00-04-A3-0B-00-1C-05-30", "::1")),
                Arguments.of("jreq with a negative EUI number (its 64 bits)", JREQ.replace("\"70-B3-D5-7E-D0-00-00-01\"", "-1")),
                Arguments.of("jreq from a station without MuxTime (RefTime 0.000000)",
                        JREQ.replace("1796642472.123456", "0.000000")),
                Arguments.of("jreq with snr 0 written -0", JREQ.replace("9.25", "-0")),
                Arguments.of("jreq with snr -0.0", JREQ.replace("9.25", "-0.0")),
                Arguments.of("jreq with times as Double.toString writes them (a virtual station)",
                        JREQ.replace("1796642472.123456", "1.796642472123456E9").replace("1796642472.125000", "1.796642472125E9")),
                Arguments.of("jreq with rssi at its limit", JREQ.replace("-35", "-200").replace("9.25", "99.75")),
                Arguments.of("jreq with the lowest MIC", JREQ.replace("-272716322", "-2147483648")),
                Arguments.of("jreq with an unsigned MIC", JREQ.replace("-272716322", "4294967295")),
                Arguments.of("jreq with fields the reader ignores", JREQ.replace("\"MHdr\":0,", "\"MHdr\":0,\"x\":\"y\","
                        + "\"n\":null,\"b\":true,\"f\":1.5,\"g\":-2E+5,\"FCtrl\":\"?\",")
                        .replace("\"fts\":-1", "\"fts\":-1,\"rfu\":null,\"rxtime2\":\"later\"")),
                Arguments.of("updf with the jreq's fields, which it ignores", UPDF.replace("\"MHdr\":64,",
                        "\"MHdr\":64,\"DevEui\":\"00-00-00-00-00-00-00-01\",\"DevNonce\":99999999,")),
                Arguments.of("jreq pretty-printed", JREQ.replace(",", ",\n  ").replace("{", "{\n  ").replace("}", "\n}")),
                Arguments.of("upinfo before the other fields", "{\"msgtype\":\"updf\",\"upinfo\":{\"xtime\":7,\"rssi\":-1},"
                        + "\"MHdr\":64,\"DevAddr\":1,\"FCtrl\":0,\"FCnt\":0,\"FOpts\":\"\",\"FPort\":-1,\"FRMPayload\":\"\","
                        + "\"MIC\":0,\"DR\":0,\"Freq\":1}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("commonShapes")
    void theStationsShapesAreReadByTheStreamIntoTheTreesRecord(String name, String text) {
        LnsMessage fast = LnsUplinkStream.tryRead(text);
        assertThat(fast).as("the stream reads it").isNotNull();
        assertThat(tree(text)).as("the tree reads it the same").isEqualTo(fast);
        assertThat(LnsCodec.decodeFromStation(text)).isEqualTo(fast);
    }

    static Stream<Arguments> leftToTheTree() {
        return Stream.of(
                Arguments.of("the JoinEUI and DevEUI spelling", JREQ.replace("JoinEui", "JoinEUI").replace("DevEui", "DevEUI")),
                Arguments.of("an rssi with decimals (the tree rounds it)", JREQ.replace("-35", "-35.5")),
                Arguments.of("an integer written 0.0", JREQ.replace("\"MHdr\":0", "\"MHdr\":0.0")),
                Arguments.of("a frequency written 868100000.0", JREQ.replace("868100000", "868100000.0")),
                Arguments.of("msgtype not first", "{\"MHdr\":0," + JREQ.substring(1).replace("\"MHdr\":0,", "")),
                Arguments.of("RefTime null (the tree: absent)", JREQ.replace("1796642472.123456", "null")),
                Arguments.of("an object the reader ignores", JREQ.replace("\"fts\":-1", "\"fts\":{\"a\":1}")),
                Arguments.of("an array the reader ignores", JREQ.replace("\"MHdr\":0,", "\"MHdr\":0,\"list\":[1,2],")),
                Arguments.of("an EUI number past 63 bits", JREQ.replace("\"70-B3-D5-7E-D0-00-00-01\"", "18446744073709551615")),
                Arguments.of("snr exactly at its bound", JREQ.replace("9.25", "100.0")),
                Arguments.of("a decimal too long to be sure of", JREQ.replace("1796642472.125000",
                        "1796642472.1250000000000000000000001")),
                Arguments.of("an exponent of four digits", JREQ.replace("9.25", "925e-0002")),
                Arguments.of("a non-zero snr that underflows to zero", JREQ.replace("9.25", "-1e-400")),
                Arguments.of("an ignored number of 40 digits", JREQ.replace("\"fts\":-1", "\"fts\":" + "1".repeat(40))),
                Arguments.of("a rejoin", JREQ.replace("jreq", "rejoin")),
                Arguments.of("a propdf", "{\"msgtype\":\"propdf\",\"FRMPayload\":\"E0010203\",\"DR\":0,\"Freq\":868100000,"
                        + "\"upinfo\":{\"xtime\":5,\"rssi\":-60,\"snr\":3}}"),
                Arguments.of("a version", "{\"msgtype\":\"version\",\"station\":\"2.0.6(rpi/std)\",\"protocol\":2}"),
                Arguments.of("a timesync", "{\"msgtype\":\"timesync\",\"txtime\":123456789}"),
                Arguments.of("a dntxed", "{\"msgtype\":\"dntxed\",\"diid\":7,\"DevEui\":\"00-00-00-00-00-00-00-01\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("leftToTheTree")
    void unusualMessagesAreLeftToTheTreeWhichReadsThemAsBefore(String name, String text) {
        assertThat(LnsUplinkStream.tryRead(text)).as("the stream gives up").isNull();
        assertThat(tree(text)).as("the tree reads it").isInstanceOf(LnsMessage.class);
        assertThat(decoded(text)).isEqualTo(tree(text));
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("truncated", JREQ.substring(0, 60)),
                Arguments.of("a second document after it", JREQ + " {}"),
                Arguments.of("a field twice", JREQ.replace("\"MHdr\":0,", "\"MHdr\":0,\"MHdr\":0,")),
                Arguments.of("a field twice inside upinfo", JREQ.replace("\"fts\":-1", "\"rssi\":-1")),
                Arguments.of("no upinfo", JREQ.substring(0, JREQ.indexOf(",\"upinfo\"")) + "}"),
                Arguments.of("upinfo not an object", JREQ.substring(0, JREQ.indexOf("{\"rctx\"")) + "5}"),
                Arguments.of("no xtime", JREQ.replace("\"xtime\":40532396646425099,", "")),
                Arguments.of("rssi below -200", JREQ.replace("-35", "-201")),
                Arguments.of("snr above 100", JREQ.replace("9.25", "100.25")),
                Arguments.of("rxtime negative", JREQ.replace("1796642472.125000", "-0.5")),
                Arguments.of("a MIC past 32 bits", JREQ.replace("-272716322", "4294967296")),
                Arguments.of("DevNonce past 16 bits", JREQ.replace("4660", "65536")),
                Arguments.of("DR 16", JREQ.replace("\"DR\":5", "\"DR\":16")),
                Arguments.of("Freq 0", JREQ.replace("868100000", "0")),
                Arguments.of("MHdr as a string", JREQ.replace("\"MHdr\":0", "\"MHdr\":\"0\"")),
                Arguments.of("JoinEui no EUI", JREQ.replace("70-B3-D5-7E-D0-00-00-01", "70-B3-D5-7E-D0-00-00-0G")),
                Arguments.of("DevEui null and no other", JREQ.replace("\"00-04-A3-0B-00-1C-05-30\"", "null")),
                Arguments.of("JoinEui a boolean", JREQ.replace("\"70-B3-D5-7E-D0-00-00-01\"", "true")),
                Arguments.of("FOpts odd", UPDF.replace("\"FOpts\":\"\"", "\"FOpts\":\"0\"")),
                Arguments.of("FOpts not hex", UPDF.replace("\"FCtrl\":128", "\"FCtrl\":129").replace("\"FOpts\":\"\"",
                        "\"FOpts\":\"ZZ\"")),
                Arguments.of("FOpts disagreeing with FCtrl", UPDF.replace("\"FOpts\":\"\"", "\"FOpts\":\"0A\"")),
                Arguments.of("FOpts longer than 15 bytes", UPDF.replace("\"FOpts\":\"\"", "\"FOpts\":\"" + "00".repeat(16) + "\"")),
                Arguments.of("FRMPayload longer than 255 bytes", UPDF.replace("0A1B2C3D4E5F60718293A4B5C6D7E8F901122334",
                        "AB".repeat(256))),
                Arguments.of("a payload without a port", UPDF.replace("\"FPort\":1", "\"FPort\":-1")),
                Arguments.of("FPort 256", UPDF.replace("\"FPort\":1", "\"FPort\":256")),
                Arguments.of("no msgtype", "{\"MHdr\":0}"),
                Arguments.of("msgtype empty", "{\"msgtype\":\"\"}"),
                Arguments.of("msgtype a number", "{\"msgtype\":5}"),
                Arguments.of("an array, not an object", "[" + JREQ + "]"),
                Arguments.of("not JSON", "jreq"),
                Arguments.of("empty", ""),
                Arguments.of("too long", JREQ.replace("\"fts\":-1", "\"fts\":\"" + "x".repeat(LnsCodec.MAX_MESSAGE_CHARS) + "\"")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedMessagesAreRefusedWithTheTreesOwnMessage(String name, String text) {
        assertThat(tree(text)).as("the tree refuses it").isInstanceOf(String.class);
        assertThat(LnsUplinkStream.tryRead(text)).as("the stream gives up").isNull();
        LnsProtocolException e = assertThrows(LnsProtocolException.class, () -> LnsCodec.decodeFromStation(text));
        assertThat("refused: " + e.getMessage()).isEqualTo(tree(text));
    }

    @Test
    void aMissingMessageIsRefusedAsBefore() {
        assertThat(LnsUplinkStream.tryRead(null)).isNull();
        assertThat(decoded(null)).isEqualTo(tree(null)).isEqualTo("refused: empty message");
    }

    // ---------------------------------------------------------------- dnmsg: a generator, the tree's bytes

    static Stream<Arguments> downlinks() {
        byte[] pdu = HexFormat.of().parseHex("20F1E2D3C4B5A6978877665544332211");
        Window rx1 = new Window(5, 868_100_000L);
        Window rx2 = new Window(0, 869_525_000L);
        return Stream.of(
                Arguments.of("a join-accept in RX1 and RX2", new DownlinkMessage(Eui64.of(0x0004A30B001C0530L), 0,
                        1_234_567L, pdu, 5, Optional.of(rx1), Optional.of(rx2), 40532396646425099L, 0, 0,
                        OptionalDouble.of(1796642472.25))),
                Arguments.of("RX2 only, no MuxTime", new DownlinkMessage(Eui64.of(-1), 2, Long.MIN_VALUE, new byte[0], 0,
                        Optional.empty(), Optional.of(rx2), -1, Long.MAX_VALUE, 255, OptionalDouble.empty())),
                Arguments.of("RX1 only, a small MuxTime", new DownlinkMessage(Eui64.of(1), 1, -5, new byte[255], 15,
                        Optional.of(rx1), Optional.empty(), 0, 3, 7, OptionalDouble.of(1e-3))),
                Arguments.of("MuxTime 0", new DownlinkMessage(Eui64.of(1), 0, 0, pdu, 1, Optional.of(rx1),
                        Optional.empty(), 1, 1, 0, OptionalDouble.of(0.0))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("downlinks")
    void aDnmsgIsWrittenWithTheSameBytesAsTheTreeWroteAndReadsBack(String name, DownlinkMessage d) {
        assertThat(LnsCodec.encode(d)).isEqualTo(LnsCodec.encodeTree(d));
        assertThat(LnsCodec.decodeFromServer(LnsCodec.encode(d))).isEqualTo(d);
    }
}
