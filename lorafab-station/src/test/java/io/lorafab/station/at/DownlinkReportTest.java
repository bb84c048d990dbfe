package io.lorafab.station.at;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each dialect reads its module's report of a received downlink (port, payload, and window and signal where the
 * module reports them), whether it comes while the uplink is sent or after; an uplink without a downlink has none.
 */
class DownlinkReportTest {

    private static final Duration T = Duration.ofSeconds(5);
    private static final byte[] UP = {1, 2};

    /** name, driver, transcript of send + report, expected port, payload hex, window, rssi, snr (null: not reported). */
    static Stream<Arguments> reports() {
        return Stream.of(
                Arguments.of("RUI3, during the send", (Function<AtTransport, AtDialect>) Rak3172Rui3::new, """
                        > AT+CFM=0
                        < OK
                        > AT+SEND=1:0102
                        < OK
                        @ +EVT:RX_1:-45:11:UNICAST:2:A1B2C3D4E5F60718
                        @ +EVT:TX_DONE
                        """, 2, "a1b2c3d4e5f60718", "RX1", -45, 11.0),
                Arguments.of("RUI3, after TX_DONE, RX2", (Function<AtTransport, AtDialect>) Rak3172Rui3::new, """
                        > AT+CFM=0
                        < OK
                        > AT+SEND=1:0102
                        < OK
                        @ +EVT:TX_DONE
                        @ +EVT:RX_2:-101:-3:UNICAST:2:a1b2
                        """, 2, "a1b2", "RX2", -101, -3.0),
                Arguments.of("LoRa-E5", (Function<AtTransport, AtDialect>) SeeedLoraE5::new, """
                        > AT+PORT=1
                        < +PORT: 1
                        > AT+MSGHEX="0102"
                        < +MSGHEX: Start
                        @ +MSGHEX: PORT: 2; RX: "A1B2C3"
                        @ +MSGHEX: RXWIN1, RSSI -70, SNR 5.5
                        @ +MSGHEX: Done
                        """, 2, "a1b2c3", "RX1", -70, 5.5),
                Arguments.of("RN2483", (Function<AtTransport, AtDialect>) MicrochipRn2483::new, """
                        > mac tx uncnf 1 0102
                        < ok
                        @ mac_rx 2 A1B2C3
                        """, 2, "a1b2c3", null, null, null),
                Arguments.of("STM32WL AT slave", (Function<AtTransport, AtDialect>) Stm32wlAtSlave::new, """
                        > AT+SEND=1:0:0102
                        < OK
                        @ +EVT:2:03:A1B2C3
                        @ +EVT:RX_1, PORT 2, DR 5, RSSI -60, SNR 8
                        """, 2, "a1b2c3", "RX1", -60, 8.0),
                Arguments.of("STM32WL AT slave, older release", (Function<AtTransport, AtDialect>) Stm32wlAtSlave::new, """
                        > AT+SEND=1:0:0102
                        < OK
                        @ +EVT:2:03:a1b2c3
                        @ +EVT:RX_2, DR 0, RSSI -110, SNR -7
                        """, 2, "a1b2c3", "RX2", -110, -7.0),
                Arguments.of("Murata ABZ", (Function<AtTransport, AtDialect>) MurataAbz::new, """
                        > AT+PORT=1
                        < +OK
                        > AT+UTX 2
                        >> 0102
                        < +OK
                        @ +RECV=2,3
                        @ <raw>a1b2c3
                        """, 2, "a1b2c3", null, null, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reports")
    void theReportGivesThePortPayloadAndWhatSignalTheModuleMeasured(String name, Function<AtTransport, AtDialect> driver,
            String transcript, int port, String payload, String window, Integer rssi, Double snr) {
        ScriptedTransport t = ScriptedTransport.of(transcript);
        AtDialect d = driver.apply(t);
        SendResult sent = d.send(1, UP, false, T);
        ReceivedDownlink r = sent.downlink().or(() -> d.awaitDownlink(T)).orElseThrow();
        assertThat(r.port()).isEqualTo(port);
        assertThat(r.payloadHex()).isEqualTo(payload);
        assertThat(r.window()).isEqualTo(Optional.ofNullable(window));
        assertThat(r.rssiDbm().isPresent() ? r.rssiDbm().getAsInt() : null).isEqualTo(rssi);
        assertThat(r.snrDb().isPresent() ? r.snrDb().getAsDouble() : null).isEqualTo(snr);
        t.assertFinished();
    }

    static Stream<Arguments> silent() {
        return Stream.of(
                Arguments.of("RUI3", (Function<AtTransport, AtDialect>) Rak3172Rui3::new,
                        "> AT+CFM=0\n< OK\n> AT+SEND=1:0102\n< OK\n@ +EVT:TX_DONE\n"),
                Arguments.of("LoRa-E5", (Function<AtTransport, AtDialect>) SeeedLoraE5::new,
                        "> AT+PORT=1\n< +PORT: 1\n> AT+MSGHEX=\"0102\"\n< +MSGHEX: Start\n@ +MSGHEX: Done\n"),
                Arguments.of("RN2483", (Function<AtTransport, AtDialect>) MicrochipRn2483::new, "> mac tx uncnf 1 0102\n< ok\n@ mac_tx_ok\n"),
                Arguments.of("STM32WL AT slave", (Function<AtTransport, AtDialect>) Stm32wlAtSlave::new, "> AT+SEND=1:0:0102\n< OK\n"),
                Arguments.of("Murata ABZ", (Function<AtTransport, AtDialect>) MurataAbz::new, "> AT+PORT=1\n< +OK\n> AT+UTX 2\n>> 0102\n< +OK\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("silent")
    void anUplinkThatNoDownlinkAnsweredHasNoReport(String name, Function<AtTransport, AtDialect> driver, String transcript) {
        ScriptedTransport t = ScriptedTransport.of(transcript);
        AtDialect d = driver.apply(t);
        assertThat(d.send(1, UP, false, T).downlink()).isEmpty();
        assertThat(d.awaitDownlink(T)).isEmpty();
        t.assertFinished();
    }

    @Test
    void aMalformedReportIsNoReport() {
        assertThat(Rak3172Rui3.downlinkOf("+EVT:RX_1:-45:11:UNICAST:2:A1B")).isEmpty();
        assertThat(Stm32wlAtSlave.dataOf("+EVT:2:04:A1B2C3")).as("size says 4 bytes, 3 came").isEmpty();
        assertThat(MicrochipRn2483.downlinkOf("mac_rx two A1")).isEmpty();
        assertThat(MurataAbz.downlinkOf("+RECV=2,3", "<raw>a1b2")).as("the line closed mid-payload").isEmpty();
    }

    @Test
    void murataRawPayloadBytesThatAreCrOrLfArriveWholeOverAStream() throws IOException {
        PipedOutputStream moduleOut = new PipedOutputStream();
        PipedInputStream hostIn = new PipedInputStream(moduleOut, 4096);
        byte[] payload = {0x0d, 0x0a, 0x41, 0x0a, 0x00, (byte) 0xff, 0x0d, 0x0d};
        try (StreamTransport t = Dialects.byName("murata-abz").transport(hostIn, OutputStream.nullOutputStream())) {
            OutputStream w = moduleOut;
            w.write("+RECV=2,8\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            w.write(payload);
            w.write("\r\n+EVENT=0,0\r\n".getBytes(StandardCharsets.ISO_8859_1));
            w.flush();
            ReceivedDownlink r = new MurataAbz(t).awaitDownlink(T).orElseThrow();
            assertThat(r.port()).isEqualTo(2);
            assertThat(r.payloadHex()).isEqualTo(HexFormat.of().formatHex(payload));
            assertThat(t.awaitEvent(l -> true, T)).containsExactly("+EVENT=0,0");
        }
    }
}
