package io.lorafab.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.app.wiring.Lorafab;
import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.ProfileId;
import io.lorafab.store.model.AuditEvent;
import io.lorafab.store.model.Assignment;
import io.lorafab.store.model.NewEuiBlock;
import io.lorafab.store.model.NewProduct;
import io.lorafab.store.model.Role;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reservation route is served on Jetty's own request API, in front of Javalin ({@link ApiServer#CORE_ROUTES}):
 * over real sockets, it answers exactly as a route served through Javalin does, at every step of the pipeline.
 */
class CoreRouteTest {
    static final String RESERVE = "/api/orders/WO-1/reserve";

    @TempDir
    Path dataDir;

    Lorafab lf;
    ApiServer server;
    String operator;
    String networkServer;

    @BeforeEach
    void start() throws IOException {
        lf = Lorafab.open(null, dataDir, Map.of(), Clock.systemUTC());
        var p = lf.registry().createProduct(new NewProduct("sensor", Eui64.parse("70b3d57ed0000001"), MacVersion.V1_0_3,
                Region.byName("EU868"), new ProfileId(1, 1), null, null, null));
        lf.registry().createEuiBlock(new NewEuiBlock("b1", p.id(), Assignment.MA_S, "70b3d57ed", null, 0));
        lf.registry().createWorkOrder("WO-1", p.id(), 100);
        operator = lf.tokens().create("line-1", Role.OPERATOR, "test").secret();
        networkServer = lf.tokens().create("000013", Role.NETWORK_SERVER, "test").secret();
        server = new ApiServer(lf, "127.0.0.1", 0, 4);
        server.start();
    }

    @AfterEach
    void stop() {
        server.close();
        lf.close();
    }

    static String post(String path, String token, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        return "POST " + path + " HTTP/1.1\r\nHost: lorafab\r\n" + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
                + "Content-Type: application/json\r\nContent-Length: " + b.length + "\r\n\r\n" + body;
    }

    static String header(RawHttp.Answer a, String name) {
        for (String line : a.headers().split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }

    @Test
    void aReservationIsAnswered201WithTheSameHeadersAsARouteServedThroughJavalin() throws IOException {
        try (RawHttp c = new RawHttp(server.port(), 5000)) {
            RawHttp.Answer reserved = c.write(post(RESERVE, operator, "{\"stationId\":\"st-1\"}")).read();
            assertThat(reserved.status()).isEqualTo(201);
            assertThat(reserved.body()).contains("\"devEui\":\"70b3d57ed").contains("\"appKey\"").contains("\"order\":\"WO-1\"")
                    .contains("\"product\":\"sensor\"");
            // a route of Javalin's on the same connection (kept alive): the same content type and cache rule
            RawHttp.Answer order = c.write("GET /api/orders/WO-1 HTTP/1.1\r\nHost: lorafab\r\nAuthorization: Bearer " + operator
                    + "\r\n\r\n").read();
            assertThat(order.status()).isEqualTo(200);
            for (String name : List.of("Content-Type", "Cache-Control")) {
                assertThat(header(reserved, name)).as(name).isEqualTo(header(order, name));
            }
            assertThat(header(reserved, "Content-Length")).isEqualTo(Integer.toString(reserved.body().getBytes(StandardCharsets.UTF_8).length));
            assertThat(header(reserved, "Server")).isNull();
            // and the next reservation on it again, another unit
            RawHttp.Answer next = c.write(post(RESERVE, operator, "{\"stationId\":\"st-1\"}")).read();
            assertThat(next.status()).isEqualTo(201);
            assertThat(next.body()).contains("\"state\":\"RESERVED\"");
        }
        assertThat(lf.registry().units(io.lorafab.store.model.UnitQuery.all())).hasSize(2);
    }

    @Test
    void withoutATokenOrWithOneOfAnotherRoleTheReservationIsRefused401Or403AndAudited() throws IOException {
        try (RawHttp c = new RawHttp(server.port(), 5000)) {
            RawHttp.Answer none = c.write(post(RESERVE, null, "{\"stationId\":\"st-1\"}")).read();
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.body()).contains("\"unauthenticated\"");
        }
        try (RawHttp c = new RawHttp(server.port(), 5000)) {
            RawHttp.Answer unknown = c.write(post(RESERVE, "lft_" + "A".repeat(43), "{\"stationId\":\"st-1\"}")).read();
            assertThat(unknown.status()).isEqualTo(401);
        }
        try (RawHttp c = new RawHttp(server.port(), 5000)) {
            RawHttp.Answer forbidden = c.write(post(RESERVE, networkServer, "{\"stationId\":\"st-1\"}")).read();
            assertThat(forbidden.status()).isEqualTo(403);
            assertThat(forbidden.body()).contains("\"forbidden\"").contains("operator");
        }
        List<String> actions = lf.registry().auditLog(20).stream().map(AuditEvent::action).toList();
        assertThat(actions).contains("auth.unauthenticated", "auth.forbidden");
        assertThat(lf.registry().auditLog(20).stream().filter(e -> e.action().startsWith("auth."))
                .allMatch(e -> e.subject().equals("POST " + RESERVE))).isTrue();
        assertThat(lf.registry().units(io.lorafab.store.model.UnitQuery.all())).isEmpty();
    }

