package io.lorafab.station.at;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Behaviour that only some dialects have. */
class DialectSpecificsTest {

    private static final Duration T = Duration.ofSeconds(10);
    private static final byte[] PAYLOAD = {1, 2};

    @Test
    void stm32wlConfirmedUplinkWithoutAckIsNotAcknowledged() {
        ScriptedTransport t = ScriptedTransport.of("""
                > AT+SEND=2:1:0102
                < OK
                """);
        SendResult r = new Stm32wlAtSlave(t).send(2, PAYLOAD, true, T);
        assertThat(r.status()).isEqualTo(SendResult.Status.NOT_ACKNOWLEDGED);
        t.assertFinished();
    }

    @Test
    void rakConfirmedUplinkFailed() {
        ScriptedTransport t = ScriptedTransport.of("""
                > AT+CFM=1
                < OK
                > AT+SEND=2:0102
                < OK
                @ +EVT:TX_DONE
                @ +EVT:SEND_CONFIRMED_FAILED(4)
                """);
        assertThat(new Rak3172Rui3(t).send(2, PAYLOAD, true, T).status())
                .isEqualTo(SendResult.Status.NOT_ACKNOWLEDGED);
        t.assertFinished();
    }

    static Stream<Arguments> rakJoins() {
        return Stream.of(
                Arguments.of("joined at the first attempt", 3, "@ +EVT:JOINED", true, "+EVT:JOINED"),
                Arguments.of("a failed attempt, then joined at the next", 3, """
                        @ +EVT:JOIN_FAILED_RX_TIMEOUT
                        @ +EVT:JOINED
                        """, true, "+EVT:JOINED"),
                Arguments.of("two failed attempts of three, then joined", 3, """
                        @ +EVT:JOIN_FAILED_RX_TIMEOUT
                        @ +EVT:JOIN_FAILED_TX_TIMEOUT
                        @ +EVT:JOINED
                        """, true, "+EVT:JOINED"),
                Arguments.of("every attempt failed", 2, """
                        @ +EVT:JOIN_FAILED_RX_TIMEOUT
                        @ +EVT:JOIN_FAILED_TX_TIMEOUT
                        """, false, "+EVT:JOIN_FAILED_TX_TIMEOUT"),
                Arguments.of("one attempt, failed", 1, "@ +EVT:JOIN_FAILED_RX_TIMEOUT", false, "+EVT:JOIN_FAILED_RX_TIMEOUT"));
    }

    @ParameterizedTest(name = "RAK3172 join: {0}")
    @MethodSource("rakJoins")
    void rakJoinCountsItsAttempts(String name, int attempts, String events, boolean joined, String event) {
        ScriptedTransport t = ScriptedTransport.of("> AT+JOIN=1:0:10:" + attempts + "\n< OK\n" + events);
        JoinResult r = new Rak3172Rui3(t).join(new JoinAttempts(attempts, Duration.ofSeconds(10)), T);
        assertThat(r).isEqualTo(new JoinResult(joined, event));
        t.assertFinished();
    }

    @Test
    void rakJoinPeriodIsKeptWithinRui3Bounds() {
        ScriptedTransport t = ScriptedTransport.of("> AT+JOIN=1:0:7:2\n< OK\n@ +EVT:JOINED\n");
        assertThat(new Rak3172Rui3(t).join(new JoinAttempts(2, Duration.ofSeconds(1)), T).joined()).isTrue();
        t.assertFinished();
    }

    @Test
    void rakStopsJoiningWhenTheStationGivesUp() {
        ScriptedTransport t = ScriptedTransport.of("""
                > AT+JOIN=1:0:10:3
                < OK
                @ +EVT:JOIN_FAILED_RX_TIMEOUT
                > AT+JOIN=0
                < OK
                """);
        assertThatThrownBy(() -> new Rak3172Rui3(t).join(new JoinAttempts(3, Duration.ofSeconds(10)), T))
                .isInstanceOfSatisfying(AtException.class, e -> assertThat(e.code()).isEqualTo(AtException.Code.TIMEOUT));
        t.assertFinished();
    }

