package io.lorafab.station.at;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A serial port on a real pseudo-terminal pair made by socat ({@link PtyPair}), a stand-in module answering on the other end. */
class SerialPortPtyTest {

    @TempDir
    Path dir;

    @Test
    void atCommandsOverAPseudoTerminal() throws Exception {
        try (PtyPair pty = PtyPair.open(dir.resolve("station"), dir.resolve("module"));
                SerialPort moduleSide = SerialPort.open(pty.moduleSide(), 115200);
                SerialPort stationSide = SerialPort.open(pty.stationSide(), 115200)) {
            assertThat(pty.isAlive()).as("socat made the PTY pair").isTrue();
            Thread fake = new Thread(() -> {
                try {
                    BufferedReader r = new BufferedReader(new InputStreamReader(moduleSide.input(), StandardCharsets.US_ASCII));
                    OutputStream w = moduleSide.output();
                    String line;
                    while ((line = r.readLine()) != null) {
                        String cmd = line.strip();
                        String reply = cmd.equals("AT+VER=?") ? "AT+VER=RUI_4.0.6_RAK3172-E\r\nOK\r\n"
                                : cmd.startsWith("AT+DEVEUI=") ? "OK\r\n" : "AT_ERROR\r\n";
                        w.write(reply.getBytes(StandardCharsets.US_ASCII));
                        w.flush();
                    }
                } catch (java.io.IOException closed) {
                    // test over
                }
            }, "fake-module");
            fake.setDaemon(true);
            fake.start();
            try (StreamTransport t = new StreamTransport(stationSide.input(), stationSide.output(),
                    StreamTransport.finalLineOf("rak3172-rui3"), "\r\n")) {
                List<String> ver = t.command("AT+VER=?", Duration.ofSeconds(5));
                assertThat(ver).contains("OK");
                assertThat(String.join("\n", ver)).contains("RUI_4.0.6");
                assertThat(t.command("AT+DEVEUI=0004A30B001C0530", Duration.ofSeconds(5))).containsExactly("OK");
            }
        }
        assertThat(Files.exists(dir.resolve("station"), LinkOption.NOFOLLOW_LINKS)).as("socat removed its links").isFalse();
    }

    @Test
    void aStationMayCloseItsEndAndConnectAgain() throws Exception {
        try (PtyPair pty = PtyPair.open(); SerialPort moduleSide = SerialPort.open(pty.moduleSide(), 115200)) {
            for (int round = 1; round <= 2; round++) {
                try (SerialPort stationSide = SerialPort.open(pty.stationSide(), 115200)) {
                    stationSide.output().write(("AT" + round + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    stationSide.output().flush();
                    byte[] got = new byte[5];
                    int n = 0;
                    while (n < got.length) {
                        n += moduleSide.input().read(got, n, got.length - n);
                    }
                    assertThat(new String(got, StandardCharsets.US_ASCII)).isEqualTo("AT" + round + "\r\n");
                }
            }
            assertThat(pty.isAlive()).isTrue();
        }
    }

    @Test
    void aLinkThatExistsIsNotReplaced() throws Exception {
        Path taken = Files.createFile(dir.resolve("taken"));
        assertThatThrownBy(() -> PtyPair.open(taken, dir.resolve("m"))).isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("already exists");
    }

    @Test
    void aMissingPortIsATypedError() {
        assertThatThrownBy(() -> SerialPort.open(dir.resolve("ttyNOPE"), 115200)).isInstanceOf(AtException.class)
                .hasMessageContaining("does not exist");
    }
}
