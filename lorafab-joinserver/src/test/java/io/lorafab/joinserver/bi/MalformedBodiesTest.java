package io.lorafab.joinserver.bi;

import static io.lorafab.joinserver.bi.BiSamples.joinReq;
import static io.lorafab.joinserver.bi.BiSamples.joinReqWith;
import static io.lorafab.joinserver.bi.BiSamples.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bodies the codec refuses, each with the one typed exception and a message that names the field. */
class MalformedBodiesTest {

    static BiFormatException refused(String body) {
        return org.junit.jupiter.api.Assertions.assertThrows(BiFormatException.class, () -> BiCodec.parse(utf8(body)));
    }

    @ParameterizedTest(name = "{0} missing")
    @CsvSource(delimiter = '|', value = {
            "ProtocolVersion | ProtocolVersion: missing",
            "SenderID        | SenderID: missing",
            "ReceiverID      | ReceiverID: missing",
            "TransactionID   | TransactionID: missing",
            "MessageType     | MessageType: missing",
            "MACVersion      | MACVersion: missing",
            "PHYPayload      | PHYPayload: missing",
            "DevEUI          | DevEUI: missing",
            "DevAddr         | DevAddr: missing",
            "DLSettings      | DLSettings: missing",
            "RxDelay         | RxDelay: missing",
    })
    void missingJoinReqField(String field, String message) {
        BiFormatException e = refused(joinReqWith(field, null));
        assertThat(e).hasMessage(message);
        assertThat(e.resultCode()).isEqualTo(BiResultCode.MALFORMED_REQUEST);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "SenderID null              | SenderID          | null                    | SenderID: missing",
            "SenderID empty             | SenderID          | '\"\"'                  | SenderID: empty",
            "SenderID a number          | SenderID          | 0                       | SenderID: expected a string, got a number",
            "SenderID 4 bytes           | SenderID          | '\"00000000\"'          | SenderID: expected 3 bytes (6 hex digits), got 4",
            "ReceiverID not hex         | ReceiverID        | '\"01010101010101zz\"'  | ReceiverID: not a hex digit at position 14",
            "ReceiverID odd length      | ReceiverID        | '\"010101010101010\"'   | ReceiverID: odd number of hex digits (15)",
            "TransactionID negative     | TransactionID     | -1                      | TransactionID: out of range 0..4294967295: -1",
            "TransactionID 2^32         | TransactionID     | 4294967296              | TransactionID: out of range 0..4294967295: 4294967296",
            "TransactionID fraction     | TransactionID     | 1.5                     | TransactionID: expected an integer, got 1.5",
            "TransactionID hex string   | TransactionID     | '\"0x10\"'              | TransactionID: expected an unsigned integer, got a string",
            "TransactionID boolean      | TransactionID     | true                    | TransactionID: expected an unsigned integer, got a boolean",
            "TransactionID huge         | TransactionID     | 1e999999999             | TransactionID: out of range 0..4294967295: 1E+999999999",
            "TransactionID tiny         | TransactionID     | 1e-999999999            | TransactionID: expected an integer, got 1E-999999999",
            "exponent overflow          | TransactionID     | 1e9999999999            | body: invalid JSON, a number beyond range",
            "scale overflow             | RxDelay           | 0.1e-2147483648         | body: invalid JSON, a number beyond range",
            "NaN                        | TransactionID     | NaN                     | body: invalid JSON, syntax error at line 1, column 97",
            "leading zero               | TransactionID     | 01                      | body: invalid JSON, syntax error at line 1, column 95",
            "MessageType unknown        | MessageType       | '\"JoinRequest\"'       | MessageType: unknown 'JoinRequest'",
            "MessageType lowercase      | MessageType       | '\"joinreq\"'           | MessageType: unknown 'joinreq'",
            "MACVersion unknown         | MACVersion        | '\"1.2\"'               | MACVersion: unknown '1.2' (expected 1.0, 1.0.0 .. 1.0.4, 1.1 or 1.1.0)",
            "PHYPayload empty           | PHYPayload        | '\"\"'                  | PHYPayload: empty",
            "PHYPayload not hex         | PHYPayload        | '\"00gg\"'              | PHYPayload: not a hex digit at position 2",
            "PHYPayload base64          | PHYPayload        | '\"AAEBAQ==\"'          | PHYPayload: not a hex digit at position 5",
            "DevEUI 7 bytes             | DevEUI            | '\"02020202020202\"'    | DevEUI: expected 8 bytes (16 hex digits), got 7",
            "DevEUI with dashes         | DevEUI            | '\"02-02-02-02-02-02-02-02\"' | DevEUI: odd number of hex digits (23)",
            "DevAddr 3 bytes            | DevAddr           | '\"01ab3c\"'            | DevAddr: expected 4 bytes (8 hex digits), got 3",
            "DLSettings 2 bytes         | DLSettings        | '\"0000\"'              | DLSettings: expected 1 bytes (2 hex digits), got 2",
            "DLSettings 256             | DLSettings        | 256                     | DLSettings: out of range 0..255: 256",
            "RxDelay 16                 | RxDelay           | 16                      | RxDelay: out of range 0..15: 16",
            "RxDelay RX_DELAY_16        | RxDelay           | '\"RX_DELAY_16\"'       | RxDelay: out of range 0..15: 16",
            "RxDelay a word             | RxDelay           | '\"one\"'               | RxDelay: expected an unsigned integer, got a string",
            "RxDelay an object          | RxDelay           | '{}'                    | RxDelay: expected an unsigned integer, got an object",
    })
    void badJoinReqField(String name, String field, String json, String message) {
        assertThat(refused(joinReqWith(field, json))).hasMessage(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "CFList 15 bytes            | '\"CFList\":\"184f84e85684b85e84886684586e84\"'  | CFList: expected 16 bytes, got 15",
            "SenderToken not hex        | '\"SenderToken\":\"xyz0\"'                       | SenderToken: not a hex digit at position 0",
            "SenderNSID a number        | '\"SenderNSID\":4390911'                         | SenderNSID: expected a string, got a number",
    })
    void badOptionalField(String name, String member, String message) {
        assertThat(refused(joinReq(member))).hasMessage(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "empty                | ''                    | body: empty",
            "blank                | '  \n '               | body: empty",
            "an array             | '[]'                  | body: expected a JSON object, got an array",
            "a string             | '\"JoinReq\"'         | body: expected a JSON object, got a string",
            "a number             | '42'                  | body: expected a JSON object, got a number",
            "null                 | 'null'                | body: expected a JSON object, got null",
            "truncated            | '{\"ProtocolVersion\":\"1.0\",' | body: invalid JSON, unexpected end of input at line 1, column 26",
            "two objects          | '{} {}'               | body: invalid JSON, content after the value at line 1, column 4",
            "duplicate field      | '{\"A\":1,\"A\":2}'   | body: invalid JSON, duplicate field at line 1, column 11",
            "unquoted key value   | '{\"AESKey\":0123456789abcdef}' | body: invalid JSON, syntax error at line 1, column 12",
            "object without type  | '{}'                  | MessageType: missing",
    })
    void notAMessage(String name, String body, String message) {
        assertThat(refused(body)).hasMessage(message);
    }

    @Test
    void singleQuotesAreNotJson() {
        assertThat(refused("{'ProtocolVersion':'1.0'}")).hasMessage("body: invalid JSON, syntax error at line 1, column 2");
    }

    @Test
    void invalidJsonNeverQuotesTheInput() {
        String key = "00112233445566778899aabbccddeeff";
        for (String body : new String[] {"{\"AESKey\":" + key + "}", "{\"AESKey\":\"" + key, "{\"" + key + "\" 1}",
                "{\"NwkSKey\":{\"AESKey\":x" + key + "}}"}) {
            assertThat(refused(body).getMessage()).doesNotContain(key).doesNotContain(key.substring(0, 8));
        }
    }

    @Test
    void badKeyMaterialIsNeverQuoted() {
        String key = "00112233445566778899aabbccddeeff";
        String ans = "{\"ProtocolVersion\":\"1.0\",\"SenderID\":\"0101010101010101\",\"ReceiverID\":\"000000\","
                + "\"TransactionID\":1,\"MessageType\":\"JoinAns\",\"Result\":{\"ResultCode\":\"Success\"},"
                + "\"PHYPayload\":\"20\",\"SessionKeyID\":\"01\",\"NwkSKey\":%s}";
        String[][] cases = {
                {"{\"KEKLabel\":\"\",\"AESKey\":\"" + key + "ff\"}",
                        "NwkSKey.AESKey: expected 16 bytes (a plain key, as KEKLabel is empty), got 17"},
                {"{\"KEKLabel\":\"ns\",\"AESKey\":\"" + key + "\"}",
                        "NwkSKey.AESKey: expected 24 bytes (an AES-128 key wrapped under KEKLabel), got 16"},
                {"{\"AESKey\":\"" + key + "g\"}", "NwkSKey.AESKey: odd number of hex digits (33)"},
                {"{\"AESKey\":\"" + key.substring(1) + "g\"}", "NwkSKey.AESKey: not a hex digit at position 31"},
                {"{\"AESKey\":" + "1" + key.replaceAll("[a-f]", "1") + "}", "NwkSKey.AESKey: expected a string, got a number"},
                {"{\"KEKLabel\":\"\"}", "NwkSKey.AESKey: missing"},
                {"\"" + key + "\"", "NwkSKey: expected a JSON object, got a string"},
        };
        for (String[] c : cases) {
            BiFormatException e = refused(String.format(ans, c[0]));
            assertThat(e).hasMessage(c[1]);
            assertThat(e.getMessage()).doesNotContain(key.substring(0, 8)).doesNotContain("11111111");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "no Result          | ''                                                  | Result: missing",
            "Result a string    | ',\"Result\":\"Success\"'                           | Result: expected a JSON object, got a string",
            "no ResultCode      | ',\"Result\":{\"Description\":\"x\"}'               | Result.ResultCode: missing",
            "unknown ResultCode | ',\"Result\":{\"ResultCode\":\"Fine\"}'            | Result.ResultCode: unknown 'Fine'",
            "Success, no PHY    | ',\"Result\":{\"ResultCode\":\"Success\"}'         | PHYPayload: missing (required when ResultCode is Success)",
            "1.0 and 1.1 keys   | ',\"Result\":{\"ResultCode\":\"Other\"},\"NwkSKey\":{\"AESKey\":\"00000000000000000000000000000000\"},\"NwkSEncKey\":{\"AESKey\":\"00000000000000000000000000000000\"}' | NwkSKey: not allowed together with FNwkSIntKey, SNwkSIntKey or NwkSEncKey (a session is either 1.0 or 1.1)",
            "1.1 keys partial   | ',\"Result\":{\"ResultCode\":\"Other\"},\"FNwkSIntKey\":{\"AESKey\":\"00000000000000000000000000000000\"}' | SNwkSIntKey: missing (FNwkSIntKey, SNwkSIntKey and NwkSEncKey come together)",
            "Lifetime negative  | ',\"Result\":{\"ResultCode\":\"Other\"},\"Lifetime\":-5' | Lifetime: out of range 0..4294967295: -5",
    })
    void badJoinAns(String name, String members, String message) {
        String body = "{\"ProtocolVersion\":\"1.0\",\"SenderID\":\"0101010101010101\",\"ReceiverID\":\"000000\","
                + "\"TransactionID\":1,\"MessageType\":\"JoinAns\"" + members + "}";
        BiFormatException e = refused(body);
        assertThat(e).hasMessage(message);
        assertThat(e.header()).isPresent();
        assertThat(e.answer()).as("an answer is not answered").isEmpty();
    }

    @ParameterizedTest(name = "ProtocolVersion {0}")
    @CsvSource(delimiter = '|', value = {
            "'\"2.0\"'  | ProtocolVersion: unsupported '2.0' (expected 1.0 or 1.1)       | InvalidProtocolVersion",
            "'\"1.1.0\"'| ProtocolVersion: unsupported '1.1.0' (expected 1.0 or 1.1)     | InvalidProtocolVersion",
            "'\"\"'     | ProtocolVersion: unsupported '' (expected 1.0 or 1.1)          | InvalidProtocolVersion",
            "1.0        | ProtocolVersion: expected a string, got a number              | MalformedRequest",
    })
    void badProtocolVersion(String json, String message, String code) {
        BiFormatException e = refused(joinReqWith("ProtocolVersion", json));
        assertThat(e).hasMessage(message);
        assertThat(e.resultCode().wire()).isEqualTo(code);
        assertThat(e.header()).map(BiHeader::protocolVersion).hasValue(BiProtocolVersion.V1_0);
    }

    @Test
    void controlCharactersInQuotedValuesAreMasked() {
        assertThat(refused(joinReqWith("MessageType", "\"Join\\u0000Req\\n\""))).hasMessage("MessageType: unknown 'Join?Req?'");
        assertThat(refused(joinReqWith("MessageType", "\"" + "x".repeat(100) + "\"")))
                .hasMessage("MessageType: unknown '" + "x".repeat(32) + "...'");
    }

    @Test
    void invalidUtf8() {
        byte[] body = utf8(joinReq(""));
        byte[] bad = java.util.Arrays.copyOf(body, body.length);
        int at = new String(body, java.nio.charset.StandardCharsets.UTF_8).indexOf("000000");
        bad[at] = (byte) 0xc3;
        assertThatThrownBy(() -> BiCodec.parse(bad)).isInstanceOf(BiFormatException.class)
                .hasMessageStartingWith("body: invalid JSON");
    }

    @Test
    void nullBody() {
        assertThatThrownBy(() -> BiCodec.parse(null)).isInstanceOf(BiFormatException.class).hasMessage("body: missing");
    }

    @Test
    void deepNestingHitsTheParserLimit() {
        String body = "{\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        assertThat(refused(body).getMessage()).startsWith("body: JSON beyond the parser's limits");
    }
}
