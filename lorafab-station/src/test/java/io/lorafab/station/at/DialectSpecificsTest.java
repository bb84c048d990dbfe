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

    /** What a RUI3 4.x module answers to the version query a join begins with when identify() has not run. */
    static final String RUI4 = """
            > AT+VER=?
            < AT+VER=RUI_4.0.5_RAK3172-E
            < OK
            """;

    static Stream<Arguments> rakJoins() {
        return Stream.of(
                Arguments.of("joined at the first attempt", 3, "~ 5s\n@ +EVT:JOINED", true, "+EVT:JOINED"),
                Arguments.of("a failed attempt, then joined at the next", 3, """
                        ~ 6s
                        @ +EVT:JOIN_FAILED_RX_TIMEOUT
                        ~ 15s
                        @ +EVT:JOINED
                        """, true, "+EVT:JOINED"),
                Arguments.of("two failed attempts of three, then joined", 3, """
                        ~ 6s
                        @ +EVT:JOIN_FAILED_RX_TIMEOUT
                        ~ 16s
                        @ +EVT:JOIN_FAILED_TX_TIMEOUT
                        ~ 15s
                        @ +EVT:JOINED
                        """, true, "+EVT:JOINED"),
                Arguments.of("every attempt failed", 2, """
                        ~ 6s
                        @ +EVT:JOIN_FAILED_RX_TIMEOUT
                        ~ 16s
                        @ +EVT:JOIN_FAILED_TX_TIMEOUT
                        """, false, "+EVT:JOIN_FAILED_TX_TIMEOUT"),
                Arguments.of("one attempt, failed", 1, "~ 6s\n@ +EVT:JOIN_FAILED_RX_TIMEOUT", false, "+EVT:JOIN_FAILED_RX_TIMEOUT"));
    }

    @ParameterizedTest(name = "RAK3172 RUI3 4.x join, Param4 = attempts - 1, within the station's deadline: {0}")
    @MethodSource("rakJoins")
    void rakJoinCountsItsAttempts(String name, int attempts, String events, boolean joined, String event) {
        ScriptedTransport t = ScriptedTransport.of(RUI4 + "> AT+JOIN=1:0:10:" + (attempts - 1) + "\n< OK\n" + events);
        Rak3172Rui3 d = new Rak3172Rui3(t);
        JoinAttempts a = new JoinAttempts(attempts, Duration.ofSeconds(10));
        JoinResult r = d.join(a, d.longestJoin(a));
        assertThat(r).isEqualTo(new JoinResult(joined, event));
        t.assertFinished();
    }

    @Test
    void rakJoinPeriodIsKeptWithinRui3Bounds() {
        ScriptedTransport t = ScriptedTransport.of(RUI4 + "> AT+JOIN=1:0:7:1\n< OK\n@ +EVT:JOINED\n");
        assertThat(new Rak3172Rui3(t).join(new JoinAttempts(2, Duration.ofSeconds(1)), T).joined()).isTrue();
        t.assertFinished();
    }

    @Test
    void rui3DeadlineCoversEveryAttemptItsReceiveWindowsAndThePeriodsAfterTheFailures() {
        // 3 attempts of up to 10 s each, 2 periods of 10 s after the failures (the old 2 x 10 s + 10 s cut the last off)
        JoinAttempts three = new JoinAttempts(3, Duration.ofSeconds(10));
        assertThat(new Rak3172Rui3(ScriptedTransport.of("")).longestJoin(three)).isEqualTo(Duration.ofSeconds(50));
        assertThat(new MicrochipRn2483(ScriptedTransport.of("")).longestJoin(three)).isEqualTo(Duration.ofSeconds(30));
        assertThat(new Rak3172Rui3(ScriptedTransport.of("")).longestJoin(JoinAttempts.ONCE)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void rakAttemptInFlightAtTheDeadlineIsWaitedOutBeforeAnyCommand() {
        // the station allows 20 s; the second attempt starts at 16 s and is still in flight at 20 s: the driver waits
        // for its event (RUI3 takes no command while joining), then stops the third with AT+JOIN=0
        ScriptedTransport t = ScriptedTransport.of(RUI4 + """
                > AT+JOIN=1:0:10:2
                < OK
                ~ 6s
                @ +EVT:JOIN_FAILED_RX_TIMEOUT
                ~ 16s
                @ +EVT:JOIN_FAILED_RX_TIMEOUT
                > AT+JOIN=0
                < OK
                """);
        JoinResult r = new Rak3172Rui3(t).join(new JoinAttempts(3, Duration.ofSeconds(10)), Duration.ofSeconds(20));
        assertThat(r).isEqualTo(new JoinResult(false, "+EVT:JOIN_FAILED_RX_TIMEOUT"));
        t.assertFinished();
    }

    @Test
    void rakNoAttemptStartsAfterTheDeadlineAndTheRetryTimerIsStoppedBetweenAttempts() {
        ScriptedTransport t = ScriptedTransport.of(RUI4 + """
                > AT+JOIN=1:0:10:2
                < OK
                ~ 6s
                @ +EVT:JOIN_FAILED_RX_TIMEOUT
                > AT+JOIN=0
                < OK
                """);
        JoinResult r = new Rak3172Rui3(t).join(new JoinAttempts(3, Duration.ofSeconds(10)), Duration.ofSeconds(15));
        assertThat(r.joined()).isFalse();
        t.assertFinished();
    }

    @Test
    void rakSilentModuleIsStoppedOnlyAfterTheAttemptsDocumentedTime() {
        ScriptedTransport t = ScriptedTransport.of(RUI4 + """
                > AT+JOIN=1:0:10:2
                < OK
                ~ 10s
                > AT+JOIN=0
                < OK
                """);
        assertThatThrownBy(() -> new Rak3172Rui3(t).join(new JoinAttempts(3, Duration.ofSeconds(10)), Duration.ofSeconds(5)))
                .isInstanceOfSatisfying(AtException.class, e -> assertThat(e.code()).isEqualTo(AtException.Code.TIMEOUT));
        t.assertFinished();
    }

    @Test
    void rui3Before35RetriesOnlyWithAutoJoinSoTheDriverRepeatsTheJoinAPeriodAfterEachFailure() {
        // RUI3 3.4 with auto-join 0 makes one attempt per AT+JOIN; auto-join would stay in flash and join at power-up
        ScriptedTransport t = ScriptedTransport.of("""
                > AT+VER=?
                < AT+VER=RUI_3.4.2_RAK3172-E
                < OK
                > AT+JOIN=1:0:10:0
                < OK
                ~ 6s
                @ +EVT:JOIN_FAILED_RX_TIMEOUT
                ~ 10s
                > AT+JOIN=1:0:10:0
                < OK
                ~ 6s
                @ +EVT:JOIN_FAILED_RX_TIMEOUT
                ~ 10s
                > AT+JOIN=1:0:10:0
                < OK
                ~ 5s
                @ +EVT:JOINED
                """);
        Rak3172Rui3 d = new Rak3172Rui3(t);
        JoinAttempts three = new JoinAttempts(3, Duration.ofSeconds(10));
        assertThat(d.join(three, d.longestJoin(three))).isEqualTo(new JoinResult(true, "+EVT:JOINED"));
        t.assertFinished();
    }

    @Test
    void rakLegacyJoinFailedForm() {
        ScriptedTransport t = ScriptedTransport.of(RUI4 + """
                > AT+JOIN=1:0:10:0
                < OK
                @ +EVT:JOIN FAILED
                """);
        assertThat(new Rak3172Rui3(t).join(T).joined()).isFalse();
    }

    @Test
    void rakWithEchoLeftOnProgramsReadsBackAndJoins() {
        // ATE toggles echo and RUI3 keeps it in flash: the module prints each command line back first
        ScriptedTransport t = ScriptedTransport.of("""
                > AT+VER=?
                < AT+VER=?
                < AT+VER=RUI_4.0.6_RAK3172-E
                < OK
                > AT+HWMODEL=?
                < AT+HWMODEL=?
                < AT+HWMODEL=rak3172
                < OK
                > AT+NWM=?
                < AT+NWM=?
                < AT+NWM=1
                < OK
                > AT+NJM=1
                < AT+NJM=1
                < OK
                > AT+BAND=4
                < AT+BAND=4
                < OK
                > AT+DEVEUI=70B3D57ED0012345
                < AT+DEVEUI=70B3D57ED0012345
                < OK
                > AT+APPEUI=70B3D57ED0000001
                < AT+APPEUI=70B3D57ED0000001
                < OK
                > AT+APPKEY=2B7E151628AED2A6ABF7158809CF4F3C
                < AT+APPKEY=2B7E151628AED2A6ABF7158809CF4F3C
                < OK
                > AT+DEVEUI=?
                < AT+DEVEUI=?
                < AT+DEVEUI=70b3d57ed0012345
                < OK
                > AT+APPEUI=?
                < AT+APPEUI=?
                < AT+APPEUI=70b3d57ed0000001
                < OK
                > AT+APPKEY=?
                < AT+APPKEY=?
                < AT+APPKEY=2b7e151628aed2a6abf7158809cf4f3c
                < OK
                > AT+JOIN=1:0:10:0
                < AT+JOIN=1:0:10:0
                < OK
                ~ 5s
                @ +EVT:JOINED
                """);
        Rak3172Rui3 d = new Rak3172Rui3(t);
        ProgramResult r = Programmer.program(d, DialectCases.ID);
        assertThat(r.ok()).as(r.toString()).isTrue();
        assertThat(r.module().firmware()).isEqualTo("RUI_4.0.6_RAK3172-E");
        assertThat(d.join(T).joined()).isTrue();
        t.assertFinished();
    }

    @Test
    void rakInP2pModeIsSwitchedAndWaitedForThroughItsSlowReboot() {
        // RUI3 3.5+ prints OK without a line end and reboots; it is ready when its banner says LoRaWAN, here 4 s later
        ScriptedTransport t = ScriptedTransport.of("""
                > AT+NWM=?
                < AT+NWM=0
                < OK
                > AT+NWM=1
                ~ 4s
                @ OKRAKwireless RAK3172-E Example
                @ ------------------------------------------------------
                @ Current Work Mode: LoRaWAN.
                > AT+NJM=1
                < OK
                > AT+BAND=4
                < OK
                > AT+DEVEUI=70B3D57ED0012345
                < OK
                > AT+APPEUI=70B3D57ED0000001
                < OK
                > AT+APPKEY=2B7E151628AED2A6ABF7158809CF4F3C
                < OK
                """);
        Identity id = DialectCases.ID;
        new Rak3172Rui3(t).setIdentity(id.devEui(), id.joinEui(), id.appKey(), id.nwkKey());
        t.assertFinished();
    }

    @Test
    void rakThatDoesNotComeBackFromItsRebootTimesOutAfterTheBootTimeout() {
        ScriptedTransport t = ScriptedTransport.of("""
                > AT+NWM=?
                < AT+NWM=0
                < OK
                > AT+NWM=1
                < OK
                ~ 10s
                > AT
                """);
        Identity id = DialectCases.ID;
        assertThatThrownBy(() -> new Rak3172Rui3(t).setIdentity(id.devEui(), id.joinEui(), id.appKey(), id.nwkKey()))
                .isInstanceOfSatisfying(AtException.class, e -> {
                    assertThat(e.code()).isEqualTo(AtException.Code.TIMEOUT);
                    assertThat(e.getMessage()).isEqualTo("timeout: the module did not come back within 10 s after AT+NWM=1");
                });
        t.assertFinished();
    }

    @Test
    void loraE5ReTestOfAJoinedModuleForcesANewJoin() {
        // a plain AT+JOIN to a module still joined answers "+JOIN: Joined already" and sends nothing on air
        ScriptedTransport t = ScriptedTransport.of("""
                > AT+JOIN=FORCE
                < +JOIN: Start
                < +JOIN: NORMAL
                @ +JOIN: Network joined
                @ +JOIN: NetID 000013 DevAddr 26:01:2B:3C
                @ +JOIN: Done
                """);
        assertThat(new SeeedLoraE5(t).join(T)).isEqualTo(new JoinResult(true, "+JOIN: Network joined"));
        t.assertFinished();
    }

    @Test
    void loraE5JoinedAlreadyIsNeverTakenForAJoin() {
        ScriptedTransport t = ScriptedTransport.of("""
                > AT+JOIN=FORCE
                < +JOIN: Joined already
                """);
        assertThatThrownBy(() -> new SeeedLoraE5(t).join(T)).isInstanceOfSatisfying(AtException.class,
                e -> assertThat(e.code()).isEqualTo(AtException.Code.UNEXPECTED_RESPONSE));
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