    @Test
    void loraE5KeyEchoThatDiffersIsAReadBackMismatch() {
        ScriptedTransport t = ScriptedTransport.of("""
                > AT+MODE=LWOTAA
                < +MODE: LWOTAA
                > AT+DR=EU868
                < +DR: EU868
                > AT+ID=DevEui, "70B3D57ED0012345"
                < +ID: DevEui, 70:B3:D5:7E:D0:01:23:45
                > AT+ID=AppEui, "70B3D57ED0000001"
                < +ID: AppEui, 70:B3:D5:7E:D0:00:00:01
                > AT+KEY=APPKEY, "2B7E151628AED2A6ABF7158809CF4F3C"
                < +KEY: APPKEY 000102030405060708090A0B0C0D0E0F
                > AT+ID=DevEui
                < +ID: DevEui, 70:B3:D5:7E:D0:01:23:45
                > AT+ID=AppEui
                < +ID: AppEui, 70:B3:D5:7E:D0:00:00:01
                """);
        SeeedLoraE5 d = new SeeedLoraE5(t);
        d.setIdentity(DialectCases.ID.devEui(), DialectCases.ID.joinEui(), DialectCases.ID.appKey(), java.util.Optional.empty());
        ProgramResult r = new ProgramResult(new ModuleInfo("seeed-lora-e5", "LoRa-E5", "4.0.11"),
                Programmer.compare(DialectCases.ID, d.readBack()));
        assertThat(r.mismatches()).containsExactly(ProgramResult.Field.APP_KEY);
        t.assertFinished();
    }

    @Test
    void rakLegacyJoinFailedForm() {
        ScriptedTransport t = ScriptedTransport.of("""
                > AT+JOIN=1:0:10:1
                < OK
                @ +EVT:JOIN FAILED
                """);
        assertThat(new Rak3172Rui3(t).join(T).joined()).isFalse();
    }

    @Test
    void rn2483ConfirmedUplinkWithDownlinkCountsAsAcknowledged() {
        ScriptedTransport t = ScriptedTransport.of("""
                > mac tx cnf 2 0102
                < ok
                @ mac_rx 10 AABB
                """);
        assertThat(new MicrochipRn2483(t).send(2, PAYLOAD, true, T).status())
                .isEqualTo(SendResult.Status.ACKNOWLEDGED);
    }

    @Test
    void rn2483NotJoinedIsAModuleError() {
        ScriptedTransport t = ScriptedTransport.of("""
                > mac tx uncnf 2 0102
                < not_joined
                """);
        assertThatThrownBy(() -> new MicrochipRn2483(t).send(2, PAYLOAD, false, T))
                .isInstanceOfSatisfying(AtException.class, e -> {
                    assertThat(e.code()).isEqualTo(AtException.Code.MODULE_ERROR);
                    assertThat(e.getMessage()).isEqualTo("module_error: mac tx answered not_joined");
                });
    }

    @Test
    void loraE5ConfirmedUplinkWithoutAck() {
        ScriptedTransport t = ScriptedTransport.of("""
                > AT+PORT=2
                < +PORT: 2
                > AT+CMSGHEX="0102"
                < +CMSGHEX: Start
                < +CMSGHEX: Wait ACK
                @ +CMSGHEX: Done
                """);
        assertThat(new SeeedLoraE5(t).send(2, PAYLOAD, true, T).status())
                .isEqualTo(SendResult.Status.NOT_ACKNOWLEDGED);
        t.assertFinished();
    }

    @Test
    void loraE5NotJoined() {
        ScriptedTransport t = ScriptedTransport.of("""
                > AT+PORT=2
                < +PORT: 2
                > AT+MSGHEX="0102"
                < +MSGHEX: Please join network first
                """);
        assertThatThrownBy(() -> new SeeedLoraE5(t).send(2, PAYLOAD, false, T))
                .isInstanceOfSatisfying(AtException.class,
                        e -> assertThat(e.code()).isEqualTo(AtException.Code.MODULE_ERROR));
    }

    @Test
    void murataConfirmedUplinkNoAck() {
        ScriptedTransport t = ScriptedTransport.of("""
                > AT+PORT=2
                < +OK
                > AT+CTX 2
                >> 0102
                < +OK
                @ +NOACK
                """);
        assertThat(new MurataAbz(t).send(2, PAYLOAD, true, T).status())
                .isEqualTo(SendResult.Status.NOT_ACKNOWLEDGED);
        t.assertFinished();
    }

