package io.lorafab.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.lorafab.app.wiring.JoinServerRuntime;
import io.lorafab.app.wiring.Lorafab;
import io.lorafab.joinserver.JoinServerConfig;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.store.join.RadioEvent;
import io.lorafab.store.model.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Long-polls for radio events hold no HTTP worker: a server with two workers keeps answering while ten stations
 * wait, and each waiting station is answered when its own device's event is recorded, or empty at its wait's end.
 */
class EventLongPollTest {

    @TempDir
    Path dir;

    Lorafab lf;
    ApiServer api;
    JoinServerRuntime js;
    String token;
    final HttpClient http = HttpClient.newHttpClient();
    final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void start() throws Exception {
        lf = Lorafab.open(null, dir, Map.of(), Clock.systemUTC());
        api = new ApiServer(lf, "127.0.0.1", 0, 2);
        js = new JoinServerRuntime(lf, JoinServerConfig.defaults(), null, null, api);
        api.start();
        token = lf.tokens().create("poller", Role.OPERATOR, "test").secret();
    }

    @AfterEach
    void stop() {
        js.close();
        api.close();
        lf.close();
    }

    CompletableFuture<HttpResponse<String>> get(String path) {
        return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
                .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static Eui64 device(int i) {
        return Eui64.of(0x70b3d57ed00b0000L + i);
    }

    @Test
    void waitingStationsDoNotStarveTheServerAndEachIsWokenByItsOwnDevice() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            polls.add(get("/api/events?devEui=" + device(i) + "&wait=20"));
        }
        // with two workers, a server that parked a worker per poll could not answer this
        HttpResponse<String> health = get("/api/health").get(10, TimeUnit.SECONDS);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(polls).noneMatch(CompletableFuture::isDone);

        RadioEvent e = lf.joinStore().record(RadioEvent.of(device(3), "join_accepted", null, null, -70, 7.5, 868_100_000L, "SF7BW125", null));
        lf.events().publish(e);
        JsonNode page = json.readTree(polls.get(3).get(10, TimeUnit.SECONDS).body());
        assertThat(page.get("events")).hasSize(1);
        assertThat(page.get("events").get(0).get("kind").asText()).isEqualTo("join_accepted");
        assertThat(page.get("last").asLong()).isEqualTo(e.id());
        for (int i = 0; i < 10; i++) {
            if (i != 3) {
                assertThat(polls.get(i)).as("poll of device %d", i).isNotDone();
            }
        }
    }

    @Test
    void anEventRecordedByAnotherProcessIsFoundByTheSweep() throws Exception {
        CompletableFuture<HttpResponse<String>> poll = get("/api/events?devEui=" + device(1) + "&wait=20");
        assertThat(get("/api/health").get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        // recorded in the database without this process's event bus hearing of it
        lf.joinStore().record(RadioEvent.of(device(1), "uplink_verified", null, null, -71, 6.0, 868_300_000L, "SF7BW125", null));
        assertThat(json.readTree(poll.get(10, TimeUnit.SECONDS).body()).get("events")).hasSize(1);
    }

    @Test
    void aWaitThatEndsAnswersEmptyAndBadInputIsRefusedAtOnce() throws Exception {
        JsonNode page = json.readTree(get("/api/events?devEui=" + device(2) + "&after=5&wait=1").get(10, TimeUnit.SECONDS).body());
        assertThat(page.get("events")).isEmpty();
        assertThat(page.get("last").asLong()).isEqualTo(5);
        HttpResponse<String> bad = get("/api/events?devEui=nothex&wait=5").get(10, TimeUnit.SECONDS);
        assertThat(bad.statusCode()).isEqualTo(400);
    }

    @Test
    void closingTheServerAnswersWaitingPolls() throws Exception {
        CompletableFuture<HttpResponse<String>> poll = get("/api/events?devEui=" + device(4) + "&wait=30");
        assertThat(get("/api/health").get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        js.close();
        assertThat(json.readTree(poll.get(10, TimeUnit.SECONDS).body()).get("events")).isEmpty();
    }
}
