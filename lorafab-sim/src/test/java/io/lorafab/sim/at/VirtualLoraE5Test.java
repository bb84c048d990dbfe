package io.lorafab.sim.at;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.lorawan.types.AesKey;
import io.lorafab.lorawan.types.DevAddr;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.sim.DeviceIdentity;
import io.lorafab.sim.UdpJoinServer;
import io.lorafab.sim.VirtualGateway;
import io.lorafab.sim.at.VirtualAtModule.Behaviour;
import io.lorafab.store.join.RadioEvent;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The virtual LoRa-E5's answers, line by line, and its radio joining a join server over real UDP. */
class VirtualLoraE5Test {

    static final Eui64 DEV_EUI = Eui64.parse("70b3d57ed0012345");
    static final Eui64 JOIN_EUI = Eui64.parse("70b3d57ed0000001");
    static final AesKey APP_KEY = AesKey.parse("2b7e151628aed2a6abf7158809cf4f3c");
    static final String PROGRAM = """
            > AT+MODE=LWOTAA
            < +MODE: LWOTAA
            > AT+DR=EU868
            < +DR: EU868
            > AT+ID=DevEui, "70B3D57ED0012345"
            < +ID: DevEui, 70:B3:D5:7E:D0:01:23:45
            > AT+ID=AppEui, "70B3D57ED0000001"
            < +ID: AppEui, 70:B3:D5:7E:D0:00:00:01
            > AT+KEY=APPKEY, "2B7E151628AED2A6ABF7158809CF4F3C"
            < +KEY: APPKEY 2B7E151628AED2A6ABF7158809CF4F3C
            """;

    @TempDir
    Path dir;

    UdpJoinServer server;
    VirtualGateway gw;

