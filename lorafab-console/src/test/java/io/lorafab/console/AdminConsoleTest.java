package io.lorafab.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.lorawan.region.Region;
import io.lorafab.lorawan.types.Eui64;
import io.lorafab.lorawan.types.MacVersion;
import io.lorafab.lorawan.types.ProfileId;
import io.lorafab.provisioning.io.DeviceExportFormat;
import io.lorafab.provisioning.io.ExportOptions;
import io.lorafab.provisioning.service.Reservation;
import io.lorafab.provisioning.service.ReserveRequest;
import io.lorafab.store.model.ApiToken;
import io.lorafab.store.model.Assignment;
import io.lorafab.store.model.AuditEvent;
import io.lorafab.store.model.NewEuiBlock;
import io.lorafab.store.model.NewProduct;
import io.lorafab.store.model.Product;
import io.lorafab.store.model.Role;
import io.lorafab.store.model.WorkOrder;
import io.lorafab.testkit.browser.Chromium;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The security officer's pages in a real Chromium over the real services: the audit log, tokens, keys, exports. No
 * page shows a unit's root key or the export KEK; only the exported file carries keys.
 */
class AdminConsoleTest extends BrowserTest {
    final List<byte[]> secrets = new ArrayList<>();
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        secrets.add(f.exportKek.kek());
    }

    void signIn(Chromium b, String token) {
        b.open(f.base + "/console/sign-in").type("#token", token).click("#sign-in");
    }

    /** An order of {@code n} units reserved and programmed at station st-1; their root keys join {@link #secrets}. */
    WorkOrder programmedOrder(String ref, int n) {
        Product p = f.products.create(new NewProduct("tracker-" + ref, Eui64.parse("70b3d57ed0000001"), MacVersion.V1_0_3,
                Region.byName("EU868"), new ProfileId(0xFFFF, 0x0001), "at:rak3172", -110.0, -7.5), null, "test");
        f.registry.createEuiBlock(new NewEuiBlock("b-" + ref, p.id(), Assignment.MA_S, "70b3d57ed",
                Eui64.parse("70b3d57ed0001000"), 1000));
        WorkOrder w = f.workOrders.create(ref, p, n, "test");
        for (int i = 0; i < n; i++) {
            Reservation r = f.provisioning.reserve(new ReserveRequest(ref, "st-1", null, null), "token:9:station-1");
            secrets.add(r.appKey().bytes());
            f.provisioning.markProgrammed(r.unit().devEui(), "st-1", "token:9:station-1");
        }
        return w;
    }

    List<String> column(String table, int col) {
        return browser.findAll(table + " tbody tr td:nth-child(" + col + ")").stream().map(WebElement::getText).toList();
    }

    void assertClean() {
        browser.assertNoSecrets(secrets);
    }

    @Test
    void anAdminFiltersTheAuditLogByActionAndByUnitAndPagesBack() {
        programmedOrder("WO-A", 3);
        Eui64 first = Eui64.parse("70b3d57ed0001000");
        f.registry.audit("cli:root", "note.test", "x", "<script>alert(1)</script> & more");
        signIn(browser, f.token("officer", Role.ADMIN));
        browser.open(f.base + "/console/audit");
        assertThat(browser.findAll("#audit tbody tr")).hasSizeGreaterThanOrEqualTo(8);
        // details are text, never markup
        assertThat(browser.text()).contains("<script>alert(1)</script> & more");
        assertThat(browser.source()).doesNotContain("<script>alert(1)</script>");

        browser.type("#action", "unit.reserve").click("#filter");
        assertThat(column("#audit", 4)).hasSize(3).containsOnly("unit.reserve");
        assertThat(browser.url()).contains("action=unit.reserve");
        browser.screenshot("audit");
        assertClean();

        browser.open(f.base + "/console/audit");
        browser.type("#unit", first.toString()).click("#filter");
        assertThat(column("#audit", 5)).containsOnly(first.toString());
        assertThat(column("#audit", 4)).containsExactly("unit.programmed", "unit.reserve");

        browser.type("#unit", "not-an-eui").click("#filter");
        assertThat(browser.find("#message").getText()).isEqualTo("unit: 'not-an-eui' is not a DevEUI (16 hex digits)");
        browser.open(f.base + "/console/audit?since=yesterday");
        assertThat(browser.find("#message").getText()).startsWith("since: 'yesterday' is not a time");

        // pages of 50, newest first; the older page goes on where the first stopped
        for (int i = 0; i < 60; i++) {
            f.registry.audit("cli:bulk", "bulk.test", "s" + i, null);
        }
        browser.open(f.base + "/console/audit?actor=cli%3Abulk");
        assertThat(column("#audit", 5)).hasSize(AdminPages.AUDIT_PAGE).startsWith("s59", "s58");
        browser.click("#older");
        assertThat(column("#audit", 5)).containsExactly("s9", "s8", "s7", "s6", "s5", "s4", "s3", "s2", "s1", "s0");
        assertThat(browser.findAll("#older")).isEmpty();
        browser.click("#newest");
        assertThat(column("#audit", 5)).startsWith("s59");
    }

    @Test
    void aCreatedTokensSecretIsShownOnceAndNotOnReloadOrBack() {
        signIn(browser, f.token("officer", Role.ADMIN));
        browser.open(f.base + "/console/tokens");
        browser.screenshot("tokens");
        browser.type("#name", "station-9");
        new Select(browser.find("#role")).selectByValue("operator");
        browser.click("#create-token");
        assertThat(browser.path()).startsWith("/console/tokens/created/");
        String secret = browser.find("#secret").getText();
        assertThat(f.tokens.authenticate(secret)).get().extracting(ApiToken::name, ApiToken::role)
                .containsExactly("station-9", Role.OPERATOR);
        assertThat(browser.url()).doesNotContain(secret);
        assertThat(browser.text()).contains("Copy it now: it will not be shown again.");
        browser.screenshot("token-created");

        browser.driver().navigate().refresh();
        assertThat(browser.findAll("#secret")).isEmpty();
        assertThat(browser.title()).startsWith("Token secret gone");
        browser.assertNotShown(List.of(secret));
        browser.driver().navigate().back();
        browser.driver().navigate().forward();
        browser.assertNotShown(List.of(secret));
        assertThat(f.tokens.all()).extracting(ApiToken::name).containsExactly("officer", "station-9"); // made once

        // a name refused by the service is shown on the form, the typed values kept
        browser.open(f.base + "/console/tokens");
        browser.type("#name", "x".repeat(101)).click("#create-token");
        assertThat(browser.find("#message").getText()).isEqualTo("token name: longer than 100 characters");
        assertThat(f.tokens.all()).hasSize(2);
    }

    @Test
    void revokingAnotherTokenEndsItsSignedInBrowserAndRevokingOnesOwnSignsOut() {
        String engineer = f.token("line-eng", Role.ENGINEER);
        long engineerId = f.tokens.authenticate(engineer).orElseThrow().id();
        try (Chromium other = new Chromium()) {
            signIn(other, engineer);
            other.open(f.base + "/console/products");
            assertThat(other.path()).isEqualTo("/console/products");

            signIn(browser, f.token("officer", Role.ADMIN));
            browser.open(f.base + "/console/tokens");
            browser.click("tr[data-token-id='" + engineerId + "'] a.revoke");
            assertThat(browser.findAll("#own-warning")).isEmpty();
            browser.click("#revoke");
            assertThat(browser.path()).isEqualTo("/console/tokens");
            assertThat(browser.find(".flash").getText()).contains("line-eng is revoked");
            assertThat(browser.findAll("tr[data-token-id='" + engineerId + "'] a.revoke")).isEmpty();
            AuditEvent revoked = f.registry.auditLog(1).get(0);
            assertThat(revoked.action()).isEqualTo("token.revoke");
            assertThat(revoked.subject()).isEqualTo("token:" + engineerId);

            other.open(f.base + "/console/products");
            assertThat(other.path()).isEqualTo("/console/sign-in");
            assertThat(other.find("#message").getText()).contains("revoked");
        }
        // one's own token: allowed, with a warning, and the next page is the sign-in page
        long own = f.tokens.all().stream().filter(t -> t.name().equals("officer")).findFirst().orElseThrow().id();
        browser.open(f.base + "/console/tokens/" + own + "/revoke");
        assertThat(browser.find("#own-warning").getText()).contains("This is the token of your own session.");
        browser.click("#revoke");
        assertThat(browser.path()).isEqualTo("/console/sign-in");
        assertThat(browser.find("#message").getText()).contains("revoked");
    }

    static final List<String> ADMIN_PAGES = List.of("/console/audit", "/console/tokens", "/console/tokens/1/revoke",
            "/console/keys", "/console/keys/rotate", "/console/exports", "/console/exports/confirm?format=csv");

    @Test
    void anOperatorAndAnEngineerAreRefusedEveryAdminPageAndDoNotSeeThemInTheMenu() throws Exception {
        for (Role role : List.of(Role.OPERATOR, Role.ENGINEER)) {
            browser.driver().manage().deleteAllCookies();
            signIn(browser, f.token("not-admin-" + role.display(), role));
            assertThat(browser.findAll("header nav a").stream().map(WebElement::getText).toList())
                    .doesNotContain("Audit", "Tokens", "Keys", "Exports");
            for (String page : ADMIN_PAGES) {
                browser.open(f.base + page);
                assertThat(browser.title()).as(role + " " + page).startsWith("Not allowed");
                assertThat(browser.find(".error-page").getAttribute("data-status")).isEqualTo("403");
            }
            // a form sent anyway, with the session's own CSRF token, is refused too and changes nothing
            String csrf = browser.find("meta[name='csrf-token']").getAttribute("content");
            HttpResponse<String> r = post("/console/tokens", Map.of("_csrf", csrf, "name", "sneaky", "role", "admin"));
            assertThat(r.statusCode()).isEqualTo(403);
            HttpResponse<String> rot = post("/console/keys/rotate", Map.of("_csrf", csrf));
            assertThat(rot.statusCode()).isEqualTo(403);
        }
        assertThat(f.tokens.all()).extracting(ApiToken::name).doesNotContain("sneaky");
        assertThat(f.registry.auditLog(100)).extracting(AuditEvent::action).doesNotContain("keys.rotate");
    }

    @Test
    void theKeysPageShowsTheKekStatusAndRotatesAfterAConfirmation() {
        programmedOrder("WO-K", 2);
        signIn(browser, f.token("officer", Role.ADMIN));
        browser.open(f.base + "/console/keys");
        String before = browser.find("#active-kek").getText();
        assertThat(column("#keks", 1)).containsExactly(before);
        assertThat(column("#keks", 3)).containsExactly("2");
        assertThat(browser.findAll("#all-under-active")).hasSize(1);
        browser.screenshot("keys");
        assertClean();

        browser.click("#rotate");
        assertThat(browser.path()).isEqualTo("/console/keys/rotate");
        browser.type("#label", "kek-officer-1").click("#rotate");
        assertThat(browser.path()).isEqualTo("/console/keys");
        assertThat(browser.find(".flash").getText()).contains("KEK kek-officer-1 is active", "2 key sets re-wrapped");
        assertThat(browser.find("#active-kek").getText()).isEqualTo("kek-officer-1");
        assertThat(column("#keks", 1)).containsExactly("kek-officer-1", before);
        assertThat(column("#keks", 3)).containsExactly("2", "0");
        AuditEvent rot = f.registry.auditLog(1).get(0);
        assertThat(rot.action()).isEqualTo("keys.rotate");
        assertThat(rot.subject()).isEqualTo("kek:kek-officer-1");
        assertThat(rot.actor()).startsWith("token:").endsWith(":officer");
        assertClean();

        // the same label again is refused on the confirmation page, in the service's words
        browser.open(f.base + "/console/keys/rotate");
        browser.type("#label", "kek-officer-1").click("#rotate");
        assertThat(browser.find("#message").getText()).isEqualTo("a KEK labelled 'kek-officer-1' already exists");
    }

    @Test
    void anExportThroughTheConfirmationDownloadsTheFileAuditedAsTheApisExport() throws Exception {
        WorkOrder w = programmedOrder("WO-X", 2);
        signIn(browser, f.token("officer", Role.ADMIN));
        browser.open(f.base + "/console/exports");
        assertClean();
        new Select(browser.find("#format")).selectByValue("tts-json");
        new Select(browser.find("#order")).selectByValue("WO-X");
        new Select(browser.find("#kek")).selectByValue(ConsoleFixture.EXPORT_KEK_LABEL);
        browser.click("#next");
        assertThat(browser.path()).isEqualTo("/console/exports/confirm");
        assertThat(browser.find("#keys-leave").getText()).contains("root keys", "2 devices",
                "wrapped (RFC 3394) under the KEK labelled " + ConsoleFixture.EXPORT_KEK_LABEL);
        browser.screenshot("export-confirm");
        assertClean();
        int auditsBefore = f.registry.auditLog(1000).size();
        assertThat(f.registry.auditLog(1000)).extracting(AuditEvent::action).doesNotContain("keys.export"); // not yet

        // the download, as the browser's form would send it: the session cookie, the CSRF token and the hidden fields
        Map<String, String> form = new LinkedHashMap<>();
        for (WebElement in : browser.findAll("form[action='/console/exports/download'] input[type=hidden]")) {
            form.put(in.getAttribute("name"), in.getAttribute("value"));
        }
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(f.base + "/console/exports/download"))
                .header("Cookie", Console.SESSION_COOKIE + "=" + sessionCookie())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form))).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"WO-X-devices.json\"");
        assertThat(r.headers().firstValue("Cache-Control")).hasValue("no-store");
        String file = new String(r.body(), StandardCharsets.UTF_8);
        assertThat(file.lines()).hasSize(2);
        assertThat(file).contains(ConsoleFixture.EXPORT_KEK_LABEL);
        for (byte[] k : secrets) {
            assertThat(file).doesNotContainIgnoringCase(HexFormat.of().formatHex(k)); // wrapped, not in the clear
        }
        assertThat(f.registry.auditLog(1000)).hasSize(auditsBefore + 1);
        AuditEvent console = f.registry.auditLog(1).get(0);

        // the API's export of the same for the same token: the service call GET /api/export makes
        ApiToken officer = f.tokens.all().get(0);
        String actor = "token:" + officer.id() + ":" + officer.name();
        f.exports.export(DeviceExportFormat.TTS_JSON, ExportOptions.defaults().withWrapKek(f.exportKek), w.id(), false, actor);
        AuditEvent api = f.registry.auditLog(1).get(0);
        assertThat(console).usingRecursiveComparison().ignoringFields("id", "at").isEqualTo(api);
        assertThat(console.action()).isEqualTo("keys.export");
        assertThat(console.details()).isEqualTo("format=tts-json devices=2 keys=wrapped:" + ConsoleFixture.EXPORT_KEK_LABEL);

        // in the clear: the confirmation says so plainly
        browser.open(f.base + "/console/exports/confirm?format=csv&order=&kek=");
        assertThat(browser.find("#keys-leave").getText()).contains("in the clear", "anyone who gets the file");
        assertClean();
        // a format that cannot carry wrapped keys with a KEK is refused before any key leaves
        browser.open(f.base + "/console/exports/confirm?format=chirpstack-csv&kek=" + ConsoleFixture.EXPORT_KEK_LABEL);
        assertThat(browser.find("#message").getText()).startsWith("the chirpstack-csv format cannot carry wrapped keys");
        // without the CSRF token nothing is exported
        form.remove("_csrf");
        HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create(f.base + "/console/exports/download"))
                .header("Cookie", Console.SESSION_COOKIE + "=" + sessionCookie())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(f.registry.auditLog(1000).stream().filter(a -> a.action().equals("keys.export"))).hasSize(2);
    }

    String sessionCookie() {
        return browser.driver().manage().getCookieNamed(Console.SESSION_COOKIE).getValue();
    }

    HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(f.base + path))
                .header("Cookie", Console.SESSION_COOKIE + "=" + sessionCookie())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form))).build(), HttpResponse.BodyHandlers.ofString());
    }

    static String encode(Map<String, String> form) {
        return form.entrySet().stream().map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
    }
}
