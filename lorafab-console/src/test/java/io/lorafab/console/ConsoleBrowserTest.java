package io.lorafab.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.store.model.Role;
import io.lorafab.testkit.browser.Chromium;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Cookie;

/** The console in a real headless Chromium, signed in as a person would. One browser for the class, a fresh profile state per test. */
class ConsoleBrowserTest extends BrowserTest {

    void signIn(String token) {
        browser.open(f.base + "/console/sign-in").type("#token", token).click("#sign-in");
    }

    @Test
    void anEngineerSignsInWithATokenAndSeesTheProducts() {
        f.product("demo-tracker");
        f.product("soil-probe");
        String token = f.token("line-eng", Role.ENGINEER);
        browser.open(f.base + "/console/products");
        assertThat(browser.path()).isEqualTo("/console/sign-in");
        browser.screenshot("sign-in");
        browser.resize(Chromium.PHONE);
        browser.screenshot("sign-in-phone");
        browser.resize(Chromium.DESKTOP);
        signIn(token);
        assertThat(browser.path()).isEqualTo("/console/line"); // an engineer starts at the line
        browser.find("nav a[href='/console/products']").click();
        assertThat(browser.path()).isEqualTo("/console/products");
        assertThat(browser.findAll("#products tbody tr")).hasSize(2);
        assertThat(browser.text()).contains("demo-tracker", "70b3d57ed0000001", "EU868", "-110.0", "-7.5", "line-eng · engineer");
        // the engineer's menu: no admin entries
        assertThat(browser.findAll("header nav a").stream().map(e -> e.getText()).toList())
                .containsExactly("Stations", "Line", "Orders", "Products", "EUI blocks", "Gateways");
        browser.screenshot("products");
        browser.assertNotShown(List.of(token, sessionCookie()));
        browser.resize(Chromium.PHONE);
        browser.screenshot("products-phone");
    }

    String sessionCookie() {
        Cookie c = browser.driver().manage().getCookieNamed(Console.SESSION_COOKIE);
        assertThat(c).isNotNull();
        assertThat(c.isHttpOnly()).isTrue();
        assertThat(c.getSameSite()).isEqualTo("Strict");
        assertThat(c.getPath()).isEqualTo("/console");
        return c.getValue();
    }

    @Test
    void aWrongTokenIsRefusedWithAClearMessage() {
        signIn("lft_" + "x".repeat(43));
        assertThat(browser.path()).isEqualTo("/console/sign-in");
        assertThat(browser.find("#message").getText()).isEqualTo("that token is not known or has been revoked");
        assertThat(browser.driver().manage().getCookieNamed(Console.SESSION_COOKIE)).isNull();
        browser.screenshot("sign-in-refused");
    }

    @Test
    void signingOutLeadsBackToSignInAndThePagesAreClosed() {
        signIn(f.token("admin", Role.ADMIN));
        assertThat(browser.path()).isEqualTo("/console/line");
        assertThat(browser.findAll("header nav a")).hasSize(Nav.values().length);
        browser.click("#sign-out");
        assertThat(browser.path()).isEqualTo("/console/sign-in");
        assertThat(browser.find("#message").getText()).isEqualTo("You have signed out.");
        browser.open(f.base + "/console/products");
        assertThat(browser.path()).isEqualTo("/console/sign-in");
    }

    @Test
    void anOperatorStartsAtTheStationsAndIsRefusedAnAdminPage() {
        signIn(f.token("station-1", Role.OPERATOR));
        assertThat(browser.path()).isEqualTo("/console/stations");
        assertThat(browser.findAll("header nav a").stream().map(e -> e.getText()).toList()).containsExactly("Stations");
        browser.open(f.base + "/console/tokens");
        assertThat(browser.title()).startsWith("Not allowed");
        assertThat(browser.find("#message").getText()).contains("needs the admin role", "station-1 (operator)");
        browser.screenshot("forbidden");
        browser.open(f.base + "/console/products");
        assertThat(browser.title()).startsWith("Not allowed");
    }

    @Test
    void revokingTheTokenEndsItsSessionOnTheNextPageLoad() {
        String token = f.token("line-eng", Role.ENGINEER);
        signIn(token);
        browser.open(f.base + "/console/products");
        assertThat(browser.path()).isEqualTo("/console/products");
        f.tokens.revoke(f.tokens.authenticate(token).orElseThrow().id(), "test");
        browser.open(f.base + "/console/products");
        assertThat(browser.path()).isEqualTo("/console/sign-in");
        assertThat(browser.find("#message").getText()).contains("revoked");
    }

    @Test
    void aOneTimeLinkSignsInOnceAndNotTwice() {
        String token = f.token("wall-screen", Role.OPERATOR);
        long id = f.tokens.authenticate(token).orElseThrow().id();
        String link = f.base + "/console/sign-in/once/" + f.sessions.createSignInCode(id, "test");
        browser.open(link);
        assertThat(browser.driver().manage().getCookieNamed(Console.SESSION_COOKIE)).isNull(); // opening it signs nobody in
        browser.screenshot("sign-in-once");
        browser.click("#use-link");
        assertThat(browser.path()).isEqualTo("/console/stations");
        browser.driver().manage().deleteAllCookies();
        browser.open(link);
        assertThat(browser.title()).startsWith("Link used or expired");
        assertThat(browser.findAll("#use-link")).isEmpty();
    }

    @Test
    void aSessionIdleForEightHoursAsksToSignInAgain() {
        signIn(f.token("line-eng", Role.ENGINEER));
        f.clock.advance(Duration.ofHours(8));
        browser.open(f.base + "/console/products");
        assertThat(browser.path()).isEqualTo("/console/sign-in");
        assertThat(browser.find("#message").getText()).isEqualTo("Your session has expired: sign in again.");
        browser.screenshot("session-expired");
    }

    @Test
    void anUnknownConsolePageIsTheConsoles404() {
        signIn(f.token("line-eng", Role.ENGINEER));
        browser.open(f.base + "/console/no-such-page");
        assertThat(browser.title()).startsWith("Not found");
        assertThat(browser.text()).contains("There is no console page at this address.");
    }

    @Test
    void thePagesLoadTheirAssetsUnderTheContentSecurityPolicy() throws Exception {
        signIn(f.token("line-eng", Role.ENGINEER));
        browser.open(f.base + "/console/products");
        // htmx loaded from the jar and ran: the CSP allowed it and nothing else was needed
        assertThat(browser.driver().executeScript("return typeof htmx")).isEqualTo("object");
        // and the console's own style sheet
        assertThat(browser.driver().executeScript("return getComputedStyle(document.body).backgroundColor"))
                .isEqualTo("rgb(245, 246, 248)");
        assertThat(Files.exists(Chromium.SCREENSHOTS)).isTrue();
    }
}
