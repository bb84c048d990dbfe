package io.lorafab.joinserver;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.lorawan.cert.Ts009;
import io.lorafab.lorawan.types.Hex;
import io.lorafab.lorawan.types.MacVersion;
import java.util.Arrays;
import java.util.List;
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

    @ParameterizedTest(name = "product firmware {0}, unit reports {1} (LoRaWAN {2}) -> {3}, differs {4}")
    @CsvSource({
            // product's firmware (empty: not checked), reported firmware, reported LoRaWAN, failure, which differed
            ",        9.9.9.0, 1.0.2.0, ,                 ",
            "3.2.1,   3.2.1.0, 1.0.2.0, ,                 ",
            "3.2.1,   3.2.1.7, 1.0.2.0, ,                 ", // a revision the product did not pin down is not compared
            "3.2.1.7, 3.2.1.7, 1.0.2.0, ,                 ",
            "3.2.1.7, 3.2.1.6, 1.0.2.0, version_mismatch, firmware",
            "3.2.1,   3.2.2.0, 1.0.2.0, version_mismatch, firmware",
            "3.2.1,   4.2.1.0, 1.0.2.0, version_mismatch, firmware",
            "3.2.1,   3.2.1.0, 1.0.3.0, version_mismatch, lorawan",
            "3.2.1,   3.3.0.0, 1.0.3.0, version_mismatch, lorawan firmware",
    })
    void theFirmwareVersionMustBeTheProductsWhenItNamesOne(String product, String firmware, String lorawan, String failure,
            String differs) {
        CertificationProfile.Check c = CertificationProfile.checkVersions(
                new CertificationProfile.Expectation(MacVersion.V1_0_2, List.of(), Optional.ofNullable(product)),
                new Ts009.DutVersionsAns(version(firmware), version(lorawan), RP));
        assertThat(code(c)).isEqualTo(Optional.ofNullable(failure));
        if (differs == null) {
            assertThat(c.details()).doesNotContain("differs");
        } else {
            assertThat(c.details()).contains("\"differs\":[\"" + String.join("\",\"", differs.split(" ")) + "\"]");
        }
        if (product != null) {
            assertThat(c.details()).contains("\"expectedFirmware\":\"" + product + "\"");
        }
    }

    private static Ts009.Version version(String text) {
        String[] p = text.split("\\.");
        return new Ts009.Version(Integer.parseInt(p[0]), Integer.parseInt(p[1]), Integer.parseInt(p[2]), Integer.parseInt(p[3]));
    }

    /**
     * The echo step over a unit's uplinks: each uplink's data rate, whether an echo goes out on it (its answer passing),
     * until every listed data rate passed or too many uplinks in a row brought none still to echo.
     */
    @ParameterizedTest(name = "{0}: list [{1}], uplinks at {2} -> echoed at {3}, complete {4}, missing [{5}]")
    @CsvSource(delimiter = '|', value = {
            // case | listed DRs | uplinks' DRs | uplinks an echo went out on | complete | missing
            "no list: one echo at any data rate   |       | 5           | 5       | true  | ",
            "DR list covered                      | 5 4 3 | 5 4 3       | 5 4 3   | true  | ",
            "listed in another order              | 3 5   | 5 3         | 5 3     | true  | ",
            "an uplink at an unlisted DR skipped  | 5 3   | 5 4 3       | 5 3     | true  | ",
            "an echoed DR is not echoed twice     | 5 4   | 5 5 4       | 5 4     | true  | ",
            "a list given twice counts once       | 5 5 4 | 5 4         | 5 4     | true  | ",
            "DRs left uncovered                   | 5 4 3 | 5 5 5 5 5 5 5 | 5     | false | 4 3",
            "a module stuck on an unlisted DR     | 2 1   | 5 5 5 5 5 5 | -       | false | 2 1",
    })
    void theEchoGoesOutOnceOnEachListedDataRate(String name, String listed, String uplinks, String echoedOn, boolean complete,
            String missing) {
        EchoCoverage e = new EchoCoverage(drs(listed));
        List<Integer> sentOn = new java.util.ArrayList<>();
        boolean gaveUp = false;
        for (int dr : drs(uplinks)) {
            if (e.complete() || gaveUp) {
                break;
            }
            if (e.wants(dr)) {
                sentOn.add(dr);
                e.passed(dr); // the echo's answer, in the next uplink, passed
            } else {
                gaveUp = e.skipped(dr);
            }
        }
        assertThat(sentOn).isEqualTo(echoedOn.equals("-") ? List.of() : drs(echoedOn));
        assertThat(e.complete()).isEqualTo(complete);
        assertThat(e.missing()).isEqualTo(drs(missing));
        // a unit whose uplinks never bring a missing data rate is given up on after SKIPS_ALLOWED of them, not left hanging
        assertThat(gaveUp).isEqualTo(!complete);
    }

    private static List<Integer> drs(String s) {
        return s == null || s.isBlank() ? List.of() : Arrays.stream(s.strip().split("\\s+")).map(Integer::valueOf).toList();
    }

    @ParameterizedTest(name = "a sent downlink's details {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "{\"window\":\"RX1\",\"dataRate\":3,\"datr\":\"SF9BW125\",\"attempts\":1} | \"downlinkDr\":3,\"downlinkWindow\":\"RX1\",\"downlinkDatr\":\"SF9BW125\"",
            "{\"window\":\"RX2\",\"dataRate\":0,\"datr\":\"SF12BW125\"}             | \"downlinkDr\":0,\"downlinkWindow\":\"RX2\",\"downlinkDatr\":\"SF12BW125\"",
            "{}                                                               | \"downlinkDr\":null,\"downlinkWindow\":null,\"downlinkDatr\":null",
    })
    void theEchoStepNamesTheDataRateItsDownlinkWentOutOn(String details, String fields) {
        assertThat(CertificationProfile.downlinkFields(details.strip())).isEqualTo(fields.strip());
    }
}
