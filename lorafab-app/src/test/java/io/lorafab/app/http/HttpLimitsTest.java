package io.lorafab.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.store.model.Role;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, done-when: the HTTP layer survives a 20 MiB body (413 before it is read), 50 clients sending their
 * headers a byte a second (a normal client still gets {@code /api/health} within a second), and malformed JSON
 * (400 {@code bad_json}, a message for a person, nothing of the libraries inside). Over real sockets, against a
 * server with two workers, so that a server holding a thread per slow client would show it.
 */
class HttpLimitsTest {
    static final int MiB = 1 << 20;

    @TempDir
    Path dataDir;

    Lorafab lf;
    ApiServer server;
    String engineer;

    @BeforeEach
    void start() throws IOException {
        lf = Lorafab.open(null, dataDir, Map.of(), Clock.systemUTC());
        engineer = lf.tokens().create("eng", Role.ENGINEER, "test").secret();
        server = new ApiServer(lf, "127.0.0.1", 0, 2);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
        lf.close();
    }

    void healthAnswersWithin(long millis) throws IOException {
        long t0 = System.nanoTime();
        try (RawHttp c = new RawHttp(server.port(), (int) millis)) {
            assertThat(c.write("GET /api/health HTTP/1.1\r\nHost: lorafab\r\n\r\n").read().status()).isEqualTo(200);
        }
        assertThat((System.nanoTime() - t0) / 1_000_000).as("ms for /api/health").isLessThan(millis);
    }

    @Test
    void aDeclared20MiBBodyIsRefusedWith413BeforeTheClientHasSentIt() throws IOException {
        // the upload route, with a token that may use it: only the declared length is over its 16 MiB
        try (RawHttp c = new RawHttp(server.port(), 5000)) {
            c.write("POST /api/devices/import HTTP/1.1\r\nHost: lorafab\r\nAuthorization: Bearer " + engineer
                    + "\r\nContent-Type: text/csv\r\nContent-Length: " + 20 * MiB + "\r\n\r\n");
            c.write(new byte[64 << 10]); // a first piece of the body; the rest is never sent
            RawHttp.Answer a = c.read();
            assertThat(a.status()).isEqualTo(413);
            assertThat(a.body()).contains("\"payload_too_large\"").contains("16 MiB");
            assertThat(a.headers().toLowerCase()).contains("connection: close");
        }
        healthAnswersWithin(1000);
    }

    @Test
    void aChunkedBodyWithoutEndIsCutAtTheRoutesLimitAndAnswered413() throws Exception {
        // no length to check: counted as it arrives and cut at 16 MiB; the client offers 64 MiB, far more than the
        // limit and whatever the socket buffers on both sides hold, and must get its answer before it has sent it all
        long offered = 64L * MiB;
        AtomicLong sent = new AtomicLong();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try (RawHttp c = new RawHttp(server.port(), 10_000)) {
            c.write("POST /api/devices/import HTTP/1.1\r\nHost: lorafab\r\nAuthorization: Bearer " + engineer
                    + "\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n");
            byte[] data = new byte[0x10000];
            Arrays.fill(data, (byte) 'x');
            byte[] chunk = concat(("10000\r\n").getBytes(StandardCharsets.US_ASCII), data, "\r\n".getBytes(StandardCharsets.US_ASCII));
            writer.submit(() -> {
                try {
                    for (long i = 0; i < offered / data.length; i++) {
                        c.write(chunk);
                        sent.addAndGet(data.length);
                    }
                } catch (IOException cutOff) {
                    // the server stopped reading: what it should do
                }
                return null;
            });
            RawHttp.Answer a = c.read();
            assertThat(a.status()).isEqualTo(413);
            assertThat(a.body()).contains("\"payload_too_large\"");
            assertThat(sent.get()).as("bytes of the body sent when the answer came").isLessThan(offered);
        } finally {
            writer.shutdownNow();
        }
        healthAnswersWithin(1000);
    }

    @Test
    void fiftyClientsSendingAHeaderByteASecondDoNotDelayHealthBeyondASecond() throws Exception {
        healthAnswersWithin(10_000); // the server's first request (class loading, JIT) is not what is measured
        List<RawHttp> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 50; i++) {
                slow.add(new RawHttp(server.port(), 20_000).write("G"));
            }
            byte[] rest = "ET /api/health HTTP/1.1\r\nHost: lorafab\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaa".getBytes(StandardCharsets.US_ASCII);
            for (int second = 0; second < 6; second++) {
                long t0 = System.nanoTime();
                for (RawHttp c : slow) {
                    c.write(new byte[] {rest[second]}); // fails if the server dropped the client: it must still be reading
                }
                healthAnswersWithin(1000);
                healthAnswersWithin(1000);
                long left = 1000 - (System.nanoTime() - t0) / 1_000_000;
                if (left > 0) {
                    Thread.sleep(left);
                }
            }
        } finally {
            for (RawHttp c : slow) {
                c.close();
            }
        }
        healthAnswersWithin(1000);
    }

    @Test
    void aClientTricklingItsHeadersIsClosedAfterTheReadTime() throws Exception {
        long t0 = System.nanoTime();
        try (RawHttp c = new RawHttp(server.port(), 1000)) {
            byte[] head = ("GET /api/health HTTP/1.1\r\nHost: lorafab\r\nX-Slow: " + "a".repeat(100)).getBytes(StandardCharsets.US_ASCII);
            boolean closed = false;
            for (int i = 0; i < head.length && !closed; i++) {
                try {
                    c.write(new byte[] {head[i]}); // a byte a second: never silent for Jetty's idle timeout
                    closed = c.closedByServer(); // waits the second
                } catch (IOException reset) {
                    closed = true;
                }
            }
            assertThat(closed).as("connection closed by the server").isTrue();
        }
        long seconds = (System.nanoTime() - t0) / 1_000_000_000;
        assertThat(seconds).isBetween(ApiServer.REQUEST_READ_TIME.toSeconds() - 1, ApiServer.REQUEST_READ_TIME.toSeconds() + 3);
    }

    @Test
    void malformedJsonIs400BadJsonWithAMessageThatNamesNoJavaClassOrLibrary() throws IOException {
        ApiClient client = new ApiClient("http://127.0.0.1:" + server.port(), engineer);
        ObjectMapper json = new ObjectMapper();
        for (String body : List.of("{\"name\": \"sensor\", ", "{\"name\": \"sensor\",, }", "not json at all", "{\"name\": 'single'}",
                "{\"name\": \"\u0000\"}", "[1, 2")) {
            ApiClient.Reply r = client.post("/api/products", body);
            assertThat(r.status()).as(body).isEqualTo(400);
            JsonNode error = json.readTree(r.raw()).get("error");
            assertThat(error.get("code").asText()).as(body).isEqualTo("bad_json");
            String message = error.get("message").asText();
            assertThat(message).as(body).startsWith("the body is not valid JSON")
                    .doesNotContainPattern("(?i)jackson|fasterxml|javalin|jetty|exception|java\\.|com\\.|org\\.|\\[Source|line: \\d+, column")
                    .hasSizeLessThan(200);
        }
        ApiClient.Reply empty = client.post("/api/products", "");
        assertThat(empty.status()).isEqualTo(400);
        assertThat(json.readTree(empty.raw()).at("/error/code").asText()).isEqualTo("bad_json");
    }

    private static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }
}
