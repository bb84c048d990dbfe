package io.lorafab.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.lorawan.types.Eui64;
import io.lorafab.provisioning.service.AuditTrail;
import io.lorafab.provisioning.service.EuiBlocks;
import io.lorafab.provisioning.service.ReserveRequest;
import io.lorafab.store.model.Assignment;
import io.lorafab.store.model.Product;
import io.lorafab.store.model.Role;
import io.lorafab.store.model.TestResult;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engineer's pages on the wire: missing things, bad input, the actions' CSRF and confirmation, the label image. */
class EngineerPagesHttpTest {
    @TempDir
    Path dir;
    ConsoleFixture f;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    Eui64 failed;

    @BeforeEach
    void start() {
        f = new ConsoleFixture(dir);
        f.product("sensor");
        Product p = f.products.all().get(0);
        new EuiBlocks(f.registry).create(EuiBlocks.describe("b", Assignment.MA_S, "70b3d57ed", null, 100_000L), null, "test");
        f.workOrders.create("WO-1", p, 5, "test");
        failed = f.provisioning.reserve(new ReserveRequest("WO-1", "st-1", null, null), "test").unit().devEui();
        f.provisioning.markProgrammed(failed, "st-1", "test");
        f.provisioning.finish(failed, TestResult.FAILED, "join_not_heard", "{\"joinMs\":900}", "st-1", "test");
    }

    @AfterEach
    void stop() {
        f.close();
    }

