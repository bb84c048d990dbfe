package io.lorafab.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.lorafab.app.http.ApiServer;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.lorawan.region.Region;
import io.lorafab.station.image.IntelHex;
import io.lorafab.station.image.MemoryImage;
import io.lorafab.store.model.Role;
import io.lorafab.testkit.TestPostgres;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Security review issue 11, finding 8: a station's token never on its command line (where {@code ps} shows it to
 * every user), and never sent in the clear to another machine unless the operator says so. Stations run as their own
 * processes against real sockets.
 */
class StationTokenTest {
    /** A well-formed token (lft_ and 43 characters), so that only the rule under test can refuse it. */
    static final String SECRET = "lft_secret123" + "x".repeat(34);


    @TempDir
    Path dir;

    /** The station's arguments for an image fixture (the cheapest one that needs no serial port). */
    private List<String> station(String server, String... more) throws Exception {
        byte[] code = new byte[2048];
        Arrays.fill(code, (byte) 0x5a);
        Files.writeString(dir.resolve("fw.hex"), IntelHex.write(MemoryImage.ofBinary(0x0800_0000L, code), 16));
        List<String> a = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "io.lorafab.app.Main", "station", "--server", server,
                "--order", "WO-1", "--allocate", "--image", dir.resolve("fw.hex").toString(), "--identity-address", "0x0803F800",
                "--flasher", "true {image}"));
        Collections.addAll(a, more);
        return a;
    }

    private Path tokenFile(String token, String mode) throws Exception {
        Path f = dir.resolve("token-" + mode);
        Files.writeString(f, token + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    private static String readLine(BufferedReader r) {
        try {
            return r.readLine();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theTokenReadFromAFileWorksAndIsNotInTheStationsProcessArguments() throws Exception {
        String url = TestPostgres.freshSchema();
        try (Lorafab lf = Lorafab.open(url, dir.resolve("data"), Map.of(), Clock.systemUTC());
                ApiServer api = new ApiServer(lf, "127.0.0.1", 0, 2)) {
            api.start();
            lf.registry().transaction(r -> {
                var p = r.createProduct(new io.lorafab.store.model.NewProduct("sensor", io.lorafab.lorawan.types.Eui64.parse("70b3d57ed0000001"),
                        io.lorafab.lorawan.types.MacVersion.V1_0_3, Region.byName("EU868"), io.lorafab.lorawan.types.ProfileId.parse("12340001"), null, null, null));
                return r.createWorkOrder("WO-1", p.id(), 10);
            });
            String token = lf.tokens().create("line-1", Role.OPERATOR, "test").secret();
            Process st = new ProcessBuilder(station("http://127.0.0.1:" + api.port(), "--token-file",
                    tokenFile(token, "rw-------").toString())).redirectErrorStream(true).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(st.getInputStream(), StandardCharsets.UTF_8));
                // "ready" comes only after the server answered the station's first call with this token
                String first = CompletableFuture.supplyAsync(() -> readLine(out)).get(60, TimeUnit.SECONDS);
                assertThat(first).isEqualTo("ready: press Enter for each unit");
                String cmdline = Files.readString(Path.of("/proc/" + st.pid() + "/cmdline"), StandardCharsets.UTF_8);
                assertThat(cmdline).contains("--token-file").doesNotContain(token);
                assertThat(st.info().arguments().map(List::of).orElse(List.of())).noneMatch(arg -> arg.contains(token));
            } finally {
                st.getOutputStream().close();
                assertThat(st.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            TestPostgres.drop(url);
        }
    }

    @Test
    void aTokenOnTheCommandLineIsRefusedWithTheSafeWaysToGiveIt() throws Exception {
        Process st = new ProcessBuilder(station("http://127.0.0.1:9", "--token", SECRET)).redirectErrorStream(true).start();
        String text = new String(st.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(st.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(st.exitValue()).isEqualTo(1);
        assertThat(text).hasLineCount(1).startsWith("error: --token is not accepted").contains("LORAFAB_TOKEN").contains("--token-file")
                .doesNotContain(SECRET);
    }

    @Test
    void aTokenFileOthersCanReadIsRefused() throws Exception {
        Path open = tokenFile(SECRET, "rw-r--r--");
        Process st = new ProcessBuilder(station("http://127.0.0.1:9", "--token-file", open.toString())).redirectErrorStream(true).start();
        String text = new String(st.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(st.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(st.exitValue()).isEqualTo(1);
        assertThat(text).hasLineCount(1).contains("chmod 600 " + open).doesNotContain(SECRET);
    }

    /** An address of this machine that is not loopback: what a server on the network looks like to the station. */
    private static InetAddress networkAddress() throws Exception {
        for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!n.isUp() || n.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(n.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    return a;
                }
            }
        }
        throw new AssertionError("this test needs a non-loopback IPv4 address on this machine");
    }

    @Test
    void plainHttpToAnotherMachineIsRefusedBeforeAnyConnectionUnlessInsecure() throws Exception {
        InetAddress addr = networkAddress();
        try (ServerSocket listener = new ServerSocket()) {
            listener.bind(new InetSocketAddress(addr, 0));
            listener.setSoTimeout(1000);
            String server = "http://" + addr.getHostAddress() + ":" + listener.getLocalPort();
            Path token = tokenFile(SECRET, "rw-------");

            Process refused = new ProcessBuilder(station(server, "--token-file", token.toString())).redirectErrorStream(true).start();
            String text = new String(refused.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(refused.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(refused.exitValue()).isEqualTo(1);
            assertThat(text).hasLineCount(1).contains("plain http:// to another machine").contains("--insecure");
            assertThatThrownBy(listener::accept).as("nothing was sent").isInstanceOf(SocketTimeoutException.class);

            Process insecure = new ProcessBuilder(station(server, "--token-file", token.toString(), "--insecure"))
                    .redirectErrorStream(true).start();
            listener.setSoTimeout(60_000);
            try (Socket c = listener.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(c.getInputStream(), StandardCharsets.US_ASCII));
                List<String> head = new ArrayList<>();
                for (String l = in.readLine(); l != null && !l.isEmpty(); l = in.readLine()) {
                    head.add(l);
                }
                assertThat(head.get(0)).startsWith("GET /api/units?order=WO-1");
                assertThat(head).contains("Authorization: Bearer " + SECRET);
                byte[] body = "{\"error\":{\"code\":\"unauthenticated\",\"message\":\"no\"}}".getBytes(StandardCharsets.US_ASCII);
                OutputStream o = c.getOutputStream();
                o.write(("HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                        + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                o.write(body);
                o.flush();
            }
            String after = new String(insecure.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(insecure.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(after).contains("the server does not accept this station's token");
        }
    }

    @Test
    void loopbackAndHttpsNeedNoInsecure() {
        assertThat(io.lorafab.station.client.StationApiClient.plainHttpToAnotherHost("http://127.0.0.1:8080")).isFalse();
        assertThat(io.lorafab.station.client.StationApiClient.plainHttpToAnotherHost("http://localhost:8080")).isFalse();
        assertThat(io.lorafab.station.client.StationApiClient.plainHttpToAnotherHost("http://[::1]:8080")).isFalse();
        assertThat(io.lorafab.station.client.StationApiClient.plainHttpToAnotherHost("https://lorafab.example.com")).isFalse();
        assertThat(io.lorafab.station.client.StationApiClient.plainHttpToAnotherHost("http://192.0.2.10:8080")).isTrue();
    }
}
