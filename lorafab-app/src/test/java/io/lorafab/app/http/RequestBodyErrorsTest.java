package io.lorafab.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.app.wiring.Lorafab;
import io.lorafab.store.model.Role;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every route reads its body into its request record in one place ({@link RequestBodies}), so one table covers them
 * all: JSON that is malformed or not an object is 400 {@code bad_json}; a required field absent or null, or a field
 * of the wrong JSON type, is 400 {@code invalid_input} naming the field; every message is a line for a person with
 * no class or library in it. Over a real server and real sockets.
 */
class RequestBodyErrorsTest {
    private static final String UNIT = "/api/units/0004a30b001c0530";

    @TempDir
    static Path dir;

    static Lorafab lf;
    static ApiServer server;
    static ApiClient admin;

    @BeforeAll
    static void start() throws Exception {
        lf = Lorafab.open(null, dir, Map.of(), Clock.systemUTC());
        server = new ApiServer(lf, "127.0.0.1", 0, 4);
        server.start();
        admin = new ApiClient("http://127.0.0.1:" + server.port(), lf.tokens().create("admin", Role.ADMIN, "test").secret());
    }

    @AfterAll
    static void stop() {
        server.close();
        lf.close();
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                // a field of the wrong JSON type
                row("a string for an integer", "POST", "/api/orders", "{\"product\":\"sensor\",\"quantity\":\"5\"}",
                        "invalid_input", "field 'quantity' must be an integer"),
                row("a fraction for an integer", "POST", "/api/orders", "{\"product\":\"sensor\",\"quantity\":1.5}",
                        "invalid_input", "field 'quantity' must be an integer"),
                row("an integer out of range", "POST", "/api/orders", "{\"product\":\"sensor\",\"quantity\":99999999999}",
                        "invalid_input", "field 'quantity' must be an integer"),
                row("a number for a string", "POST", "/api/tokens", "{\"name\":5,\"role\":\"admin\"}",
                        "invalid_input", "field 'name' must be a string"),
                row("true for a string", "POST", "/api/tokens", "{\"name\":\"x\",\"role\":true}",
                        "invalid_input", "field 'role' must be a string"),
                row("an object for a string", "POST", UNIT + "/void", "{\"reason\":{\"why\":1}}",
                        "invalid_input", "field 'reason' must be a string"),
                row("a string for a number", "POST", "/api/products", "{\"name\":\"p\",\"joinEui\":\"70b3d57ed0000001\","
                        + "\"macVersion\":\"1.0.3\",\"region\":\"EU868\",\"profileId\":\"00000001\",\"rssiMinDbm\":\"-110\"}",
                        "invalid_input", "field 'rssiMinDbm' must be a number"),
                row("a string for an array", "PUT", "/api/products/p/net-ids", "{\"netIds\":\"000013\"}",
                        "invalid_input", "field 'netIds' must be an array"),
                row("a number in an array of strings", "PUT", "/api/products/p/net-ids", "{\"netIds\":[\"000013\",13]}",
                        "invalid_input", "field 'netIds[1]' must be a string"),
                row("an array for an object", "POST", UNIT + "/finish", "{\"result\":\"PASSED\",\"measurements\":[1]}",
                        "invalid_input", "field 'measurements' must be an object"),
                // a required field
                row("a required field absent", "POST", "/api/orders", "{\"quantity\":5}", "invalid_input", "missing field 'product'"),
                row("a required field null", "POST", "/api/orders", "{\"product\":null,\"quantity\":5}",
                        "invalid_input", "missing field 'product'"),
                row("a required number absent", "POST", "/api/orders", "{\"product\":\"sensor\"}",
                        "invalid_input", "missing field 'quantity'"),
                row("the second of two required fields", "POST", UNIT + "/retest", "{\"stationId\":\"line-1\"}",
                        "invalid_input", "missing field 'reason'"),
                // not an object
                row("an array", "POST", "/api/tokens", "[1,2]", "bad_json", "request body must be a JSON object"),
                row("a number", "POST", "/api/tokens", "5", "bad_json", "request body must be a JSON object"),
                row("a string", "POST", "/api/tokens", "\"admin\"", "bad_json", "request body must be a JSON object"),
                row("null", "POST", "/api/tokens", "null", "bad_json", "request body must be a JSON object"),
                row("no body where one is needed", "POST", "/api/tokens", "", "bad_json", "request body must be a JSON object"),
                row("an array where the body is optional", "POST", "/api/orders/WO-1/close", "[]", "bad_json",
                        "request body must be a JSON object"),
                // malformed
                row("JSON cut short", "POST", "/api/tokens", "{\"name\":", "bad_json", "the body is not valid JSON: "),
                row("not JSON", "POST", "/api/orders", "quantity=5", "bad_json", "the body is not valid JSON: "));
    }

    private static Arguments row(String name, String method, String path, String body, String code, String message) {
        return Arguments.of(name, method, path, body, code, message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refusals")
    void aBodyThatDoesNotFitItsRecordIsRefusedWithOneLineNamingTheField(String name, String method, String path, String body,
            String code, String message) {
        ApiClient.Reply r = admin.send(method, path, body);

        assertThat(r.status()).as(name).isEqualTo(400);
        assertThat(r.code()).as(name).isEqualTo(code);
        String shown = r.json().at("/error/message").asText();
        if (message.endsWith(": ")) {
            assertThat(shown).as(name).startsWith(message);
        } else {
            assertThat(shown).as(name).isEqualTo(message);
        }
        assertThat(shown).as(name).doesNotContainPattern("(?i)jackson|fasterxml|exception|java\\.|io\\.lorafab|\\bclass\\b|\\n");
    }

    @Test
    void fieldsTheRecordDoesNotKnowAreIgnored() {
        ApiClient.Reply r = admin.post("/api/tokens", "{\"name\":\"line-7\",\"role\":\"operator\",\"colour\":\"blue\",\"n\":[1]}");

        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().get("name").asText()).isEqualTo("line-7");
        assertThat(r.json().has("colour")).isFalse();
    }

    @Test
    void anOptionalBodyMayBeLeftOut() {
        ApiClient.Reply r = admin.post("/api/keys/rotate", "");

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("label").asText()).isNotBlank();
    }
}