    HttpResponse<String> get(String path, String cookies) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(f.base + path)).header("Cookie", cookies).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String cookies, String form) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(f.base + path)).header("Cookie", cookies)
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    record Session(String cookie, String csrf) {
    }

    Session signIn(Role role) throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(f.base + "/console/sign-in")).build(),
                HttpResponse.BodyHandlers.ofString());
        String pre = value(cookie(page, Console.PRESESSION_COOKIE));
        HttpResponse<String> r = post("/console/sign-in", Console.PRESESSION_COOKIE + "=" + pre, "_csrf=" + field(page.body(), "_csrf")
                + "&token=" + URLEncoder.encode(f.token("p-" + role.name(), role), StandardCharsets.UTF_8));
        String session = Console.SESSION_COOKIE + "=" + value(cookie(r, Console.SESSION_COOKIE));
        return new Session(session, field(get("/console/products", session).body(), "_csrf"));
    }

    static String cookie(HttpResponse<?> r, String name) {
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(name + "=")).findFirst().orElseThrow();
    }

    static String value(String setCookie) {
        return setCookie.substring(setCookie.indexOf('=') + 1, setCookie.indexOf(';'));
    }

    static String field(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]+)\"").matcher(html);
        assertThat(m.find()).as("field " + name).isTrue();
        return m.group(1);
    }

    long retests() {
        return f.auditTrail.find(new AuditTrail.Filter(null, "unit.retest", null, null, null, null), n -> n).size();
    }

    @Test
    void aMissingUnitOrOrderOrAMalformedDevEuiIsTheConsolesNotFoundPageInPlainWords() throws Exception {
        Session s = signIn(Role.ENGINEER);
        HttpResponse<String> r = get("/console/units/70b3d57ed0ffffff", s.cookie());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("There is no unit 70b3d57ed0ffffff.");
        r = get("/console/units/not-a-eui", s.cookie());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("is not a DevEUI (16 hex digits).").doesNotContain("Exception");
        r = get("/console/orders/WO-9", s.cookie());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("There is no work order WO-9.");
    }

    @Test
    void theCsvOfABadFilterIsRefusedInOneLineAndAGoodOneIsAnAttachment() throws Exception {
        Session s = signIn(Role.ENGINEER);
        HttpResponse<String> bad = get("/console/orders/WO-1/units.csv?state=BROKEN", s.cookie());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body().strip()).startsWith("state: 'BROKEN' is not a state").doesNotContain("\n");
        HttpResponse<String> ok = get("/console/orders/WO-1/units.csv?state=FAILED", s.cookie());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.headers().firstValue("Content-Disposition")).contains("attachment; filename=\"WO-1-units.csv\"");
        assertThat(ok.body().lines().toList()).hasSize(2).element(1).asString().startsWith(failed + ",");
        // the form shows the filter it was given (its address is the filtered view)
        assertThat(get("/console/orders/WO-1?state=FAILED&reason=join_not_heard", s.cookie()).body())
                .contains("<option value=\"FAILED\" selected>", "<option value=\"join_not_heard\" selected>",
                        "href=\"/console/orders/WO-1/units.csv?state=FAILED&amp;reason=join_not_heard\"");
        // the page with the same filter says so too, without an error page
        HttpResponse<String> page = get("/console/orders/WO-1?state=BROKEN", s.cookie());
        assertThat(page.statusCode()).isEqualTo(400);
        assertThat(page.body()).contains("id=\"filter-error\"", "is not a state");
    }

    @Test
    void theNewProductFormTakesTheCertificationProfileItsDataRatesAndFirmwareVersion() throws Exception {
        Session s = signIn(Role.ENGINEER);
        String form = get(ProductsPage.NEW, s.cookie()).body();
        assertThat(form).contains("type=\"checkbox\" id=\"f-certificationProfile\" name=\"certificationProfile\" value=\"true\"",
                "name=\"certificationDataRates\"", "name=\"certificationFirmwareVersion\"");
        String fields = "_csrf=" + s.csrf() + "&name=meter-ts009&joinEui=70B3D57ED000000C&macVersion=1.0.3&region=EU868"
                + "&profileId=12340001&certificationProfile=true&certificationFirmwareVersion=1.4.2&certificationDataRates=";

        // a data rate the region lacks: the form again, with the service's words and the ticked box kept
        HttpResponse<String> refused = post(ProductsPage.NEW, s.cookie(), fields + URLEncoder.encode("5, 12", StandardCharsets.UTF_8));
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(refused.body()).contains("DR12 is not an uplink data rate of EU868").contains("checked");
        assertThat(f.products.all()).noneMatch(p -> p.name().equals("meter-ts009"));

        HttpResponse<String> created = post(ProductsPage.NEW, s.cookie(), fields + URLEncoder.encode("5, 3", StandardCharsets.UTF_8));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(303);
        Product p = f.products.all().stream().filter(x -> x.name().equals("meter-ts009")).findFirst().orElseThrow();
        assertThat(p.certificationProfile()).isTrue();
        assertThat(p.certificationDataRates()).containsExactly(5, 3);
        assertThat(p.certificationFirmwareVersion()).isEqualTo("1.4.2");
    }

    @Test
    void aReTestNeedsTheCsrfTokenThenAConfirmationBeforeAnythingIsDone() throws Exception {
        Session s = signIn(Role.ENGINEER);
        String path = "/console/units/" + failed + "/retest";
        HttpResponse<String> noToken = post(path, s.cookie(), "station=st-2&reason=cable");
        assertThat(noToken.statusCode()).isEqualTo(403);
        HttpResponse<String> ask = post(path, s.cookie(), "_csrf=" + s.csrf() + "&station=st-2&reason=cable");
        assertThat(ask.statusCode()).isEqualTo(200);
        assertThat(ask.body()).contains("Re-test unit?", "name=\"confirm\" value=\"yes\"");
        assertThat(retests()).isZero();
        HttpResponse<String> done = post(path, s.cookie(), "_csrf=" + s.csrf() + "&station=st-2&reason=cable&confirm=yes");
        assertThat(done.statusCode()).isEqualTo(303);
        assertThat(done.headers().firstValue("Location")).contains("/console/units/" + failed);
        assertThat(retests()).isEqualTo(1);
        assertThat(f.registry.unit(failed).orElseThrow().stationId()).isEqualTo("st-2");
    }

    @Test
    void theLabelPreviewIsAPngOfTheUnitsQrCodeAndItsPdfIsOfferedOnlyForAUnitThatMayBeLabelled() throws Exception {
        Session s = signIn(Role.ENGINEER);
        HttpResponse<byte[]> png = http.send(HttpRequest.newBuilder(URI.create(f.base + "/console/units/" + failed + "/label.png"))
                .header("Cookie", s.cookie()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(png.statusCode()).isEqualTo(200);
        assertThat(png.headers().firstValue("Content-Type")).contains("image/png");
        assertThat(new String(png.body(), 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        String page = get("/console/units/" + failed, s.cookie()).body();
        // a FAILED unit's label would pass it off as good: previewed, but not offered for print
        assertThat(page).contains("id=\"label-note\"").doesNotContain("label.pdf");
    }

    @Test
    void anOperatorDoesNotSeeTheEngineersPages() throws Exception {
        Session s = signIn(Role.OPERATOR);
        for (String p : new String[] {"/console/line", "/console/orders", "/console/orders/WO-1", "/console/units/" + failed,
                "/console/gateways"}) {
            assertThat(get(p, s.cookie()).statusCode()).as(p).isEqualTo(403);
        }
    }
}
