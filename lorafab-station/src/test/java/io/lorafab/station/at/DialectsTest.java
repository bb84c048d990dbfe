package io.lorafab.station.at;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What each dialect's serial line needs: the vendor's default speed, the line ending, the end of an answer. */
class DialectsTest {

    static Stream<Arguments> lines() {
        return Stream.of(
                Arguments.of("rak3172", 115200, "\r\n"),
                Arguments.of("lora-e5", 9600, "\r\n"),
                Arguments.of("rn2483", 57600, "\r\n"),
                Arguments.of("stm32wl-at", 9600, "\r\n"),
                Arguments.of("murata-abz", 19200, "\r"));
    }

    @ParameterizedTest(name = "{0}: {1} baud")
    @MethodSource("lines")
    void vendorDefaults(String dialect, int baud, String lineEnding) {
        Dialects.Entry e = Dialects.byName(dialect);
        assertThat(e.defaultBaud()).isEqualTo(baud);
        assertThat(e.lineEnding()).isEqualTo(lineEnding);
    }

    @ParameterizedTest(name = "{0}: a command goes out ended by its line ending")
    @MethodSource("lines")
    void commandsEndInTheDialectsLineEnding(String dialect, int baud, String lineEnding) throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        try (PipedOutputStream moduleOut = new PipedOutputStream();
                StreamTransport t = Dialects.byName(dialect).transport(new PipedInputStream(moduleOut), wire)) {
            try {
                t.command("AT", Duration.ofMillis(20));
            } catch (AtException silent) {
                // nobody answers
            }
        }
        assertThat(wire.toString(StandardCharsets.ISO_8859_1)).isEqualTo("AT" + lineEnding);
    }

    @org.junit.jupiter.api.Test
    void murataPayloadFollowsTheCarriageReturnDirectly() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        try (PipedOutputStream moduleOut = new PipedOutputStream();
                StreamTransport t = Dialects.byName("murata-abz").transport(new PipedInputStream(moduleOut), wire)) {
            try {
                t.commandWithData("AT+UTX 2", new byte[] {0x01, 0x02}, Duration.ofMillis(20));
            } catch (AtException silent) {
                // nobody answers
            }
        }
        assertThat(wire.toByteArray()).containsExactly('A', 'T', '+', 'U', 'T', 'X', ' ', '2', '\r', 0x01, 0x02);
    }

    static Stream<Arguments> murataAnswers() {
        return Stream.of(
                Arguments.of("success", "+OK", true),
                Arguments.of("a query's value", "+OK=ABZ", true),
                Arguments.of("plain error", "+ERR", true),
                Arguments.of("error kind (MKRWAN library)", "+ERR_PARAM", true),
                Arguments.of("busy", "+ERR_BUSY", true),
                Arguments.of("numbered error", "+ERR=-3", true),
                Arguments.of("join answered +ACK", "+ACK", true),
                Arguments.of("join event", "+EVENT=1,1", false),
                Arguments.of("downlink", "+RECV=2,4", false),
                Arguments.of("no acknowledgement", "+NOACK", false),
                Arguments.of("not the OK status", "+OKAY", false));
    }

    @ParameterizedTest(name = "Murata: {0} ({1})")
    @MethodSource("murataAnswers")
    void murataEndOfAnswer(String name, String line, boolean ends) {
        assertThat(Dialects.byName("murata-abz").finalLine().test(line)).isEqualTo(ends);
    }
}