    @BeforeEach
    void start() throws Exception {
        server = new UdpJoinServer(dir);
        gw = new VirtualGateway(Eui64.parse("0000000000000e05"), server.address, Clock.systemUTC(), Duration.ofSeconds(3),
                VirtualGateway.Timing.COMPRESSED);
        gw.connect(Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        gw.close();
        server.close();
    }

    ModuleLine line(Behaviour b) {
        return new ModuleLine(VirtualLoraE5::new, gw, dir, b);
    }

    static Stream<Arguments> answers() {
        return Stream.of(
                Arguments.of("attention", "> AT\n< +AT: OK"),
                Arguments.of("version", "> AT+VER\n< +VER: 4.0.11"),
                Arguments.of("a new board is in ABP mode", "> AT+MODE\n< +MODE: LWABP"),
                Arguments.of("programming the identity", PROGRAM),
                Arguments.of("IDs without quotes or space, lower case", """
                        > at+id=deveui,70b3d57ed0012345
                        < +ID: DevEui, 70:B3:D5:7E:D0:01:23:45
                        > AT+ID=DevEui
                        < +ID: DevEui, 70:B3:D5:7E:D0:01:23:45
                        """),
                Arguments.of("all IDs", """
                        > AT+ID=AppEui, "70B3D57ED0000001"
                        < +ID: AppEui, 70:B3:D5:7E:D0:00:00:01
                        > AT+ID
                        < +ID: DevAddr, 00:00:00:00
                        < +ID: DevEui, 00:00:00:00:00:00:00:00
                        < +ID: AppEui, 70:B3:D5:7E:D0:00:00:01
                        """),
                Arguments.of("a short DevEUI is a bad parameter", "> AT+ID=DevEui, \"70B3\"\n< +ID: ERROR(-1)"),
                Arguments.of("an unknown ID", "> AT+ID=Serial, \"70B3\"\n< +ID: ERROR(-1)"),
                Arguments.of("a key that is not hex", "> AT+KEY=APPKEY, \"2B7E15162\"\n< +KEY: ERROR(-1)"),
                Arguments.of("keys cannot be read", "> AT+KEY=APPKEY\n< +KEY: ERROR(-11)"),
                Arguments.of("another band", "> AT+DR=US915\n< +DR: ERROR(-1)"),
                Arguments.of("data rate", "> AT+DR\n< +DR: DR5\n< +DR: EU868 DR5 SF7 BW125K"),
                Arguments.of("a bad mode", "> AT+MODE=OTAA\n< +MODE: ERROR(-1)"),
                Arguments.of("join outside OTAA mode", "> AT+JOIN\n< +JOIN: ERROR(-12)"),
                Arguments.of("port", "> AT+PORT=2\n< +PORT: 2\n> AT+PORT\n< +PORT: 2"),
                Arguments.of("port 0 is not an application port", "> AT+PORT=0\n< +PORT: ERROR(-1)"),
                Arguments.of("send before joining", "> AT+MSGHEX=\"0102\"\n< +MSGHEX: Please join network first"),
                Arguments.of("odd hex", "> AT+MSGHEX=\"010\"\n< +MSGHEX: ERROR(-1)"),
                Arguments.of("unknown command", "> AT+FOO=1\n< +AT: ERROR(-10)"),
                Arguments.of("not a command", "> hello\n< +AT: ERROR(-10)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("answers")
    void answers(String name, String transcript) throws Exception {
        try (ModuleLine m = line(Behaviour.GOOD)) {
            m.play(transcript);
        }
    }

    @Test
    void aSecureElementBoardReportsItsOwnIdsAndRefusesEveryWriteOfThemOrTheKeyWithErrorMinusOne() throws Exception {
        try (ModuleLine m = new ModuleLine((in, out, g, n, b) -> VirtualLoraE5.withSecureElement(in, out, g, n, b, DEV_EUI, JOIN_EUI),
                gw, dir, Behaviour.GOOD)) {
            DeviceIdentity own = m.module.programmedIdentity();
            m.play("""
                    > AT+ID=DevEui
                    < +ID: DevEui, 70:B3:D5:7E:D0:01:23:45
                    > AT+ID=AppEui
                    < +ID: AppEui, 70:B3:D5:7E:D0:00:00:01
                    > AT+ID=DevEui, "70B3D57ED0099999"
                    < +ID: ERROR(-1)
                    > AT+ID=AppEui, "70B3D57ED0000002"
                    < +ID: ERROR(-1)
                    > AT+KEY=APPKEY, "2B7E151628AED2A6ABF7158809CF4F3C"
                    < +KEY: ERROR(-1)
                    > AT+ID=DevEui
                    < +ID: DevEui, 70:B3:D5:7E:D0:01:23:45
                    """);
            assertThat(m.module.refusedWrites()).isEqualTo(3);
            assertThat(m.module.programmedIdentity()).isEqualTo(own);
            assertThat(own.appKey()).isNotEqualTo(APP_KEY).isNotEqualTo(AesKey.of(new byte[16]));
        }
    }

    @Test
    void aProgrammedModuleJoinsReportsItsSessionAndSends() throws Exception {
        server.register(DEV_EUI, JOIN_EUI, MacVersion.V1_0_2, APP_KEY, null);
        try (ModuleLine m = line(new Behaviour(-71, 6.5, false, false))) {
            m.play(PROGRAM);
            DeviceIdentity id = m.module.programmedIdentity();
            assertThat(id.devEui()).isEqualTo(DEV_EUI);
            assertThat(id.joinEui()).isEqualTo(JOIN_EUI);
            assertThat(id.appKey()).isEqualTo(APP_KEY);
            assertThat(id.toString()).doesNotContainIgnoringCase(APP_KEY.toHex());

            List<String> join = m.ask("AT+JOIN", 5);
            assertThat(join.subList(0, 3)).containsExactly("+JOIN: Start", "+JOIN: NORMAL", "+JOIN: Network joined");
            assertThat(join.get(4)).isEqualTo("+JOIN: Done");
            Matcher session = Pattern.compile("\\+JOIN: NetID ([0-9A-F]{6}) DevAddr ((?:[0-9A-F]{2}:){3}[0-9A-F]{2})")
                    .matcher(join.get(3));
            assertThat(session.matches()).as(join.get(3)).isTrue();
            assertThat(session.group(1)).isEqualTo("000013");
            DevAddr addr = DevAddr.parse(session.group(2).replace(":", ""));
            RadioEvent accepted = server.awaitEvent(DEV_EUI, "join_accepted", ModuleLine.WAIT);
            assertThat(accepted.rssi()).isEqualTo(-71);
            assertThat(m.ask("AT+ID=DevAddr", 1)).containsExactly("+ID: DevAddr, " + session.group(2));

            m.play("""
                    > AT+JOIN
                    < +JOIN: Joined already
                    > AT+PORT=2
                    < +PORT: 2
                    > AT+MSGHEX="0A0B"
                    < +MSGHEX: Start
                    """);
            // the join server answers the session's first uplink with a random payload, which the module reports
            List<String> answer = m.take(3);
            String sent = server.awaitEvent(DEV_EUI, "downlink_sent", ModuleLine.WAIT).details();
            String payload = sent.replaceAll(".*\"frmPayload\":\"([0-9a-f]+)\".*", "$1").toUpperCase(java.util.Locale.ROOT);
            assertThat(answer).containsExactly("+MSGHEX: PORT: 2; RX: \"" + payload + "\"", "+MSGHEX: RXWIN1, RSSI -71, SNR 6.5",
                    "+MSGHEX: Done");
            RadioEvent up = server.awaitEvent(DEV_EUI, "uplink_verified", ModuleLine.WAIT);
            // the uplink was sent on the session the module reported
            assertThat(up.details()).contains("\"frmPayload\":\"0a0b\"").contains("\"devAddr\":\"" + addr + "\"");

            // programming another identity drops the session; a forced join makes a new one
            m.play("""
                    > AT+ID=AppEui, "70B3D57ED0000001"
                    < +ID: AppEui, 70:B3:D5:7E:D0:00:00:01
                    > AT+MSGHEX="01"
                    < +MSGHEX: Please join network first
                    """);
            assertThat(m.ask("AT+JOIN=FORCE", 5)).contains("+JOIN: Network joined").endsWith("+JOIN: Done");
        }
    }

    @Test
    void aModuleThatRejectsItsKeyKeepsNone() throws Exception {
        try (ModuleLine m = line(new Behaviour(-62, 8.5, true, false))) {
            m.play("""
                    > AT+ID=DevEui, "70B3D57ED0012345"
                    < +ID: DevEui, 70:B3:D5:7E:D0:01:23:45
                    > AT+KEY=APPKEY, "2B7E151628AED2A6ABF7158809CF4F3C"
                    < +KEY: ERROR(-1)
                    """);
            assertThat(m.module.programmedIdentity().appKey()).isEqualTo(AesKey.of(new byte[16]));
        }
    }

    @Test
    void aBoardOutOfRangeFailsItsJoinAfterTheSecondReceiveWindow() throws Exception {
        server.register(DEV_EUI, JOIN_EUI, MacVersion.V1_0_2, APP_KEY, null);
        try (ModuleLine m = new ModuleLine(VirtualLoraE5::new, gw, dir, new Behaviour(-62, 8.5, false, true), new ManualRadioTime())) {
            m.play(PROGRAM + """
                    > AT+JOIN
                    < +JOIN: Start
                    < +JOIN: NORMAL
                    > AT+JOIN
                    < +JOIN: LoRaWAN modem is busy
                    # nobody answers in RX1 (5 s) or RX2 (6 s after the join-request)
                    ~ 5.9s
                    ~ 0.1s
                    @ +JOIN: Join failed
                    @ +JOIN: Done
                    ~ idle
                    """);
        }
        assertThat(server.js.store().events(DEV_EUI, 0, 10)).isEmpty();
    }

    @Test
    void aModuleTheServerDoesNotKnowFailsItsJoin() throws Exception {
        try (ModuleLine m = line(Behaviour.GOOD)) {
            m.play(PROGRAM + "> AT+JOIN\n< +JOIN: Start\n< +JOIN: NORMAL\n@ +JOIN: Join failed\n@ +JOIN: Done");
        }
    }

    @Test
    void theNextBoardStartsBlank() throws Exception {
        try (ModuleLine m = line(Behaviour.GOOD)) {
            m.play(PROGRAM);
            m.module.insertBoard(Behaviour.GOOD);
            m.play("""
                    > AT+MODE
                    < +MODE: LWABP
                    > AT+ID=DevEui
                    < +ID: DevEui, 00:00:00:00:00:00:00:00
                    """);
            assertThat(m.module.programmedIdentity().appKey()).isEqualTo(AesKey.of(new byte[16]));
        }
    }
}
