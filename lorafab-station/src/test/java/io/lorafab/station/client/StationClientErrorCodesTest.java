package io.lorafab.station.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpServer;
import io.lorafab.api.ErrorCode;
import io.lorafab.station.client.StationApiClient;
import io.lorafab.station.client.StationApiException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How the station's client reads the server's {@code {"error":{"code":...}}} into an {@link ErrorCode}, including
 * what this server never sends but a newer server or a proxy in between does: a code this client does not know, an
 * error page that is not JSON. The answers come from a small HTTP server on a real socket, as lorafab's own server
 * cannot be made to send a code it does not have.
 */
class StationClientErrorCodesTest {

    record Answer(int status, String contentType, String body) {
    }

    HttpServer server;
    volatile Answer answer;
    StationApiClient client;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            byte[] b = answer.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", answer.contentType());
            ex.sendResponseHeaders(answer.status(), b.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        });
        server.start();
        client = new StationApiClient("http://127.0.0.1:" + server.getAddress().getPort(), "secret", "station-1");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    StationApiException refusal(Answer a) {
        answer = a;
        return catchThrowableOfType(StationApiException.class, () -> client.reserve("WO-1", null));
    }

    static Answer json(int status, String code, String message) {
        return new Answer(status, "application/json", "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}}");
    }

    @Test
    void everyCodeTheServerSendsIsReadAsItsConstant() {
        for (ErrorCode c : List.of(ErrorCode.WORK_ORDER_FULL, ErrorCode.EUI_OUT_OF_RANGE, ErrorCode.NOT_FOUND, ErrorCode.BUSY)) {
            StationApiException e = refusal(json(c.httpStatus(), c.code(), "refused"));
            assertThat(e.code()).isEqualTo(c);
            assertThat(e.wireCode()).isEqualTo(c.code());
            assertThat(e.status()).isEqualTo(c.httpStatus());
            assertThat(e.getMessage()).isEqualTo("refused");
        }
    }

    @Test
    void aCodeFromANewerServerIsUnknownErrorWithTheServersWordKept() {
        StationApiException e = refusal(json(429, "quota_exceeded", "the line's quota for today is used up"));
        assertThat(e.code()).isEqualTo(ErrorCode.UNKNOWN_ERROR);
        assertThat(e.wireCode()).isEqualTo("quota_exceeded");
        assertThat(e.status()).isEqualTo(429);
        assertThat(e.getMessage()).isEqualTo("the line's quota for today is used up");
    }

    @Test
    void anErrorAnswerWithoutACodeIsUnknownErrorNamedByItsStatus() {
        StationApiException page = refusal(new Answer(502, "text/html", "<html><body>Bad Gateway</body></html>"));
        assertThat(page.code()).isEqualTo(ErrorCode.UNKNOWN_ERROR);
        assertThat(page.wireCode()).isEqualTo("http_502");
        assertThat(page.getMessage()).isEqualTo("HTTP 502");
        StationApiException notAnObject = refusal(new Answer(400, "application/json", "{\"error\":{\"code\":17}}"));
        assertThat(notAnObject.code()).isEqualTo(ErrorCode.UNKNOWN_ERROR);
    }

    @Test
    void aSuccessThatIsNotJsonIsABadResponse() {
        StationApiException e = refusal(new Answer(200, "text/plain", "hello"));
        assertThat(e.code()).isEqualTo(ErrorCode.BAD_RESPONSE);
        assertThat(e.status()).isEqualTo(200);
    }

    @Test
    void aServerThatIsGoneIsUnreachable() {
        server.stop(0);
        StationApiException e = catchThrowableOfType(StationApiException.class, () -> client.reserve("WO-1", null));
        assertThat(e.code()).isEqualTo(ErrorCode.UNREACHABLE);
        assertThat(e.status()).isZero();
    }
}
