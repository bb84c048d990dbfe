package io.lorafab.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.lorafab.testkit.browser.Chromium;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code lorafab demo --serve} as a newcomer runs it: after the line's summary it prints the console's address and
 * a one-time link; that link, opened in a real browser, signs in as the demo's admin, once, and the console shows the
 * line just run: the order's units and yield, the failures with their reasons and evidence (units 11 and 17 of the
 * demo fail by design: a module that rejects its key, a board out of range), a failed unit's whole timeline, and a
 * station's screen.
 */
class DemoConsoleTest {
    @TempDir
    Path dir;

    @Test
    void demoServePrintsAOneTimeLinkThatSignsABrowserInOnce() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "io.lorafab.app.Main", "demo", "--devices", "20", "--stations", "2",
                "--serve", "--data-dir", dir.resolve("data").toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                Chromium browser = new Chromium()) {
            Pattern console = Pattern.compile("^web console: (http://127\\.0\\.0\\.1:\\d+)/console/  \\(sign in once, within 15 "
                    + "minutes: (http://127\\.0\\.0\\.1:\\d+/console/sign-in/once/[A-Za-z0-9_-]{43})\\)$");
            StringBuilder seen = new StringBuilder();
            Matcher m = null;
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            for (String line; System.nanoTime() < deadline && (line = out.readLine()) != null; ) {
                seen.append(line).append('\n');
                Matcher candidate = console.matcher(line);
                if (candidate.matches()) {
                    m = candidate;
                    break;
                }
            }
            assertThat(m).as("the console line in:\n" + seen).isNotNull();
            assertThat(seen.toString()).contains("serving until Ctrl-C: " + m.group(1) + "  (admin token: lft_");
            browser.open(m.group(2)).click("#use-link");
            assertThat(browser.path()).isEqualTo("/console/line");
            assertThat(browser.text()).contains("demo-admin · admin");
            browser.open(m.group(1) + "/console/products");
            assertThat(browser.text()).contains("demo-tracker");
            browser.screenshot("demo-products");
            // the engineer's pages over the demo's real line: its order, a unit's timeline, its virtual gateway
            browser.open(m.group(1) + "/console/line");
            assertThat(browser.find("#open-orders").getText()).contains("DEMO-1", "demo-tracker");
            browser.screenshot("demo-line");
            browser.open(m.group(1) + "/console/orders/DEMO-1");
            assertThat(browser.find("#units-count").getText()).startsWith("20 units match");
            assertThat(browser.find("#order-final").getText()).isEqualTo("90.0 %");
            assertThat(browser.findAll("#pareto tbody tr")).extracting(r -> r.getAttribute("data-reason"))
                    .containsExactlyInAnyOrder("module_error", "join_not_heard");
            browser.screenshot("demo-order");
            browser.click("#pareto tr[data-reason='join_not_heard'] td a");
            assertThat(browser.findAll("#units-table tbody tr")).hasSize(1);
            browser.click("#units-table tbody tr td a");
            // the failed unit's whole story: reserved, programmed, its test run with the reason and the evidence
            assertThat(browser.find("#unit-state").getText()).isEqualTo("FAILED");
            String timeline = browser.find("#timeline").getText();
            assertThat(timeline).contains("join_not_heard").contains("unit.reserve");
            browser.screenshot("demo-unit-failed");
            browser.open(m.group(1) + "/console/orders/DEMO-1?state=PASSED#units");
            browser.click("#units-table tbody tr td a");
            assertThat(browser.findAll("#timeline li[data-kind='join_accepted']")).isNotEmpty();
            browser.screenshot("demo-unit");
            browser.open(m.group(1) + "/console/stations/demo-station-1");
            assertThat(verdictOnScreen(browser)).isIn("pass", "fail");
            browser.screenshot("demo-station");
            browser.open(m.group(1) + "/console/gateways");
            assertThat(browser.findAll("#gateways tbody tr")).hasSize(1);
            browser.screenshot("demo-gateways");
            browser.driver().manage().deleteAllCookies();
            browser.open(m.group(2));
            assertThat(browser.title()).startsWith("Link used or expired");
        } finally {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    /**
     * The station screen's verdict once its event stream has drawn it: the first event replaces the panel the page
     * came with, so an element found a moment earlier may be gone.
     */
    private static String verdictOnScreen(Chromium browser) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                if ("on".equals(browser.find("#station-live").getAttribute("data-live"))) {
                    return browser.find("#verdict").getAttribute("data-verdict");
                }
            } catch (org.openqa.selenium.StaleElementReferenceException | org.openqa.selenium.NoSuchElementException replaced) {
                // the screen was being replaced: look again
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the station screen's event stream did not draw it within 20 s");
            }
            Thread.sleep(100);
        }
    }
}
