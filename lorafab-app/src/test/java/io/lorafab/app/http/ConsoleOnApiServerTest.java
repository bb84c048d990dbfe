package io.lorafab.app.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.app.wiring.Lorafab;
import io.lorafab.app.wiring.PemCredentials;
import io.lorafab.app.wiring.TestPki;
import io.lorafab.app.wiring.TlsContexts;
import io.lorafab.app.wiring.WebConsole;
import io.lorafab.console.Console;
import io.lorafab.store.model.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web console installed on the real API server as {@code lorafab server} installs it: its pages pass the API's
 * bearer check by (they have the console's own session), the API keeps its own, and over TLS the session cookie is
 * Secure.
 */
class ConsoleOnApiServerTest {
    @TempDir
    Path dataDir;
    Lorafab lf;
    ApiServer server;

    @BeforeEach
    void open() {
        lf = Lorafab.open(null, dataDir, Map.of(), Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        lf.close();
    }

    @Test
    void overTlsTheSessionCookieIsSecureAndTheApiStillWantsItsToken() throws Exception {
        PemCredentials identity = TlsContexts.readPem("--tls-cert", TestPki.shared().file("server-ec-chain.pem"), "--tls-key",
                TestPki.shared().file("server-ec.key"));
        server = new ApiServer(lf, "127.0.0.1", 0, 4, TlsContexts.server(identity, null).configurator());
        WebConsole.install(server, lf);
        server.start();
        String base = "https://127.0.0.1:" + server.port();
        SSLContext trust = TlsContexts.client(TlsContexts.readCertificates("--ca-cert", TestPki.shared().file("ca.pem")), null);
        HttpClient http = HttpClient.newBuilder().sslContext(trust).followRedirects(HttpClient.Redirect.NEVER).build();

        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/console/sign-in")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        String pre = page.headers().firstValue("Set-Cookie").orElseThrow();
        assertThat(pre).contains("; Secure");
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page.body());
        assertThat(m.find()).isTrue();
        String token = lf.tokens().create("eng", Role.ENGINEER, "t").secret();
        HttpResponse<String> signedIn = http.send(HttpRequest.newBuilder(URI.create(base + "/console/sign-in"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Cookie", pre.substring(0, pre.indexOf(';')))
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + m.group(1) + "&token=" + token)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(signedIn.statusCode()).isEqualTo(303);
        String session = signedIn.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(Console.SESSION_COOKIE + "=")).findFirst().orElseThrow();
        assertThat(session).contains("; HttpOnly", "; SameSite=Strict", "; Path=/console", "; Secure");

        HttpResponse<String> products = http.send(HttpRequest.newBuilder(URI.create(base + "/console/products"))
                .header("Cookie", session.substring(0, session.indexOf(';'))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(products.statusCode()).isEqualTo(200);
        assertThat(products.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));

        // the console's session is no API credential: the API answers as before
        HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create(base + "/api/products"))
                .header("Cookie", session.substring(0, session.indexOf(';'))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(api.body()).contains("\"error\"");
    }

    @Test
    void onTheRealServerAFormsRefusalIsTheApisMessageAndAnUploadIsCheckedByLine() throws Exception {
        server = new ApiServer(lf, "127.0.0.1", 0, 4, null);
        WebConsole.install(server, lf);
        server.start();
        String base = "http://127.0.0.1:" + server.port();
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        String token = lf.tokens().create("eng", Role.ENGINEER, "t").secret();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(base + "/console/sign-in")).build(),
                HttpResponse.BodyHandlers.ofString());
        String pre = page.headers().firstValue("Set-Cookie").orElseThrow();
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page.body());
        assertThat(m.find()).isTrue();
        HttpResponse<String> signedIn = http.send(HttpRequest.newBuilder(URI.create(base + "/console/sign-in"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", pre.substring(0, pre.indexOf(';')))
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + m.group(1) + "&token=" + token)).build(),
                HttpResponse.BodyHandlers.ofString());
        String session = signedIn.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith(Console.SESSION_COOKIE + "=")).findFirst().orElseThrow();
        String cookie = session.substring(0, session.indexOf(';'));
        HttpResponse<String> form = http.send(HttpRequest.newBuilder(URI.create(base + "/console/products/new"))
                .header("Cookie", cookie).build(), HttpResponse.BodyHandlers.ofString());
        Matcher c = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(form.body());
        assertThat(c.find()).isTrue();
        String csrf = c.group(1);

        HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create(base + "/api/products"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"p\",\"joinEui\":\"70b3d57ed00000zz\",\"macVersion\":\"1.0.3\","
                        + "\"region\":\"EU868\",\"profileId\":\"0000ffff\"}")).build(), HttpResponse.BodyHandlers.ofString());
        String apiMessage = new com.fasterxml.jackson.databind.ObjectMapper().readTree(api.body()).at("/error/message").asText();
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(base + "/console/products/new"))
                .header("Cookie", cookie).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("_csrf=" + csrf + "&name=p&joinEui=70b3d57ed00000zz&macVersion=1.0.3"
                        + "&region=EU868&profileId=0000ffff")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(422);
        assertThat(apiMessage).startsWith("field 'joinEui'");
        assertThat(refused.body()).contains("id=\"form-error\" role=\"alert\">" + apiMessage + "<");

        String key = "00112233445566778899aabbccddeeff";
        String body = "--b\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + csrf + "\r\n"
                + "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"d.csv\"\r\nContent-Type: text/csv\r\n\r\n"
                + "dev_eui,join_eui,app_key\n0004a30b001c0530,zz," + key + "\n\r\n--b--\r\n";
        HttpResponse<String> checked = http.send(HttpRequest.newBuilder(URI.create(base + "/console/devices/import"))
                .header("Cookie", cookie).header("Content-Type", "multipart/form-data; boundary=b")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(checked.statusCode()).isEqualTo(422);
        assertThat(checked.body()).contains("join_eui", "1 rejected row").doesNotContain(key);
        assertThat(lf.provisioning().units(new io.lorafab.store.model.UnitQuery(null, null, null, null, 0, 10))).isEmpty();
    }
}
