package io.lorafab.sim.at;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.sim.UdpJoinServer;
import io.lorafab.sim.VirtualGateway;
import io.lorafab.sim.at.VirtualAtModule.Behaviour;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The virtual RAK3172's answers (RUI3) and its join over real UDP. */
class VirtualRak3172Test {

    static final Eui64 DEV_EUI = Eui64.parse("70b3d57ed0012345");
    static final Eui64 JOIN_EUI = Eui64.parse("70b3d57ed0000001");
    static final AesKey APP_KEY = AesKey.parse("2b7e151628aed2a6abf7158809cf4f3c");
    static final String PROGRAM = """
            > AT+NWM=?
            < AT+NWM=1
            < OK
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
            """;

    @TempDir
    Path dir;

    UdpJoinServer server;
    VirtualGateway gw;

    @BeforeEach
    void start() throws Exception {
        server = new UdpJoinServer(dir);
        gw = new VirtualGateway(Eui64.parse("0000000000000e06"), server.address, Clock.systemUTC(), Duration.ofSeconds(3),
                VirtualGateway.Timing.COMPRESSED);
        gw.connect(Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        gw.close();
        server.close();
    }

    ModuleLine line(Behaviour b) {
        return new ModuleLine(VirtualRak3172::new, gw, dir, b);
    }

    static Stream<Arguments> answers() {
        return Stream.of(
                Arguments.of("attention", "> AT\n< OK"),
                Arguments.of("version and model", "> AT+VER=?\n< AT+VER=RUI_4.0.6_RAK3172-E\n< OK\n> AT+HWMODEL=?\n< AT+HWMODEL=rak3172\n< OK"),
                Arguments.of("program and read back", PROGRAM + """
                        > AT+DEVEUI=?
                        < AT+DEVEUI=70b3d57ed0012345
                        < OK
                        > AT+APPEUI=?
                        < AT+APPEUI=70b3d57ed0000001
                        < OK
                        > AT+APPKEY=?
                        < AT+APPKEY=2b7e151628aed2a6abf7158809cf4f3c
                        < OK
                        """),
                Arguments.of("a bad DevEUI clears it", """
                        > AT+DEVEUI=70B3D57ED0012345
                        < OK
                        > AT+DEVEUI=70B3
                        < AT_PARAM_ERROR
                        > AT+DEVEUI=?
                        < AT+DEVEUI=0000000000000000
                        < OK
                        """),
                Arguments.of("a bad AppEUI keeps the old one", """
                        > AT+APPEUI=70B3D57ED0000001
                        < OK
                        > AT+APPEUI=zz
                        < AT_PARAM_ERROR
                        > AT+APPEUI=?
                        < AT+APPEUI=70b3d57ed0000001
                        < OK
                        """),
                Arguments.of("send before joining", "> AT+SEND=2:0102\n< AT_NO_NETWORK_JOINED"),
                Arguments.of("the join settings are a query, not a join", "> AT+JOIN=?\n< AT+JOIN=0:0:8:0\n< OK"),
                Arguments.of("stop joining when not joining", "> AT+JOIN=0\n< OK\n> AT+JOIN=?\n< AT+JOIN=0:0:8:0\n< OK"),
                Arguments.of("join values out of range", """
                        > AT+JOIN=9:9:9
                        < AT_PARAM_ERROR
                        > AT+JOIN=2
                        < AT_PARAM_ERROR
                        > AT+JOIN=1:2
                        < AT_PARAM_ERROR
                        > AT+JOIN=1:0:6:3
                        < AT_PARAM_ERROR
                        > AT+JOIN=1:0:256:3
                        < AT_PARAM_ERROR
                        > AT+JOIN=1:0:10:256
                        < AT_PARAM_ERROR
                        > AT+JOIN=1:0:10:3:1
                        < AT_PARAM_ERROR
                        > AT+JOIN=1:0:ten:3
                        < AT_PARAM_ERROR
                        > AT+JOIN=?
                        < AT+JOIN=0:0:8:0
                        < OK
                        """),
                Arguments.of("settings out of range", """
                        > AT+NJM=7
                        < AT_PARAM_ERROR
                        > AT+NJM=0
                        < OK
                        > AT+NWM=3
                        < AT_PARAM_ERROR
                        > AT+CFM=2
                        < AT_PARAM_ERROR
                        > AT+BAND=13
                        < AT_PARAM_ERROR
                        > AT+BAND=12
                        < OK
                        > AT+BAND=x
                        < AT_PARAM_ERROR
                        > AT+CLASS=D
                        < AT_PARAM_ERROR
                        > AT+CLASS=A
                        < OK
                        """),
                Arguments.of("unknown command", "> AT+FOO=1\n< AT_COMMAND_NOT_FOUND"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void answers(String name, String transcript) throws Exception {
        try (ModuleLine m = line(Behaviour.GOOD)) {
            m.play(transcript);
        }
    }

    @Test
    void joinsAndSends() throws Exception {
        server.register(DEV_EUI, JOIN_EUI, MacVersion.V1_0_2, APP_KEY, null);
        try (ModuleLine m = line(Behaviour.GOOD)) {
            m.play(PROGRAM + """
                    > AT+JOIN=1:0:10:8
                    < OK
                    @ +EVT:JOINED
                    > AT+SEND=2:0102
                    < OK
                    """);
            // the server answers the first uplink with a random payload; the module reports it before TX_DONE
            List<String> after = m.take(2);
            assertThat(server.awaitEvent(DEV_EUI, "uplink_verified", ModuleLine.WAIT).details()).contains("\"frmPayload\":\"0102\"");
            String sent = server.awaitEvent(DEV_EUI, "downlink_sent", ModuleLine.WAIT).details();
            String payload = sent.replaceAll(".*\"frmPayload\":\"([0-9a-f]+)\".*", "$1");
            assertThat(payload).hasSize(16);
            assertThat(after).containsExactly("+EVT:RX_1:-62:9:UNICAST:2:" + payload.toUpperCase(java.util.Locale.ROOT), "+EVT:TX_DONE");
            assertThat(m.module.programmedIdentity().appKey()).isEqualTo(APP_KEY);
        }
    }

    @Test
    void aBoardDeafToDownlinksSendsButReportsNoDownlinkThoughTheGatewaySentOne() throws Exception {
        server.register(DEV_EUI, JOIN_EUI, MacVersion.V1_0_2, APP_KEY, null);
        try (ModuleLine m = line(Behaviour.GOOD.deaf())) {
            m.play(PROGRAM + """
                    > AT+JOIN=1:0:10:8
                    < OK
                    @ +EVT:JOINED
                    > AT+SEND=2:0102
                    < OK
                    @ +EVT:TX_DONE
                    """);
            assertThat(server.awaitEvent(DEV_EUI, "downlink_sent", ModuleLine.WAIT).details()).contains("\"window\":\"RX1\"");
        }
    }

    @Test
    void aSecureElementBoardReportsItsOwnIdentityRefusesEveryWriteAndReadOfItsKeyAndJoinsWithItsOwnKey() throws Exception {
        // the join server knows the unit, with another key than the one in the part: it refuses the join-request
        server.register(DEV_EUI, JOIN_EUI, MacVersion.V1_0_2, APP_KEY, null);
        try (ModuleLine m = new ModuleLine((in, out, g, n, b) -> VirtualRak3172.withSecureElement(in, out, g, n, b, DEV_EUI, JOIN_EUI),
                gw, dir, Behaviour.GOOD)) {
            AesKey own = m.module.programmedIdentity().appKey();
            assertThat(own).isNotEqualTo(APP_KEY).isNotEqualTo(AesKey.of(new byte[16]));
            m.play("""
                    > AT+DEVEUI=?
                    < AT+DEVEUI=70b3d57ed0012345
                    < OK
                    > AT+APPEUI=?
                    < AT+APPEUI=70b3d57ed0000001
                    < OK
                    > AT+DEVEUI=70B3D57ED0099999
                    < AT_PARAM_ERROR
                    > AT+APPEUI=70B3D57ED0000002
                    < AT_PARAM_ERROR
                    > AT+APPKEY=2B7E151628AED2A6ABF7158809CF4F3C
                    < AT_PARAM_ERROR
                    > AT+APPKEY=?
                    < AT_PARAM_ERROR
                    > AT+DEVEUI=?
                    < AT+DEVEUI=70b3d57ed0012345
                    < OK
                    > AT+JOIN=1:0:10:0
                    < OK
                    @ +EVT:JOIN_FAILED_RX_TIMEOUT
                    """);
            assertThat(m.module.refusedWrites()).isEqualTo(3);
            assertThat(m.module.joinRequestsSent()).isEqualTo(1);
            assertThat(m.module.programmedIdentity().appKey()).isEqualTo(own);
            assertThat(server.awaitEvent(DEV_EUI, "join_rejected", ModuleLine.WAIT).code()).as("made with the part's own key").isEqualTo("mic_mismatch");
        }
    }

    ModuleLine timedLine(Behaviour b) {
        return new ModuleLine(VirtualRak3172::new, gw, dir, b, new ManualRadioTime());
    }

    static final Behaviour OUT_OF_RANGE = new Behaviour(-62, 8.5, false, true);

    @Test
    void aModuleThatRejectsItsKeyAndIsOutOfRange() throws Exception {
        server.register(DEV_EUI, JOIN_EUI, MacVersion.V1_0_2, APP_KEY, null);
        try (ModuleLine m = timedLine(new Behaviour(-62, 8.5, true, true))) {
            m.play("""
                    > AT+DEVEUI=70B3D57ED0012345
                    < OK
                    > AT+APPKEY=2B7E151628AED2A6ABF7158809CF4F3C
                    < AT_PARAM_ERROR
                    > AT+JOIN=1:0:10:0
                    < OK
                    ~ 6s
                    @ +EVT:JOIN_FAILED_RX_TIMEOUT
                    ~ idle
                    """);
        }
        assertThat(server.js.store().events(DEV_EUI, 0, 10)).isEmpty();
    }

    @Test
    void param4CountsReAttemptsEachStartingAPeriodAfterTheFailureBefore() throws Exception {
        try (ModuleLine m = timedLine(OUT_OF_RANGE)) {
            m.play(PROGRAM + """
                    > AT+JOIN=1:0:10:2
                    < OK
                    > AT+JOIN=1:0:10:2
                    < AT_BUSY_ERROR
                    > AT+JOIN=?
                    < AT+JOIN=1:0:10:2
                    < OK
                    # nobody hears the join-request: the attempt ends after RX2, 6 s after it
                    ~ 5.9s
                    ~ 0.1s
                    @ +EVT:JOIN_FAILED_RX_TIMEOUT
                    > AT+JOIN=1:0:10:2
                    < AT_BUSY_ERROR
                    # the first re-attempt starts 10 s after that failure, the second 10 s after the next one
                    ~ 9.9s
                    ~ 0.1s
                    ~ 5.9s
                    ~ 0.1s
                    @ +EVT:JOIN_FAILED_RX_TIMEOUT
                    ~ 10s
                    ~ 6s
                    @ +EVT:JOIN_FAILED_RX_TIMEOUT
                    ~ idle
                    > AT+JOIN=?
                    < AT+JOIN=0:0:10:2
                    < OK
                    """);
        }
    }

    @Test
    void joinZeroStopsTheRetries() throws Exception {
        try (ModuleLine m = timedLine(OUT_OF_RANGE)) {
            m.play(PROGRAM + """
                    > AT+JOIN=1:0:10:3
                    < OK
                    ~ 6s
                    @ +EVT:JOIN_FAILED_RX_TIMEOUT
                    > AT+JOIN=0
                    < OK
                    # the retry that was due finds the join stopped
                    ~ 10s
                    ~ idle
                    > AT+JOIN=?
                    < AT+JOIN=0:0:10:3
                    < OK
                    """);
        }
    }

    @Test
    void echoToggledOnPrintsEveryCommandBackAndOutlivesAReboot() throws Exception {
        try (ModuleLine m = timedLine(Behaviour.GOOD)) {
            m.play("""
                    > ATE
                    < OK
                    > AT+NJM=1
                    < AT+NJM=1
                    < OK
                    > AT+NWM=1
                    < AT+NWM=1
                    < OK
                    ~ 3s
                    @ RAKwireless RAK3172-E Example
                    @ ------------------------------------------------------
                    @ Current Work Mode: LoRaWAN.
                    > AT+NWM=?
                    < AT+NWM=?
                    < AT+NWM=1
                    < OK
                    > ATE
                    < ATE
                    < OK
                    > AT
                    < OK
                    """);
        }
    }

    @Test
    void workModeSetRebootsSlowlyAndAnswersNothingUntilTheBannerEnds() throws Exception {
        try (ModuleLine m = timedLine(Behaviour.GOOD)) {
            m.play("""
                    > AT+NWM=0
                    < OK
                    # booting: the module takes no command
                    > AT
                    ~ 2.9s
                    ~ 0.1s
                    @ RAKwireless RAK3172-E Example
                    @ ------------------------------------------------------
                    @ Current Work Mode: LoRa P2P.
                    > AT+NWM=?
                    < AT+NWM=0
                    < OK
                    > AT+NWM=1
                    < OK
                    ~ 3s
                    @ RAKwireless RAK3172-E Example
                    @ ------------------------------------------------------
                    @ Current Work Mode: LoRaWAN.
                    ~ idle
                    """);
        }
    }

    @Test
    void aPlainJoinUsesTheSettingsGivenLast() throws Exception {
        try (ModuleLine m = timedLine(OUT_OF_RANGE)) {
            m.play(PROGRAM + """
                    > AT+JOIN=1:0:7:0
                    < OK
                    ~ 6s
                    @ +EVT:JOIN_FAILED_RX_TIMEOUT
                    ~ idle
                    > AT+JOIN
                    < OK
                    > AT+JOIN=?
                    < AT+JOIN=1:0:7:0
                    < OK
                    ~ 6s
                    @ +EVT:JOIN_FAILED_RX_TIMEOUT
                    ~ idle
                    """);
        }
    }
}
