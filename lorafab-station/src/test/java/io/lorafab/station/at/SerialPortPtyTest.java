package io.lorafab.station.at;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A serial port on a real pseudo-terminal pair made by socat, a stand-in module answering on the other end. */
class SerialPortPtyTest {

    @TempDir
    Path dir;

    @Test
    void atCommandsOverAPseudoTerminal() throws Exception {
        Path station = dir.resolve("station");
        Path module = dir.resolve("module");
        Process socat = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + station, "pty,raw,echo=0,link=" + module)
                .redirectErrorStream(true).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!(Files.exists(station) && Files.exists(module)) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(Files.exists(station)).as("socat made the PTY pair").isTrue();
            try (SerialPort moduleSide = SerialPort.open(module, 115200); SerialPort stationSide = SerialPort.open(station, 115200)) {
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
        } finally {
            socat.destroy();
            socat.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aMissingPortIsATypedError() {
        assertThatThrownBy(() -> SerialPort.open(dir.resolve("ttyNOPE"), 115200)).isInstanceOf(AtException.class)
                .hasMessageContaining("does not exist");
    }
}
