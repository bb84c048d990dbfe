package io.lorafab.joinserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.lorawan.cert.Ts009;
import io.lorafab.lorawan.types.Hex;
import io.lorafab.lorawan.types.MacVersion;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The TS009 profile's rules on each answer, as tables: what the server sent or expects, what came, the verdict. */
class CertificationProfileTest {

    private static final Ts009.Version FW = new Ts009.Version(3, 2, 1, 0);
    private static final Ts009.Version RP = new Ts009.Version(1, 0, 3, 0);

    private static Optional<String> code(CertificationProfile.Check c) {
        return c.failure().map(CertificationProfile.Failure::code);
    }

    @ParameterizedTest(name = "product {0}, firmware reports LoRaWAN {1} -> {2}")
    @CsvSource({
            // product, reported (major.minor.patch.revision), failure (empty: passed)
            "1.0.2, 1.0.2.0, ",
            "1.0.2, 1.0.2.2, ", // the revision (1.0.2 rev B) is not compared
            "1.0.3, 1.0.3.0, ",
            "1.1,   1.1.0.0, ",
            "1.0.3, 1.0.2.0, version_mismatch",
            "1.0.4, 1.0.3.0, version_mismatch",
            "1.1,   1.0.4.0, version_mismatch",
            "1.0.2, 1.1.0.0, version_mismatch",
    })
    void theFirmwaresLorawanVersionMustBeTheProducts(String product, String reported, String failure) {
        String[] p = reported.split("\\.");
        Ts009.Version v = new Ts009.Version(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]), Integer.parseInt(p[3]));
        CertificationProfile.Check c = CertificationProfile.checkVersions(new CertificationProfile.Expectation(MacVersion.parse(product)),
                new Ts009.DutVersionsAns(FW, v, RP));
        assertThat(code(c)).isEqualTo(Optional.ofNullable(failure));
        assertThat(c.details()).contains("\"firmware\":\"3.2.1\"").contains("\"expectedLorawan\":\"" + product + "\"");
    }

    @ParameterizedTest(name = "echo of {0} answered {1} -> {2}")
    @CsvSource({
            // sent, answered, failure
            "00010203,         01020304, ",
            "ff7f80fe,         008081ff, ", // plus one wraps at 0xff
            "a1b2c3d4e5f60718, a2b3c4d5e6f70819, ",
            "00010203,         00010203, echo_mismatch", // echoed unchanged: the increment forgotten
            "00010203,         010203,   echo_mismatch", // a byte short
            "00010203,         0102030400, echo_mismatch", // a byte more
            "ff,               0100,     echo_mismatch", // the wrap carried into a new byte
    })
    void theEchoIsEachBytePlusOne(String sent, String answered, String failure) {
        CertificationProfile.Check c = CertificationProfile.checkEcho(new Ts009.EchoPayloadReq(Hex.parse(sent, "sent")),
                new Ts009.EchoPayloadAns(Hex.parse(answered, "answered")));
        assertThat(code(c)).isEqualTo(Optional.ofNullable(failure));
    }

    @ParameterizedTest(name = "{0} downlinks sent, {1} on FPort 224, device counted {2} -> {3}")
    @CsvSource({
            // sent, of them on FPort 224, counted, failure
            "4, 3, 4, ", // every application downlink counted, the test downlink included
            "4, 3, 3, ", // a firmware that counts only the certification port
            "4, 3, 2, rx_app_cnt_mismatch", // a command lost
            "4, 3, 5, rx_app_cnt_mismatch", // a downlink counted that was never sent
            "4, 3, 0, rx_app_cnt_mismatch",
            "65540, 3, 4, ", // the device's 16-bit counter wraps
    })
    void theDownlinkCountIsWhatTheGatewaysSent(int sent, int onPort224, int counted, String failure) {
        CertificationProfile.Check c = CertificationProfile.checkRxAppCnt(sent, onPort224, new Ts009.RxAppCntAns(counted));
        assertThat(code(c)).isEqualTo(Optional.ofNullable(failure));
        assertThat(c.details()).contains("\"counted\":" + counted);
    }

    @ParameterizedTest(name = "an answer of {0} to {1} is a wrong answer")
    @CsvSource({
            "09 0400,                     versions",
            "08 0102,                     versions",
            "7f 03020100 01000200 01000300, echo",
            "09 0400,                     echo",
            "08 0102,                     count",
            "7f 03020100 01000200 01000300, count",
    })
    void anAnswerToAnotherCommandIsAWrongAnswer(String answer, String to) {
        Ts009.Answer a = Ts009.answer(Hex.parse(answer.replace(" ", ""), "answer"));
        CertificationProfile.Check c = switch (to) {
            case "versions" -> CertificationProfile.checkVersions(new CertificationProfile.Expectation(MacVersion.V1_0_2), a);
            case "echo" -> CertificationProfile.checkEcho(new Ts009.EchoPayloadReq(new byte[] {0, 1}), a);
            default -> CertificationProfile.checkRxAppCnt(4, 3, a);
        };
        assertThat(code(c)).contains("wrong_answer");
    }
}
