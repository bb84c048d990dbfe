package io.lorafab.testkit.browser;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium for browser tests: Debian's {@code chromium} driven through Debian's
 * {@code chromedriver}, both named by path so that Selenium Manager never runs and nothing is downloaded. Each
 * instance has a fresh profile folder, removed on {@link #close()}.
 *
 * <p>A machine without them fails the test with a message saying what to install: a browser test that skipped
 * silently would pass without testing anything.
 */
public final class Chromium implements AutoCloseable {
    public static final Path BROWSER = Path.of(System.getProperty("lorafab.chromium", "/usr/bin/chromium"));
    public static final Path DRIVER = Path.of(System.getProperty("lorafab.chromedriver", "/usr/bin/chromedriver"));
    public static final Dimension DESKTOP = new Dimension(1280, 800);
    public static final Dimension PHONE = new Dimension(390, 844);
    /** Where {@link #screenshot} writes, relative to the module the test runs in. */
    public static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

    private final ChromeDriverService service;
    private final ChromeDriver driver;
    private final Path profile;

    public Chromium() {
        this(DESKTOP);
    }

    public Chromium(Dimension window) {
        for (Path p : List.of(BROWSER, DRIVER)) {
            if (!Files.isExecutable(p)) {
                throw new IllegalStateException(p + " is missing: browser tests need Debian's chromium and chromium-driver "
                        + "(apt-get install chromium chromium-driver)");
            }
        }
        // Selenium looks for a driver when this is unset and may start Selenium Manager: name ours instead
        System.setProperty("webdriver.chrome.driver", DRIVER.toString());
        try {
            profile = Files.createTempDirectory("lorafab-chromium");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--disable-quic", "--disable-extensions", "--user-data-dir=" + profile,
                "--window-size=" + window.getWidth() + "," + window.getHeight());
        service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
        try {
            driver = new ChromeDriver(service, options);
        } catch (RuntimeException e) {
            service.stop();
            deleteProfile();
            throw e;
        }
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        resize(window);
    }

    /** The Selenium driver, for what the helpers here do not cover. */
    public ChromeDriver driver() {
        return driver;
    }

    /** The viewport's size (the window is sized so that the page gets {@code size}). */
    public void resize(Dimension size) {
        driver.manage().window().setSize(size);
    }

    public Chromium open(String url) {
        driver.get(url);
        return this;
    }

    public String url() {
        return driver.getCurrentUrl();
    }

    /** The path of the current page's address, without the query. */
    public String path() {
        return java.net.URI.create(driver.getCurrentUrl()).getPath();
    }

    public String title() {
        return driver.getTitle();
    }

    public WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    public List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** The visible text of the page. */
    public String text() {
        return driver.findElement(By.tagName("body")).getText();
    }

    public String source() {
        return driver.getPageSource();
    }

    /** Types into the field {@code css}, replacing what it held. */
    public Chromium type(String css, String text) {
        WebElement e = find(css);
        e.clear();
        e.sendKeys(text);
        return this;
    }

    /** Clicks {@code css} and waits for the page the click loads. */
    public Chromium click(String css) {
        WebElement e = find(css);
        e.click();
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(d -> {
            try {
                e.isEnabled();
                return false; // still the old page
            } catch (org.openqa.selenium.StaleElementReferenceException gone) {
                return "complete".equals(driver.executeScript("return document.readyState"));
            } catch (org.openqa.selenium.WebDriverException replaced) {
                // Chromium, asked about the old page's node while the new page replaces it, may say so in these words
                if (replaced.getMessage() != null && replaced.getMessage().contains("does not belong to the document")) {
                    return "complete".equals(driver.executeScript("return document.readyState"));
                }
                throw replaced;
            }
        });
        return this;
    }

    /** Saves the viewport as {@code target/console-screenshots/<name>.png}; returns the file. */
    public Path screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path to = SCREENSHOTS.resolve(name + ".png");
            File shot = driver.getScreenshotAs(OutputType.FILE);
            Files.copy(shot.toPath(), to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return to;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Fails if the current page's source or visible text holds any of {@code keys} in hex (upper or lower case) or
     * base64 (standard or URL alphabet, with or without padding): root keys, session keys, secrets of any kind.
     */
    public void assertNoSecrets(Collection<byte[]> keys) {
        String page = source() + "\n" + text();
        for (byte[] k : keys) {
            for (String form : forms(k)) {
                if (page.contains(form)) {
                    throw new AssertionError("page " + path() + " shows a secret (" + k.length + " bytes, as "
                            + kind(form, k) + ")");
                }
            }
        }
    }

    /** Fails if the current page's source or visible text holds any of these texts (an API token, a session id). */
    public void assertNotShown(Collection<String> secrets) {
        String page = source() + "\n" + text();
        for (String s : secrets) {
            if (page.contains(s)) {
                throw new AssertionError("page " + path() + " shows a secret text of " + s.length() + " characters");
            }
        }
    }

    private static List<String> forms(byte[] k) {
        List<String> f = new ArrayList<>();
        String hex = HexFormat.of().formatHex(k);
        f.add(hex);
        f.add(hex.toUpperCase(Locale.ROOT));
        String b64 = Base64.getEncoder().encodeToString(k);
        f.add(b64);
        f.add(b64.replace("=", ""));
        f.add(Base64.getUrlEncoder().withoutPadding().encodeToString(k));
        return f;
    }

    private static String kind(String form, byte[] k) {
        return form.equalsIgnoreCase(HexFormat.of().formatHex(k)) ? "hex" : "base64";
    }

    /** The secret {@code s} as its UTF-8 bytes, for {@link #assertNoSecrets} of a text secret (a token, a session id). */
    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            service.stop();
            deleteProfile();
        }
    }

    private void deleteProfile() {
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp folder left behind is not worth failing a test for
        }
    }
}
