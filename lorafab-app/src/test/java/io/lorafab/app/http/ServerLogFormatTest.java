package io.lorafab.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code lorafab server} writes to stderr is one line format whatever the source — java.util.logging (the
 * gateway connector's System.Logger, the JDK's) or SLF4J: ISO timestamp, level, the logger's short name, message.
 */
class ServerLogFormatTest {

    static final Pattern LINE = Pattern.compile(
            "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}[+-]\\d{4} (TRACE|DEBUG|INFO|WARN|ERROR) [A-Za-z0-9_$]+ - \\S.*");

    @TempDir
    Path dir;

    @Test
    void everyLogLineOfTheServerHasTheOneFormat() throws Exception {
        Path err = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.lorafab.app.Main", "server", "--data-dir", dir.resolve("data").toString(),
                "--http-port", "0", "--udp-host", "127.0.0.1", "--udp-port", "0", "--lns-port", "-1").redirectError(err.toFile()).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            Matcher m = null;
            String line;
            while ((line = out.readLine()) != null) {
                m = Pattern.compile("gateways on udp 127\\.0\\.0\\.1:(\\d+)").matcher(line);
                if (m.find()) {
                    break;
                }
            }
            assertThat(line).as("start line; stderr: " + Files.readString(err)).isNotNull();
            int udp = Integer.parseInt(m.group(1));
            try (DatagramSocket s = new DatagramSocket()) {
                byte[] garbage = "not a Semtech datagram".getBytes(StandardCharsets.US_ASCII);
                s.send(new DatagramPacket(garbage, garbage.length, InetAddress.getLoopbackAddress(), udp));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!Files.readString(err).contains("WARN SemtechUdpConnector") && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        } finally {
            p.destroy();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        List<String> lines = Files.readAllLines(err);
        assertThat(lines).as("the connector's start notice (java.util.logging) and its first warning")
                .anyMatch(l -> l.contains(" INFO SemtechUdpConnector - Semtech UDP connector listening on "))
                .anyMatch(l -> l.contains(" WARN SemtechUdpConnector - Semtech UDP: "));
        assertThat(lines).allSatisfy(l -> assertThat(l).matches(LINE));
    }
}