    @Test
    void aBodyDeclaredOverTheJsonLimitIsRefused413BeforeItIsSentAndTheConnectionIsClosed() throws IOException {
        try (RawHttp c = new RawHttp(server.port(), 5000)) {
            c.write("POST " + RESERVE + " HTTP/1.1\r\nHost: lorafab\r\nAuthorization: Bearer " + operator
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + (1 << 20) + "\r\n\r\n{");
            RawHttp.Answer a = c.read();
            assertThat(a.status()).isEqualTo(413);
            assertThat(a.body()).contains("\"payload_too_large\"").contains("64 KiB");
            assertThat(header(a, "Connection")).isEqualToIgnoringCase("close");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @Test
    void malformedJsonAMissingFieldAndAnUnknownOrderGetTheApisErrorAnswers() throws IOException {
        try (RawHttp c = new RawHttp(server.port(), 5000)) {
            RawHttp.Answer bad = c.write(post(RESERVE, operator, "{\"stationId\":")).read();
            assertThat(bad.status()).isEqualTo(400);
            assertThat(bad.body()).contains("\"bad_json\"").doesNotContain("jackson").doesNotContain("Exception");
            RawHttp.Answer mistyped = c.write(post(RESERVE, operator, "{\"stationId\":5}")).read();
            assertThat(mistyped.status()).isEqualTo(400);
            assertThat(mistyped.body()).contains("\"invalid_input\"").contains("stationId");
            RawHttp.Answer unknown = c.write(post("/api/orders/WO-9/reserve", operator, "{\"stationId\":\"st-1\"}")).read();
            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.body()).contains("\"not_found\"").contains("WO-9");
        }
    }

    @Test
    void otherMethodsAndPathsBesideTheRouteAreJavalinsAsBefore405And404() throws IOException {
        // each on a connection of its own: a request refused before its body was read ends its connection
        try (RawHttp c = new RawHttp(server.port(), 5000)) {
            RawHttp.Answer get = c.write("GET " + RESERVE + " HTTP/1.1\r\nHost: lorafab\r\nAuthorization: Bearer " + operator
                    + "\r\n\r\n").read();
            assertThat(get.status()).isEqualTo(405);
            assertThat(get.body()).contains("\"method_not_allowed\"");
        }
        try (RawHttp c = new RawHttp(server.port(), 5000)) {
            RawHttp.Answer slash = c.write(post(RESERVE + "/", operator, "{\"stationId\":\"st-1\"}")).read();
            assertThat(slash.status()).isEqualTo(404);
        }
        assertThat(lf.registry().units(io.lorafab.store.model.UnitQuery.all())).isEmpty();
    }

    @Test
    void aTokenRevokedThroughTheApiIsRefusedAtOnceThoughItWasVerifiedAMomentBefore() throws IOException {
        var created = lf.tokens().create("line-2", Role.OPERATOR, "test");
        String admin = lf.tokens().create("admin", Role.ADMIN, "test").secret();
        try (RawHttp c = new RawHttp(server.port(), 5000)) {
            assertThat(c.write(post(RESERVE, created.secret(), "{\"stationId\":\"st-1\"}")).read().status()).isEqualTo(201);
            assertThat(c.write(post(RESERVE, created.secret(), "{\"stationId\":\"st-1\"}")).read().status()).isEqualTo(201);
            RawHttp.Answer revoked = c.write("DELETE /api/tokens/" + created.token().id() + " HTTP/1.1\r\nHost: lorafab\r\n"
                    + "Authorization: Bearer " + admin + "\r\n\r\n").read();
            assertThat(revoked.status()).isEqualTo(200);
            RawHttp.Answer refused = c.write(post(RESERVE, created.secret(), "{\"stationId\":\"st-1\"}")).read();
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.body()).contains("\"unauthenticated\"");
        }
        try (RawHttp c = new RawHttp(server.port(), 5000)) {
            // on a route served through Javalin too
            RawHttp.Answer order = c.write("GET /api/orders/WO-1 HTTP/1.1\r\nHost: lorafab\r\nAuthorization: Bearer "
                    + created.secret() + "\r\n\r\n").read();
            assertThat(order.status()).isEqualTo(401);
        }
        assertThat(lf.registry().units(io.lorafab.store.model.UnitQuery.all())).hasSize(2);
    }

    @Test
    void aPercentEncodedOrderReferenceIsReadDecodedAsJavalinReadsPathParameters() throws IOException {
        var p = lf.registry().productByName("sensor").orElseThrow();
        lf.registry().createWorkOrder("WO 2", p.id(), 10);
        try (RawHttp c = new RawHttp(server.port(), 5000)) {
            RawHttp.Answer a = c.write(post("/api/orders/WO%202/reserve", operator, "{\"stationId\":\"st-1\"}")).read();
            assertThat(a.status()).isEqualTo(201);
            assertThat(a.body().toLowerCase(Locale.ROOT)).contains("\"order\":\"wo 2\"");
        }
    }
}
