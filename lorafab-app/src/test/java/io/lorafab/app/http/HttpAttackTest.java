package io.lorafab.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.app.wiring.Lorafab;
import io.lorafab.store.model.Role;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11 (findings 2, 6, 13): unauthenticated and slow clients must neither stop nor exhaust the API. Every
 * attack is made over a plain socket against a real {@code lorafab server} in a JVM of 128 MiB, so the test
 * holds for whatever HTTP server the API runs on.
 */
class HttpAttackTest {
    static final int MiB = 1 << 20;
    /** The documented time a client has for its headers, and for a JSON body (README, Security). */
    static final long READ_TIME_SECONDS = 10;

    @TempDir
    static Path dataDir;

    static ServerProcess server;
    static String engineer;

    @BeforeAll
    static void start() throws IOException {
        try (Lorafab lf = Lorafab.open(null, dataDir, Map.of(), Clock.systemUTC())) {
            engineer = lf.tokens().create("eng", Role.ENGINEER, "test").secret();
        }
        server = ServerProcess.start(List.of("-Xmx128m"), dataDir, null, List.of(), Map.of());
    }

    @AfterAll
    static void stop() throws InterruptedException {
        server.close();
    }

    /** One request with a body announced as {@code length} bytes, streamed by another thread while the answer is read. */
    record Sent(RawHttp.Answer answer, long millis) {
    }

    static Sent postAndStream(String requestHead, long length, ExecutorService writers) throws Exception {
        long t0 = System.nanoTime();
        try (RawHttp c = new RawHttp(server.port(), 10_000)) {
            c.write(requestHead);
            writers.submit(() -> {
                byte[] junk = new byte[64 << 10];
                java.util.Arrays.fill(junk, (byte) 'x');
                try {
                    for (long sent = 0; sent < length; sent += junk.length) {
                        c.write(junk);
                    }
                } catch (IOException refused) {
                    // the server closed the connection without reading the rest: what it should do
                }
                return null;
            });
            RawHttp.Answer a = c.read();
            return new Sent(a, (System.nanoTime() - t0) / 1_000_000);
        }
    }

    static void healthAnswersWithin(long millis) throws IOException {
        long t0 = System.nanoTime();
        try (RawHttp c = new RawHttp(server.port(), (int) millis)) {
            RawHttp.Answer a = c.write("GET /api/health HTTP/1.1\r\nHost: lorafab\r\n\r\n").read();
            assertThat(a.status()).isEqualTo(200);
        }
        assertThat((System.nanoTime() - t0) / 1_000_000).isLessThan(millis);
    }

    // ---- finding 6: bodies ----------------------------------------------------------------------------------

