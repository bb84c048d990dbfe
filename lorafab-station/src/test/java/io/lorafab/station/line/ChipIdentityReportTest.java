package io.lorafab.station.line;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.lorawan.types.Eui64;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The chip-identity report as a {@code --chip-identity} command prints it: what is recorded, what is refused, and how. */
class ChipIdentityReportTest {

    static final String PIN = "1A2B3C4D";

    static Stream<Arguments> wellFormed() {
        return Stream.of(
                Arguments.of("all three", "ChipEUI: 0016C001F0000001\nJoinEUI: 0016C001FFFE0001\nPIN: 1A2B3C4D\n",
                        "0016c001f0000001", "0016c001fffe0001", PIN),
                Arguments.of("no JoinEUI (optional)", "ChipEUI: 0016C001F0000001\nPIN: 1A2B3C4D\n", "0016c001f0000001", null, PIN),
                Arguments.of("lower-case hex, keys in any case, CRLF, blanks", "  chipeui:0016c001f0000001 \r\nPin :  1a2b3c4d\r\n",
                        "0016c001f0000001", null, PIN),
                Arguments.of("a tool's own lines around the report",
                        "LR1110 test fw 0x0307\nreading chip...\nChipEUI: 0016C001F0000001\nstatus: ok\nPIN: 1A2B3C4D\ndone\n",
                        "0016c001f0000001", null, PIN));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("wellFormed")
    void aWellFormedReportIsRead(String name, String output, String chipEui, String joinEui, String pin) {
        ChipIdentityReport r = ChipIdentityReport.parse(output);
        assertThat(r.chipEui()).isEqualTo(Eui64.parse(chipEui));
        assertThat(r.joinEui()).isEqualTo(joinEui == null ? null : Eui64.parse(joinEui));
        assertThat(r.pin()).isEqualTo(pin);
        assertThat(r.toString()).doesNotContain(PIN);
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("missing PIN", "ChipEUI: 0016C001F0000001\n", "no 'PIN:' line in the chip-identity report"),
                Arguments.of("missing ChipEUI", "PIN: 1A2B3C4D\n", "no 'ChipEUI:' line in the chip-identity report"),
                Arguments.of("empty output", "", "no 'ChipEUI:' line in the chip-identity report"),
                Arguments.of("ChipEUI not hex", "ChipEUI: 0016C001F000000G\nPIN: 1A2B3C4D\n",
                        "ChipEUI '0016C001F000000G' is not 16 hex digits"),
                Arguments.of("ChipEUI too short", "ChipEUI: 0016C001F00000\nPIN: 1A2B3C4D\n", "ChipEUI '0016C001F00000' is not 16 hex digits"),
                Arguments.of("ChipEUI with separators", "ChipEUI: 00-16-C0-01-F0-00-00-01\nPIN: 1A2B3C4D\n",
                        "ChipEUI '00-16-C0-01-F0-00-00-01' is not 16 hex digits"),
                Arguments.of("JoinEUI not hex", "ChipEUI: 0016C001F0000001\nJoinEUI: xyz\nPIN: 1A2B3C4D\n", "JoinEUI 'xyz' is not 16 hex digits"),
                Arguments.of("PIN too long", "ChipEUI: 0016C001F0000001\nPIN: 1A2B3C4D5\n", "the PIN is not 8 hex digits (its value is not shown)"),
                Arguments.of("PIN not hex", "ChipEUI: 0016C001F0000001\nPIN: 1A2B3C4Z\n", "the PIN is not 8 hex digits (its value is not shown)"),
                Arguments.of("PIN given twice", "ChipEUI: 0016C001F0000001\nPIN: 1A2B3C4D\nPIN: 1A2B3C4D\n",
                        "'PIN:' appears twice in the chip-identity report"),
                Arguments.of("ChipEUI given twice", "ChipEUI: 0016C001F0000001\nChipEUI: 0016C001F0000002\nPIN: 1A2B3C4D\n",
                        "'ChipEUI:' appears twice in the chip-identity report"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void aMalformedReportIsRefusedWithOneLineThatNeverHoldsThePin(String name, String output, String message) {
        assertThatThrownBy(() -> ChipIdentityReport.parse(output))
                .isInstanceOf(ChipIdentityReport.MalformedException.class)
                .hasMessage(message)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("1A2B3C4").doesNotContain("\n"));
    }

    @Test
    void theCommandGetsItsPlaceholdersAndItsFailuresAreOneLine(@TempDir Path dir) throws IOException {
        Path script = dir.resolve("chip.sh");
        Files.writeString(script, "#!/bin/sh\necho \"probe $2\"\necho \"ChipEUI: $1\"\necho 'PIN: 1A2B3C4D'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        ChipIdentityReport r = new ChipIdentityCommand(script + " {devEui} {position}", Duration.ofSeconds(10), 3, true)
                .read(Eui64.parse("0016c001f0000042"), "SN-1");
        assertThat(r.chipEui()).isEqualTo(Eui64.parse("0016c001f0000042"));

        Path failing = dir.resolve("fail.sh");
        Files.writeString(failing, "#!/bin/sh\necho 'PIN: 1A2B3C4D'\nexit 4\n");
        Files.setPosixFilePermissions(failing, PosixFilePermissions.fromString("rwx------"));
        assertThatThrownBy(() -> new ChipIdentityCommand(failing.toString(), Duration.ofSeconds(10), 1, false)
                .read(Eui64.parse("0016c001f0000042"), null))
                .hasMessage("the chip-identity command exited with 4");
    }
}