    @Test
    void stm32wlProgramsAnExplicitNwkKeyAndNamesItsMismatch() {
        ScriptedTransport t = ScriptedTransport.of("""
                > AT+BAND=5
                < OK
                > AT+DEUI=70:B3:D5:7E:D0:01:23:45
                < OK
                > AT+APPEUI=70:B3:D5:7E:D0:00:00:01
                < OK
                > AT+APPKEY=2B:7E:15:16:28:AE:D2:A6:AB:F7:15:88:09:CF:4F:3C
                < OK
                > AT+NWKKEY=00:01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F
                < OK
                > AT+CS
                < NVM DATA UP TO DATE
                < OK
                > AT+DEUI=?
                < 70:B3:D5:7E:D0:01:23:45
                < OK
                > AT+APPEUI=?
                < 70:B3:D5:7E:D0:00:00:01
                < OK
                > AT+APPKEY=?
                < 2B:7E:15:16:28:AE:D2:A6:AB:F7:15:88:09:CF:4F:3C
                < OK
                > AT+NWKKEY=?
                < 2B:7E:15:16:28:AE:D2:A6:AB:F7:15:88:09:CF:4F:3C
                < OK
                """);
        Identity id = new Identity(DialectCases.ID.devEui(), DialectCases.ID.joinEui(), DialectCases.ID.appKey(),
                java.util.Optional.of(io.lorafab.lorawan.types.AesKey.parse(DialectCases.OTHER_KEY_HEX)));
        Stm32wlAtSlave d = new Stm32wlAtSlave(t);
        d.setIdentity(id.devEui(), id.joinEui(), id.appKey(), id.nwkKey());
        ProgramResult r = new ProgramResult(new ModuleInfo("stm32wl-at-slave", "STM32WL", "V1.3.0"),
                Programmer.compare(id, d.readBack()));
        assertThat(r.mismatches()).containsExactly(ProgramResult.Field.NWK_KEY);
        assertThatThrownBy(r::requireOk).hasMessage("readback_mismatch: read back differs in NwkKey");
        t.assertFinished();
    }

    @Test
    void murataJoinAnsweredWithAck() {
        ScriptedTransport t = ScriptedTransport.of("""
                > AT+JOIN
                < +ACK
                @ +EVENT=1,1
                """);
        assertThat(new MurataAbz(t).join(T).joined()).isTrue();
        t.assertFinished();
    }

    @Test
    void loraE5SilentAfterKeyIsTimeoutNotSuccess() {
        ScriptedTransport t = ScriptedTransport.of("""
                > AT+MODE=LWOTAA
                < +MODE: LWOTAA
                > AT+DR=EU868
                < +DR: EU868
                > AT+ID=DevEui, "70B3D57ED0012345"
                < +ID: DevEui, 70:B3:D5:7E:D0:01:23:45
                > AT+ID=AppEui, "70B3D57ED0000001"
                < +ID: AppEui, 70:B3:D5:7E:D0:00:00:01
                > AT+KEY=APPKEY, "2B7E151628AED2A6ABF7158809CF4F3C"
                """);
        Identity id = DialectCases.ID;
        assertThatThrownBy(() -> new SeeedLoraE5(t).setIdentity(id.devEui(), id.joinEui(), id.appKey(), id.nwkKey()))
                .isInstanceOfSatisfying(AtException.class, e -> {
                    assertThat(e.code()).isEqualTo(AtException.Code.TIMEOUT);
                    assertThat(e.getMessage()).doesNotContain(DialectCases.KEY_HEX);
                });
    }

    static Stream<Arguments> labels() {
        return Stream.of(
                Arguments.of("AT+APPKEY=2B7E151628AED2A6ABF7158809CF4F3C", "AT+APPKEY"),
                Arguments.of("AT+KEY=APPKEY, \"2B7E151628AED2A6ABF7158809CF4F3C\"", "AT+KEY"),
                Arguments.of("mac set appkey 2B7E151628AED2A6ABF7158809CF4F3C", "mac set appkey"),
                Arguments.of("AT+VER=?", "AT+VER"),
                Arguments.of("AT+CTX 2", "AT+CTX"),
                Arguments.of("sys get ver", "sys get ver"));
    }

    @ParameterizedTest(name = "label of {0} is {1}")
    @MethodSource("labels")
    void commandLabelsNeverCarryValues(String line, String label) {
        assertThat(AtSession.labelOf(line)).isEqualTo(label);
    }

    @Test
    void uplinkPortIsChecked() {
        Executable bad = () -> new Rak3172Rui3(ScriptedTransport.of("")).send(0, PAYLOAD, false, T);
        assertThatThrownBy(bad::execute).isInstanceOf(IllegalArgumentException.class);
    }
}
