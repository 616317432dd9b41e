package dev.notejam.app.browser;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.logging.Level;

/**
 * The system's headless Chromium (Debian packages {@code chromium} and {@code chromium-driver}) under Selenium.
 * Both paths are given to Selenium, so Selenium Manager never runs and nothing is downloaded at test time.
 */
final class HeadlessChromium {

    static final Path BROWSER = Path.of(System.getProperty("notejam.chromium.binary", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(System.getProperty("notejam.chromium.driver", "/usr/bin/chromedriver"));
    static final int WIDTH = 1280;
    static final int HEIGHT = 860;

    private HeadlessChromium() {
    }

    /** With {@code CI=true} a missing browser fails the test class at once (CI must run ci/setup.d/45-browser.sh). */
    static void failInCiWhenMissing() {
        if (!installed() && "true".equalsIgnoreCase(System.getenv("CI"))) {
            Assertions.fail("CI=true: " + missingMessage());
        }
    }

    /** Outside CI, skips the calling test loudly (reported as skipped) when the browser is not installed. */
    static void assumeInstalled() {
        if (!installed()) {
            System.err.println("\n*** SKIPPED: " + missingMessage() + " ***\n");
            Assumptions.abort(missingMessage());
        }
    }

    private static boolean installed() {
        return Files.isExecutable(BROWSER) && Files.isExecutable(DRIVER);
    }

    private static String missingMessage() {
        return "Real-browser test needs Debian's Chromium and chromedriver, missing here: "
                + (Files.isExecutable(BROWSER) ? "" : BROWSER + " ") + (Files.isExecutable(DRIVER) ? "" : DRIVER + " ")
                + "- install them with `bash ci/setup.d/45-browser.sh` (apt: chromium chromium-driver)";
    }

    /** A new browser with its own throwaway profile directory, removed by {@link #delete(Path)}. */
    static ChromeDriver start(Path profileDir) {
        ChromeOptions options = new ChromeOptions()
                .setBinary(BROWSER.toFile())
                .addArguments(
                        "--headless=new",
                        "--no-sandbox", // root in CI containers
                        "--disable-gpu",
                        "--disable-dev-shm-usage",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync",
                        "--no-first-run",
                        "--no-default-browser-check",
                        "--lang=en-GB",
                        "--hide-scrollbars",
                        "--window-size=" + WIDTH + "," + HEIGHT,
                        "--user-data-dir=" + profileDir.toAbsolutePath());
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .withTimeout(Duration.ofSeconds(60)) // a busy 2-core CI machine starts Chromium slowly
                .withLogOutput(System.err)
                .withSilent(true)
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
        return driver;
    }

    static Path newProfileDir() {
        try {
            return Files.createTempDirectory("notejam-chromium-profile-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        } catch (IOException e) {
            System.err.println("Could not remove the browser profile " + dir + ": " + e.getMessage());
        }
    }
}
