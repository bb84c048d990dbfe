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

    /**
     * Text that is neither hex nor base64 of a frame: the message names what is wrong with the reading the
     * text looks like (hex when nearly all of it is hex digits), not a frame error from base64-decoding a
     * mistyped hex string.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "empty                     | \"\"                                             | PHYPayload: empty",
            "blank                     | \"   \"                                          | PHYPayload: empty",
            "hex with a g              | 0001010101010101010202020202020202030309b97b3g | PHYPayload: not hex: 'g' at position 45 (and not base64 that decodes to a frame either)",
            "hex with letter O for 0   | 0001010101010101010202020202O20202030309b97b32 | PHYPayload: not hex: 'O' at position 28 (and not base64 that decodes to a frame either)",
            "hex with a space inside   | 00010101010101010102020202 02020202030309b97b32 | PHYPayload: not hex: ' ' at position 26 (and not base64 that decodes to a frame either)",
            "hex with Arabic-Indic 1   | 0001010101010101010202020202020202030309b97b3\u0661 | PHYPayload: not hex: U+0661 at position 45 (and not base64 that decodes to a frame either)",
            "odd number of hex digits  | 0001010101010101010202020202020202030309b97b3  | PHYPayload: not hex: odd number of hex digits (45) (and not base64 that decodes to a frame either)",
            "0x prefix, bad digit      | 0x2023cf335489aae3183c0be0baa8dee5fg           | PHYPayload: not hex: 'g' at position 35",
            "0x prefix, odd            | 0x2023cf335489aae3183c0be0baa8dee5f            | PHYPayload: not hex: odd number of hex digits (33)",
            "0x prefix alone           | 0x                                             | PHYPayload: not hex: no digits after 0x",
            "zz                        | zz                                             | PHYPayload: base64 of 1 byte that is not a frame (MHDR: Major 3 is not LoRaWAN R1 (0)), and not hex either: 'z' at position 0",
            "base64 of a short frame   | AAQDAgEEAwIBBQQDAgUEAwItEGqZDg==               | PHYPayload: base64 of 22 bytes that is not a frame (join-request: expected 23 bytes, got 22), and not hex either: 'Q' at position 2",
            "outside base64 alphabet   | 00zz!!                                         | PHYPayload: invalid base64: '!' at position 4 is not in the base64 alphabet (and not hex either: 'z' at position 2)",
            "base64url alphabet        | IPPM1SJquMYPAvguqje5f-_=                       | PHYPayload: invalid base64: '-' at position 21 is not in the base64 alphabet (and not hex either: 'I' at position 0)",
            "padding inside            | ICPPM1SJ=quMYPAvguqje5fM                       | PHYPayload: invalid base64: '=' at position 8 before the end (and not hex either: 'I' at position 0)",
            "three padding characters  | ICPPM1SJquMYPAvguqje5fM===                     | PHYPayload: invalid base64: more than two '=' at the end (and not hex either: 'I' at position 0)",
            "padding past a quad       | ICPPM1SJquMYPAvguqje5fM==                      | PHYPayload: invalid base64: 25 characters with '=' padding, not a multiple of 4 (and not hex either: 'I' at position 0)",
            "4k+1 characters           | ICPPM1SJquMYPAvguqje5fMxy                      | PHYPayload: invalid base64: 25 characters cannot encode whole bytes (4k+1) (and not hex either: 'I' at position 0)",
    })
    void badText(String name, String text, String message) {
        assertThatThrownBy(() -> PhyPayloadCodec.parseText(text)).isInstanceOf(LorawanFormatException.class)
                .hasMessage(message);
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
