package io.lorafab.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.store.model.Role;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The console's HTTP rules seen on the wire: cookies, CSRF, headers, assets. */
class ConsoleHttpTest {
    @TempDir
    Path dir;
    ConsoleFixture f;
    final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeEach
    void start() {
        f = new ConsoleFixture(dir);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    HttpResponse<String> get(String path, String cookies) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(f.base + path)).GET();
        if (cookies != null) {
            b.header("Cookie", cookies);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> post(String path, String cookies, String form) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(f.base + path))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form));
        if (cookies != null) {
            b.header("Cookie", cookies);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
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

    /** Signs in through the form; the session cookie ("name=value") and the CSRF token of the next page. */
    record Session(String cookie, String csrf) {
    }

    Session signIn(String token) throws Exception {
        HttpResponse<String> page = get("/console/sign-in", null);
        String pre = cookie(page, Console.PRESESSION_COOKIE);
        HttpResponse<String> r = post("/console/sign-in", Console.PRESESSION_COOKIE + "=" + value(pre),
                "_csrf=" + field(page.body(), "_csrf") + "&token=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
        assertThat(r.statusCode()).isEqualTo(303);
        String session = Console.SESSION_COOKIE + "=" + value(cookie(r, Console.SESSION_COOKIE));
        HttpResponse<String> products = get("/console/products", session);
        return new Session(session, field(products.body(), "_csrf"));
    }

    @Test
    void theSessionCookieIsHttpOnlyStrictAndOnlyForTheConsole() throws Exception {
        HttpResponse<String> page = get("/console/sign-in", null);
        String pre = cookie(page, Console.PRESESSION_COOKIE);
        HttpResponse<String> r = post("/console/sign-in", Console.PRESESSION_COOKIE + "=" + value(pre),
                "_csrf=" + field(page.body(), "_csrf") + "&token=" + f.token("eng", Role.ENGINEER));
        String c = cookie(r, Console.SESSION_COOKIE);
        assertThat(c).contains("; Path=/console;", "; HttpOnly", "; SameSite=Strict", "; Max-Age=86400")
                .doesNotContain("Secure"); // plain http here; ConsoleTlsTest (lorafab-app) sees Secure over https
        assertThat(r.headers().firstValue("Location")).contains("/console/line");
    }

    @Test
    void aPostWithoutTheCsrfTokenIsRefusedAndChangesNothing() throws Exception {
        Session s = signIn(f.token("eng", Role.ENGINEER));
        long signOuts = signOuts();
        HttpResponse<String> r = post("/console/sign-out", s.cookie(), "");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.body()).contains("Nothing was changed");
        r = post("/console/sign-out", s.cookie(), "_csrf=" + s.csrf() + "x");
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(signOuts()).isEqualTo(signOuts);
        assertThat(get("/console/products", s.cookie()).statusCode()).isEqualTo(200); // still signed in
        // with the token, the same request signs out
        r = post("/console/sign-out", s.cookie(), "_csrf=" + s.csrf());
        assertThat(r.statusCode()).isEqualTo(303);
        assertThat(signOuts()).isEqualTo(signOuts + 1);
        assertThat(get("/console/products", s.cookie()).statusCode()).isEqualTo(302);
    }

    @Test
    void anHtmxPostCarriesTheCsrfTokenAsAHeader() throws Exception {
        Session s = signIn(f.token("eng", Role.ENGINEER));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(f.base + "/console/sign-out"))
                .header("Cookie", s.cookie()).header("HX-Request", "true").header(Console.CSRF_HEADER, s.csrf())
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(204);
        assertThat(r.headers().firstValue("HX-Redirect")).contains("/console/sign-in?ended=signed-out");
    }

    @Test
    void aSignInFormWithoutItsCsrfTokenIsRefused() throws Exception {
        String token = f.token("eng", Role.ENGINEER);
        HttpResponse<String> r = post("/console/sign-in", null, "token=" + token);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().allValues("Set-Cookie")).noneMatch(c -> c.startsWith(Console.SESSION_COOKIE));
        assertThat(r.body()).doesNotContain(token);
    }

    @Test
    void pagesAreNotCachedAndRunNoInlineScript() throws Exception {
        Session s = signIn(f.token("eng", Role.ENGINEER));
        for (String path : List.of("/console/sign-in", "/console/products", "/console/no-such-page")) {
            HttpResponse<String> r = get(path, path.endsWith("sign-in") ? null : s.cookie());
            assertThat(r.headers().firstValue("Content-Security-Policy")).as(path).contains(Console.CSP);
            assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            assertThat(r.headers().firstValue("Referrer-Policy")).contains("no-referrer");
            assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
            assertThat(r.body()).doesNotContainPattern("<script(?![^>]*\\bsrc=)").doesNotContain(" style=\"")
                    .doesNotContain("http://").doesNotContain("https://");
        }
        assertThat(get("/console/no-such-page", s.cookie()).statusCode()).isEqualTo(404);
    }

    @Test
    void everyAssetComesFromTheJarCachedForAYear() throws Exception {
        for (ConsoleAssets.Asset a : f.console.assets().all().values()) {
            HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(f.base + a.url())).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertThat(r.statusCode()).as(a.url()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(a.bytes());
            assertThat(r.headers().firstValue("Cache-Control")).contains("public, max-age=31536000, immutable");
        }
        assertThat(f.console.assets().url("htmx.min.js")).matches("/console/assets/[0-9a-f]{12}/htmx.min.js");
        assertThat(get("/console/assets/000000000000/htmx.min.js", null).statusCode()).isEqualTo(404);
    }

    @Test
    void homeSendsEachRoleToItsStartPage() throws Exception {
        assertThat(get("/console/", signIn(f.token("op", Role.OPERATOR)).cookie()).headers().firstValue("Location"))
                .contains("/console/stations");
        assertThat(get("/console/", signIn(f.token("adm", Role.ADMIN)).cookie()).headers().firstValue("Location"))
                .contains("/console/line");
        assertThat(get("/console/", null).headers().firstValue("Location")).contains("/console/sign-in");
    }

    long signOuts() {
        return f.registry.auditLog(1000).stream().filter(e -> e.action().equals("console.sign_out")).count();
    }
}
