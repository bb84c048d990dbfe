package io.lorafab.console;

import io.lorafab.testkit.browser.Chromium;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The set-up the console's browser tests share: one headless Chromium per class (starting it costs more than a test),
 * a fresh server and registry per test ({@link ConsoleFixture}), and the browser's cookies cleared after each test, so
 * no test is signed in by the one before it. A subclass adds its own set-up in a {@code @BeforeEach} of another name,
 * which JUnit runs after this one.
 */
abstract class BrowserTest {
    static Chromium browser;

    @TempDir
    Path dir;
    ConsoleFixture f;

    @BeforeAll
    static void openBrowser() {
        browser = new Chromium();
    }

    @AfterAll
    static void closeBrowser() {
        if (browser != null) {
            browser.close();
            browser = null;
        }
    }

    @BeforeEach
    void startConsole() {
        f = new ConsoleFixture(dir);
        browser.resize(Chromium.DESKTOP);
    }

    @AfterEach
    void stopConsole() {
        browser.driver().manage().deleteAllCookies();
        f.close();
    }
}
