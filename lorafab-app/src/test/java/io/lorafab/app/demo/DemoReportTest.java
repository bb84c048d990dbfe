package io.lorafab.app.demo;

import io.lorafab.station.at.AtException;
import io.lorafab.station.line.FailureReport;
import io.lorafab.station.line.Plural;
import io.lorafab.station.line.Reason;
import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.lorawan.types.Eui64;
import io.lorafab.station.at.JoinAttempts;
import io.lorafab.station.line.UnitOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What the demo prints about units: FAIL lines with their cause, the reasons table, counts in the right number. */
class DemoReportTest {

    private static final Eui64 DEV_EUI = Eui64.parse("00005eef1000000b");
    private static final FailureReport ONCE = new FailureReport(JoinAttempts.ONCE);

    static Stream<Arguments> causes() {
        return Stream.of(
                Arguments.of("RAK3172 rejects its AppKey", "module_error",
                        Map.of("moduleError", "module_error: AT+APPKEY answered AT_PARAM_ERROR"), "AT+APPKEY answered AT_PARAM_ERROR"),
                Arguments.of("LoRa-E5 rejects its AppKey", "module_error",
                        Map.of("moduleError", "module_error: AT+KEY answered +KEY: ERROR(-1)"), "AT+KEY answered +KEY: ERROR(-1)"),
                Arguments.of("module silent", "timeout", Map.of("moduleError", "timeout: no response to AT+DEVEUI"),
                        "no response to AT+DEVEUI"),
                Arguments.of("read back differs", "readback_mismatch", Map.of("readbackMismatch", List.of("DevEUI", "AppKey")),
                        "read back differs in DevEUI, AppKey"),
                Arguments.of("out of range, module retrying by itself", "join_not_heard",
                        Map.of("joinEvent", "+EVT:JOIN_FAILED_RX_TIMEOUT", "serverEvidence", "server heard no join-request"),
                        "module gave up after 1 join attempt (+EVT:JOIN_FAILED_RX_TIMEOUT); server heard no join-request"),
                Arguments.of("out of range, join command sent 3 times", "join_not_heard",
                        Map.of("joinAttempts", 3, "joinEvent", "+JOIN: Join failed", "serverEvidence", "server heard no join-request"),
                        "module gave up after 3 join attempts (+JOIN: Join failed); server heard no join-request"),
                Arguments.of("the gateway refused the join-accept", "test_gateway_fault",
                        Map.of("joinEvent", "+JOIN: Join failed", "serverEvidence", "server heard 1 join-request (accepted); join-accept not sent: "
                                + "gateway 00800000a0000001 answered RX1 COLLISION_PACKET, RX2 COLLISION_PACKET"),
                        "module gave up after 1 join attempt (+JOIN: Join failed); server heard 1 join-request (accepted); join-accept not sent: "
                                + "gateway 00800000a0000001 answered RX1 COLLISION_PACKET, RX2 COLLISION_PACKET"),
                Arguments.of("weak signal", "rssi_below_threshold", Map.of("rssi", -115, "rssiMinDbm", -110.0),
                        "RSSI -115 dBm, minimum -110 dBm"),
                Arguments.of("noisy signal", "snr_below_threshold", Map.of("snr", -9.0, "snrMinDb", -7.5),
                        "SNR -9.0 dB, minimum -7.5 dB"),
                Arguments.of("no evidence recorded", "join_not_heard", Map.of(),
                        "the server heard no join-request from the unit: its radio, antenna or range"),
                Arguments.of("a code the demo does not know", "mystery_code", Map.of(), ""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("causes")
    void aFailedUnitsCauseComesFromItsMeasurements(String name, String code, Map<String, Object> measurements, String cause) {
        assertThat(ONCE.cause(failed(code, measurements))).isEqualTo(cause);
    }

    @Test
    void aFailLineNamesTheReasonAndTheCause() {
        UnitOutcome u = failed("module_error", Map.of("moduleError", "module_error: AT+APPKEY answered AT_PARAM_ERROR"));
        assertThat(ONCE.line(u)).isEqualTo("FAIL 00005eef1000000b  module_error: AT+APPKEY answered AT_PARAM_ERROR  (0.1 s)");
    }

    @Test
    void aFailLineWithoutAKnownCauseNamesTheReasonOnly() {
        assertThat(ONCE.line(failed("mystery_code", Map.of()))).isEqualTo("FAIL 00005eef1000000b  mystery_code  (0.1 s)");
    }

    @Test
    void aPassLineIsTheStationsLine() {
        UnitOutcome u = new UnitOutcome(DEV_EUI, null, true, null, Map.of("rssi", -60), Duration.ofMillis(450));
        assertThat(ONCE.line(u)).isEqualTo(u.line()).isEqualTo("PASS 00005eef1000000b  (0.5 s)");
    }

    @Test
    void aKeyInAModuleMessageIsNeverPrinted() {
        String key = "2b7e151628aed2a6abf7158809cf4f3c";
        UnitOutcome u = failed("module_error", Map.of("moduleError", "module_error: AT+APPKEY=" + key + " answered AT_PARAM_ERROR"));
        assertThat(ONCE.line(u)).doesNotContain(key).doesNotContain(key.toUpperCase())
                .contains("AT+APPKEY=<redacted> answered AT_PARAM_ERROR");
    }

    @Test
    void theSummaryHasOneAlignedLinePerReasonWithItsMeaning() {
        Map<String, Long> reasons = new TreeMap<>(Map.of("join_not_heard", 3L, "module_error", 12L));
        assertThat(new FailureReport(new JoinAttempts(3, Duration.ofSeconds(10))).summary(reasons)).containsExactly(
                "  join_not_heard   3  (the server heard no join-request from the unit: its radio, antenna or range)",
                "  module_error    12  (the module answered a command with an error, e.g. it rejected its key)");
    }

    @Test
    void aStationFaultLineSaysWhatTheServerSawAndWhatTheOperatorDoes() {
        UnitOutcome u = new UnitOutcome(DEV_EUI, "SN-7", UnitOutcome.Verdict.STATION_FAULT, "test_gateway_fault",
                Map.of("serverEvidence", "server heard 1 join-request (accepted); join-accept not sent: gateway 00800000a0000001 answered "
                        + "RX1 TOO_LATE, RX2 COLLISION_PACKET"), Duration.ofMillis(12_340), List.of("test_gateway_fault"));
        assertThat(ONCE.line(u)).isEqualTo("STATION FAULT 00005eef1000000b SN-7  test_gateway_fault: server heard 1 join-request "
                + "(accepted); join-accept not sent: gateway 00800000a0000001 answered RX1 TOO_LATE, RX2 COLLISION_PACKET; re-tested after "
                + "test_gateway_fault, the same again: check the test gateway (power, antenna, packet forwarder); the unit stays PROGRAMMED: "
                + "scan its label to test it again  (12.3 s)");
    }

    @Test
    void aUnitThatPassedItsRetestSaysSo() {
        UnitOutcome u = new UnitOutcome(DEV_EUI, null, UnitOutcome.Verdict.PASSED, null, Map.of(), Duration.ofMillis(11_000),
                List.of("test_gateway_fault"));
        assertThat(ONCE.line(u)).isEqualTo("PASS 00005eef1000000b  (11.0 s)  re-tested after test_gateway_fault");
    }

    @Test
    void everyReasonHasAMeaningAndAnAction() {
        for (Reason r : Reason.values()) {
            assertThat(ONCE.meaning(r.code())).as(r.code()).isNotBlank();
            assertThat(r.action()).as(r.code()).isNotBlank();
            assertThat(r.code()).matches("[a-z][a-z0-9_]*");
        }
    }

    /**
     * Every reason code a station can print is in the README's table, with whose fault it is, and the table names no
     * code the station does not have (the driver's {@code timeout} once appeared on screen but not in the README).
     */
    @Test
    void theReadmesReasonTableIsExactlyTheReasons() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Matcher row = Pattern.compile("(?m)^\\| `([a-z_]+)` \\| (board|test station) \\|").matcher(readme);
        Map<String, String> table = new TreeMap<>();
        while (row.find()) {
            table.put(row.group(1), row.group(2));
        }
        Map<String, String> reasons = new TreeMap<>();
        for (Reason r : Reason.values()) {
            reasons.put(r.code(), r.fault() == Reason.Fault.BOARD ? "board" : "test station");
        }
        assertThat(table).isEqualTo(reasons);
    }

    @Test
    void everyCodeTheAtDriversRaiseIsAReasonButTheLostPort() {
        for (AtException.Code c : AtException.Code.values()) {
            if (c != AtException.Code.PORT_UNAVAILABLE) { // the station stops and leaves the unit unfinished
                assertThat(Reason.of(c.text())).as(c.text()).isPresent();
            }
        }
    }

    @Test
    void countsTakeTheirNounInTheRightNumber() {
        assertThat(Plural.count(0, "unit")).isEqualTo("0 units");
        assertThat(Plural.count(1, "station")).isEqualTo("1 station");
        assertThat(Plural.count(4, "station")).isEqualTo("4 stations");
        assertThat(Plural.count(1, "attempt")).isEqualTo("1 attempt");
    }

    @Test
    void theStationsLineFitsTheNumberOfStations() {
        assertThat(Demo.stationsLine(1)).isEqualTo("1 station on a pseudo-terminal with a virtual RAK3172");
        assertThat(Demo.stationsLine(3)).isEqualTo("3 stations on pseudo-terminals: 2 with a virtual RAK3172, 1 with a virtual LoRa-E5");
    }

    @Test
    void theDevEuiBlockIsTheEui64DocumentationRangeWhichTheJoinEuiIsNotIn() {
        assertThat(Demo.DEV_EUI_PREFIX).isEqualTo("00005eef10"); // 00-00-5E-EF-10-00-00-00 .. 00-00-5E-EF-10-FF-FF-FF
        assertThat(Demo.JOIN_EUI.toString()).doesNotStartWith(Demo.DEV_EUI_PREFIX);
    }

    private static UnitOutcome failed(String code, Map<String, Object> measurements) {
        return new UnitOutcome(DEV_EUI, null, false, code, new LinkedHashMap<>(measurements), Duration.ofMillis(120));
    }
}
