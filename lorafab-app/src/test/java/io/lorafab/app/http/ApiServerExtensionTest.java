package io.lorafab.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.app.wiring.Lorafab;
import io.lorafab.store.model.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The places the web console will use (issue 12): static files from the class path folder {@code /console},
 * server-sent events and websockets added through {@link ApiServer#extend}, and the API's token check on an added
 * route that carries an {@link ApiServer.Access} role. The test class path holds {@code console/probe.txt}.
 */
class ApiServerExtensionTest {

    @TempDir
    Path dataDir;

    Lorafab lf;
    ApiServer server;
    String operator;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws Exception {
        lf = Lorafab.open(null, dataDir, Map.of(), Clock.systemUTC());
        operator = lf.tokens().create("screen", Role.OPERATOR, "test").secret();
        server = new ApiServer(lf, "127.0.0.1", 0, 2);
        server.extend(config -> {
            config.routes.sse("/api/test-events", client -> {
                client.sendEvent("verdict", "PASS");
                client.close();
            }, new ApiServer.Access(Role.OPERATOR, ApiServer.Body.NONE, "GET /api/test-events"));
            config.routes.ws("/ws/echo", ws -> ws.onMessage(ctx -> ctx.send("echo " + ctx.message())));
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
        lf.close();
    }

    HttpResponse<String> get(String path, String token, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (accept != null) {
            b.header("Accept", accept);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void staticFilesAreServedFromTheConsoleFolderOnTheClassPath() throws Exception {
        HttpResponse<String> r = get("/console/probe.txt", null, null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("console placeholder");
        assertThat(get("/console/missing.txt", null, null).statusCode()).isEqualTo(404);
    }

    @Test
    void anAddedServerSentEventsRouteStreamsEventsBehindTheApisTokenCheck() throws Exception {
        HttpResponse<String> refused = get("/api/test-events", null, "text/event-stream");
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(refused.body()).contains("\"unauthenticated\"");

        HttpResponse<String> r = get("/api/test-events", operator, "text/event-stream");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        assertThat(r.body()).contains("event: verdict").contains("data: PASS");
    }

    @Test
    void anAddedWebsocketAnswers() throws Exception {
        CompletableFuture<String> received = new CompletableFuture<>();
        WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/ws/echo"),
                new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
                        received.complete(data.toString());
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        ws.sendText("station 1", true).get(10, TimeUnit.SECONDS);
        assertThat(received.get(10, TimeUnit.SECONDS)).isEqualTo("echo station 1");
        ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
    }
}
