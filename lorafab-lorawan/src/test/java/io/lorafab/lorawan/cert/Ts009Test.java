package io.lorafab.lorawan.cert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.lorawan.LorawanFormatException;
import io.lorafab.lorawan.types.Hex;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The TS009 commands an end-of-line test uses, as bytes on FPort 224 (CIDs as TS009 and its implementations have them). */
class Ts009Test {

    static Stream<Arguments> requests() {
        return Stream.of(
                Arguments.of("EchoPayloadReq", "08010203ff", new Ts009.EchoPayloadReq(Hex.parse("010203ff", "p"))),
                Arguments.of("RxAppCntReq", "09", new Ts009.RxAppCntReq()),
                Arguments.of("DutFPort224DisableReq", "7e", new Ts009.DutFPort224DisableReq()),
                Arguments.of("DutVersionsReq", "7f", new Ts009.DutVersionsReq()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void requests(String name, String hex, Ts009.Request r) {
        assertThat(Ts009.request(Hex.parse(hex, "r"))).isEqualTo(r);
        assertThat(Hex.format(r.encode())).isEqualTo(hex);
    }

    static Stream<Arguments> answers() {
        return Stream.of(
                Arguments.of("EchoPayloadAns", "0802030400", new Ts009.EchoPayloadAns(Hex.parse("02030400", "p"))),
                Arguments.of("RxAppCntAns, little-endian", "093412", new Ts009.RxAppCntAns(0x1234)),
                Arguments.of("DutVersionsAns: firmware, LoRaWAN, regional parameters", "7f0102030001000400010004" + "00",
                        new Ts009.DutVersionsAns(new Ts009.Version(1, 2, 3, 0), new Ts009.Version(1, 0, 4, 0),
                                new Ts009.Version(1, 0, 4, 0))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource
    void answers(String name, String hex, Ts009.Answer a) {
        assertThat(Ts009.answer(Hex.parse(hex, "a"))).isEqualTo(a);
        assertThat(Hex.format(a.encode())).isEqualTo(hex);
    }

    @Test
    void theEchoOfEachByteIsThatBytePlusOneWrappingAt256() {
        assertThat(new Ts009.EchoPayloadReq(Hex.parse("007fff", "p")).expectedAnswer())
                .isEqualTo(new Ts009.EchoPayloadAns(Hex.parse("018000", "p")));
    }

    @Test
    void malformedCommandsAreTypedErrors() {
        assertThatThrownBy(() -> Ts009.request(new byte[0])).isInstanceOf(LorawanFormatException.class);
        assertThatThrownBy(() -> Ts009.request(new byte[] {0x01})).isInstanceOf(LorawanFormatException.class)
                .hasMessage("TS009: command 0x01 is not one this test uses");
        assertThatThrownBy(() -> Ts009.answer(Hex.parse("0934", "a"))).isInstanceOf(LorawanFormatException.class)
                .hasMessage("TS009 RxAppCntAns: 3 bytes expected, got 2");
        assertThatThrownBy(() -> Ts009.answer(Hex.parse("7f01", "a"))).isInstanceOf(LorawanFormatException.class);
    }
}
