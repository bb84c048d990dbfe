package io.lorafab.lorawan.frame;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.types.Hex;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Malformed PHYPayloads, each rejected with the one typed exception and a message that names the fault. */
class MalformedFramesTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "join-request one byte short     | 0001010101010101010202020202020202030309b97b   | join-request: expected 23 bytes, got 22",
            "join-request one byte long      | 0001010101010101010202020202020202030309b97b3200 | join-request: expected 23 bytes, got 24",
            "join-accept 16 bytes            | 2023cf335489aae3183c0be0baa8dee5       | join-accept: expected 17 or 33 bytes, got 16",
            "join-accept 18 bytes            | 2023cf335489aae3183c0be0baa8dee5f300   | join-accept: expected 17 or 33 bytes, got 18",
            "Major 1                         | 0101010101010101010202020202020202030309b97b32 | MHDR: Major 1 is not LoRaWAN R1 (0)",
            "data frame below 12 bytes       | 4004030201000000006936                 | data frame: at least 12 bytes expected, got 11",
            "FOpts truncated                 | 400403020105000002030569369eee         | data frame: FOpts truncated (FOptsLen 5, 3 bytes before the MIC)",
            "FOpts with FPort 0              | 40040302010100000200aabbccdd           | data frame: FPort 0 with FOpts present (MAC commands in both places)",
            "rejoin type 3                   | c003030201080706050403020102012b459cf0 | rejoin-request: unknown rejoin type 3 (expected 0, 1 or 2)",
            "rejoin type 0 wrong length      | c0000302010807060504030201020111da47   | rejoin-request type 0: expected 19 bytes, got 18",
            "rejoin type 1 wrong length      | c00108070605040302010807060504030201020167f9ab | rejoin-request type 1: expected 24 bytes, got 23",
            "rejoin without type             | c0                                     | rejoin-request: truncated (1 bytes)",
    })
    void rejected(String name, String hex, String message) {
        byte[] b = Hex.parse(hex, "test");
        assertThatThrownBy(() -> PhyPayloadCodec.decode(b)).isInstanceOf(LorawanFormatException.class).hasMessage(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "empty              | ''          | PHYPayload: empty",
            "bad hex and base64 | 00zz!!      | PHYPayload: neither hex nor base64",
            "blank              | '   '       | PHYPayload: empty",
    })
    void badText(String name, String text, String message) {
        assertThatThrownBy(() -> PhyPayloadCodec.parseText(text)).isInstanceOf(LorawanFormatException.class)
                .hasMessageContaining(message);
    }

    @org.junit.jupiter.api.Test
    void tooLongAndEmpty() {
        assertThatThrownBy(() -> PhyPayloadCodec.decode(new byte[256])).hasMessage("PHYPayload: 256 bytes, longer than 255");
        assertThatThrownBy(() -> PhyPayloadCodec.decode(new byte[0])).hasMessage("PHYPayload: empty");
    }

    @ParameterizedTest(name = "CFList {0}")
    @CsvSource(delimiter = '|', value = {
            "type 2             | 184f84e85684b85e84886684586e8402 | CFList: unknown CFListType 2 (expected 0 or 1)",
            "type 1 RFU set     | ff00000000000000000000000001ff01 | CFList type 1: RFU bytes 10..14 must be zero",
            "short              | 184f84e85684b85e84886684586e84   | CFList: expected 16 bytes, got 15",
    })
    void badCfList(String name, String hex, String message) {
        byte[] b = Hex.parse(hex, "test");
        assertThatThrownBy(() -> CfList.decode(b, 0)).isInstanceOf(LorawanFormatException.class).hasMessage(message);
    }
}