    @Test
    void twelveConcurrent16MiBBodiesWithoutATokenOrOnARouteWithoutBodyAreRefusedUnreadAndTheServerKeepsAnswering() throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            List<Future<Sent>> sent = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                // half to an upload route without a token, half to the one route that needs no token and takes no body
                String head = i % 2 == 0
                        ? "POST /api/devices/import HTTP/1.1\r\nHost: lorafab\r\nContent-Type: text/csv\r\nContent-Length: " + 16 * MiB + "\r\n\r\n"
                        : "GET /api/health HTTP/1.1\r\nHost: lorafab\r\nContent-Length: " + 16 * MiB + "\r\n\r\n";
                sent.add(pool.submit(() -> postAndStream(head, 16L * MiB, pool)));
            }
            for (int i = 0; i < 12; i++) {
                Sent s = sent.get(i).get(30, TimeUnit.SECONDS);
                assertThat(s.answer().status()).isEqualTo(i % 2 == 0 ? 401 : 413);
                assertThat(s.answer().body()).contains(i % 2 == 0 ? "\"unauthenticated\"" : "\"payload_too_large\"");
                assertThat(s.millis()).as("answered before the body was read").isLessThan(2000);
            }
            assertThat(server.alive()).isTrue();
            healthAnswersWithin(1000);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anAuthorisedBodyOverTheRoutesLimitIsRefusedFromItsContentLengthOrCutWhileStreaming() throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            // JSON routes take 64 KiB: a declared 16 MiB is refused before a byte of it is read
            Sent declared = postAndStream("POST /api/products HTTP/1.1\r\nHost: lorafab\r\nAuthorization: Bearer " + engineer
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + 16 * MiB + "\r\n\r\n", 16L * MiB, pool);
            assertThat(declared.answer().status()).isEqualTo(413);
            assertThat(declared.answer().body()).contains("\"payload_too_large\"").contains("64 KiB");
            assertThat(declared.answer().headers().toLowerCase()).contains("connection: close");
            assertThat(declared.millis()).isLessThan(2000);

            // chunked: no length to check, so it is counted as it arrives and cut at the limit
            try (RawHttp c = new RawHttp(server.port(), 10_000)) {
                c.write("POST /api/products HTTP/1.1\r\nHost: lorafab\r\nAuthorization: Bearer " + engineer
                        + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
                pool.submit(() -> {
                    byte[] chunk = ("10000\r\n" + "x".repeat(0x10000) + "\r\n").getBytes();
                    try {
                        for (int i = 0; i < 256; i++) {
                            c.write(chunk);
                        }
                    } catch (IOException refused) {
                        // cut off
                    }
                    return null;
                });
                RawHttp.Answer a = c.read();
                assertThat(a.status()).isEqualTo(413);
                assertThat(a.body()).contains("\"payload_too_large\"");
            }
            healthAnswersWithin(1000);
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- finding 2: slow clients --------------------------------------------------------------------------------

    @Test
    void fiftySlowClientsDoNotStopOthersAndAreDisconnectedAfterTheReadTime() throws Exception {
        List<RawHttp> slow = new ArrayList<>();
        try {
            long t0 = System.nanoTime();
            for (int i = 0; i < 50; i++) {
                // half a request header, then nothing
                slow.add(new RawHttp(server.port(), 20_000).write("GET /api/health HTTP/1.1\r\nHost: lorafab\r\nX-Slow: "));
            }
            for (int i = 0; i < 10; i++) {
                // all headers, then a tenth of the body announced
                slow.add(new RawHttp(server.port(), 20_000).write("POST /api/products HTTP/1.1\r\nHost: lorafab\r\nAuthorization: Bearer "
                        + engineer + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"name\":\""));
            }
            Thread.sleep(300); // let the server take them all up
            for (int i = 0; i < 10; i++) {
                healthAnswersWithin(1000);
                Thread.sleep(200);
            }
            // and the slow ones do not stay for ever: headers and a JSON body get ten seconds
            for (RawHttp c : slow) {
                assertThat(c.closedByServer()).as("slow connection closed by the server").isTrue();
            }
            assertThat((System.nanoTime() - t0) / 1_000_000_000).isLessThan(READ_TIME_SECONDS + 8);
            healthAnswersWithin(1000);
        } finally {
            for (RawHttp c : slow) {
                c.close();
            }
        }
    }

    // ---- finding 13: oversized headers -------------------------------------------------------------------------

    @Test
    void headersOverTheLimitGet431AndAnOverlongRequestLine414() throws IOException {
        try (RawHttp c = new RawHttp(server.port(), 10_000)) {
            RawHttp.Answer a = c.write("GET /api/health HTTP/1.1\r\nHost: lorafab\r\nX-Filler: " + "a".repeat(20_000) + "\r\n\r\n").read();
            assertThat(a.status()).isEqualTo(431);
            assertThat(a.body()).contains("\"headers_too_large\"");
        }
        try (RawHttp c = new RawHttp(server.port(), 10_000)) {
            StringBuilder many = new StringBuilder("GET /api/health HTTP/1.1\r\nHost: lorafab\r\n");
            for (int i = 0; i < 150; i++) {
                many.append("X-F").append(i).append(": 1\r\n");
            }
            RawHttp.Answer a = c.write(many.append("\r\n").toString()).read();
            assertThat(a.status()).isEqualTo(431);
            assertThat(a.body()).contains("\"headers_too_large\"").contains(" and 100 fields");
        }
        try (RawHttp c = new RawHttp(server.port(), 10_000)) {
            RawHttp.Answer a = c.write("GET /api/health?pad=" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: lorafab\r\n\r\n").read();
            assertThat(a.status()).isEqualTo(414);
            assertThat(a.body()).contains("\"uri_too_long\"").doesNotContain("aaaa");
        }
        healthAnswersWithin(1000);
    }
}
