package io.lorafab.station.at;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** StreamTransport against a fake module on piped streams. */
class StreamTransportTest {

    /** Answers each received line from {@code answers} (missing: silence). */
    private static StreamTransport fakeModule(String dialect, Map<String, List<String>> answers) throws IOException {
        PipedOutputStream hostOut = new PipedOutputStream();
        PipedInputStream moduleIn = new PipedInputStream(hostOut, 4096);
        PipedOutputStream moduleOut = new PipedOutputStream();
        PipedInputStream hostIn = new PipedInputStream(moduleOut, 4096);
        Thread module = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(moduleIn, StandardCharsets.ISO_8859_1));
                    OutputStream w = moduleOut) {
                String l;
                while ((l = r.readLine()) != null) {
                    for (String a : answers.getOrDefault(l, List.of())) {
                        w.write((a + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                        w.flush();
                    }
                }
            } catch (IOException e) {
                // host closed
            }
        }, "fake-module");
        module.setDaemon(true);
        module.start();
        return new StreamTransport(hostIn, hostOut, StreamTransport.finalLineOf(dialect), "\r\n");
    }

    @Test
    void rn2483IdentifyAndJoinOverStreams() throws IOException {
        try (StreamTransport t = fakeModule("microchip-rn2483", Map.of(
                "sys get ver", List.of("RN2483 1.0.5 Oct 31 2018 15:06:52"),
                "mac join otaa", List.of("ok", "accepted")))) {
            MicrochipRn2483 d = new MicrochipRn2483(t);
            assertThat(d.identify().firmware()).isEqualTo("1.0.5");
            assertThat(d.join(Duration.ofSeconds(5)).joined()).isTrue();
        }
    }

    @Test
    void rak3172QueryCollectsValueLineBeforeOk() throws IOException {
        try (StreamTransport t = fakeModule("rak3172-rui3", Map.of(
                "AT+VER=?", List.of("AT+VER=RUI_4.0.5_RAK3172-E", "OK"),
                "AT+HWMODEL=?", List.of("AT+HWMODEL=rak3172", "OK")))) {
            assertThat(new Rak3172Rui3(t).identify())
                    .isEqualTo(new ModuleInfo("rak3172-rui3", "rak3172", "RUI_4.0.5_RAK3172-E"));
        }
    }

    @Test
    void loraE5MultiLineJoinReadAsEvents() throws IOException {
        try (StreamTransport t = fakeModule("seeed-lora-e5", Map.of(
                "AT+JOIN=FORCE", List.of("+JOIN: Start", "+JOIN: NORMAL", "+JOIN: Network joined",
                        "+JOIN: NetID 000013 DevAddr 26:01:2B:3C", "+JOIN: Done")))) {
            assertThat(new SeeedLoraE5(t).join(Duration.ofSeconds(5)).joined()).isTrue();
        }
    }

    @Test
    void silentModuleTimesOut() throws IOException {
        try (StreamTransport t = fakeModule("stm32wl-at-slave", Map.of())) {
            assertThatThrownBy(() -> new Stm32wlAtSlave(t).identify())
                    .isInstanceOfSatisfying(AtException.class,
                            e -> assertThat(e.code()).isEqualTo(AtException.Code.TIMEOUT));
        }
    }

    /** The port goes away (its input ends): a wait fails port_unavailable at once, and the line reports itself closed. */
    @Test
    void aLineWhoseInputEndsIsReportedClosed() throws Exception {
        PipedOutputStream moduleOut = new PipedOutputStream();
        PipedInputStream hostIn = new PipedInputStream(moduleOut, 4096);
        try (StreamTransport t = new StreamTransport(hostIn, OutputStream.nullOutputStream(), StreamTransport.finalLineOf("rak3172-rui3"),
                "\r\n")) {
            CompletableFuture<Void> closed = t.whenLineClosed().toCompletableFuture();
            moduleOut.write("+EVT:TX_DONE\r\n".getBytes(StandardCharsets.ISO_8859_1));
            moduleOut.flush();
            assertThat(t.awaitEvent(l -> l.equals("+EVT:TX_DONE"), Duration.ofSeconds(10))).containsExactly("+EVT:TX_DONE");
            assertThat(closed).as("a quiet line is still up").isNotDone();

            moduleOut.close();
            closed.get(10, TimeUnit.SECONDS);
            assertThatThrownBy(() -> t.awaitEvent(l -> false, Duration.ofMinutes(5)))
                    .isInstanceOfSatisfying(AtException.class, e -> assertThat(e.code()).isEqualTo(AtException.Code.PORT_UNAVAILABLE));
            assertThatThrownBy(() -> t.command("AT", Duration.ofMinutes(5)))
                    .isInstanceOfSatisfying(AtException.class, e -> assertThat(e.code()).isEqualTo(AtException.Code.PORT_UNAVAILABLE));
        }
    }
}
