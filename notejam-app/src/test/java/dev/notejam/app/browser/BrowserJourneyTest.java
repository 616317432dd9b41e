package dev.notejam.app.browser;

import dev.notejam.app.testsupport.WebTest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A person's whole visit in a real browser (headless Chromium): sign up, sign in, create a pad and notes, sort,
 * edit, delete, sign out. Every step checks what the page shows, that the stylesheet applied and that the browser
 * logged no error (a Content-Security-Policy violation or a missing resource shows up there).
 * <p>
 * Screenshots of the main pages go to {@code target/browser-screenshots/}; to refresh the committed ones that the
 * README shows, run with {@code -Dnotejam.screenshots.dir=../docs/images} (see notejam-app/README.md).
 */
class BrowserJourneyTest extends WebTest {

    private static final String EMAIL = "ada@example.com";
    private static final Duration WAIT = Duration.ofSeconds(20);

    private Path profileDir;
    private ChromeDriver chromium;
    private WebDriverWait wait;
    private Path screenshots;

    /** In CI, fails before the app context starts; elsewhere the test is skipped in startBrowser(). */
    @BeforeAll
    static void browserInstalledInCi() {
        HeadlessChromium.failInCiWhenMissing();
    }

    @BeforeEach
    void startBrowser() throws IOException {
        HeadlessChromium.assumeInstalled();
        // The stores live as long as the test JVM, so a second run in the same JVM needs a fresh address.
        jdbc.sql("delete from users where email = ?").param(EMAIL).update();
        profileDir = HeadlessChromium.newProfileDir();
        chromium = HeadlessChromium.start(profileDir);
        wait = new WebDriverWait(chromium, WAIT);
        screenshots = Path.of(System.getProperty("notejam.screenshots.dir", "target/browser-screenshots"));
        Files.createDirectories(screenshots);
    }

    @AfterEach
    void stopBrowser() {
        if (chromium != null) {
            chromium.quit();
        }
        HeadlessChromium.delete(profileDir);
    }

    @Test
    void signUpOrganiseNotesAndSignOut() throws IOException {
        step("sign-in page for a visitor");
        open("/signin/");
        assertThat(heading()).isEqualTo("Sign in");
        assertThat(text(".site-header")).contains("Sign up").contains("Sign in");
        screenshot("signin");

        step("sign up");
        click(By.linkText("Sign up"));
        assertThat(heading()).isEqualTo("Sign up");
        fill(Map.of("email", EMAIL, "password", PASSWORD, "repeatPassword", PASSWORD));
        submit();
        waitForPath("/signin/");
        assertThat(flash()).isEqualTo("Account is created. Now you can sign in.");
        assertThat(count("select count(*) from users where email = ?", EMAIL)).isEqualTo(1);

        step("sign in with a wrong password, then the right one");
        fill(Map.of("email", EMAIL, "password", "not " + PASSWORD));
        submit();
        assertThat(text(".form-error")).isEqualTo("Wrong email or password");
        fill(Map.of("email", EMAIL, "password", PASSWORD));
        submit();
        waitForPath("/");
        assertThat(heading()).isEqualTo("All notes (0)");
        assertThat(text(".account .email")).isEqualTo(EMAIL);
        assertThat(text(".content")).contains("Create your first note.");
        assertThat(text(".sidebar")).contains("No pads");

        step("create a pad");
        click(By.linkText("New pad"));
        assertThat(heading()).isEqualTo("New pad");
        fill(Map.of("name", "Work"));
        submit();
        waitForPath("/pads/\\d+/");
        long workPadId = idFrom(path(), "/pads/");
        assertThat(flash()).isEqualTo("Pad is successfully created");
        assertThat(heading()).isEqualTo("Work (0)");
        assertThat(sidebarPads()).containsExactly("Work");

        step("create a note in the pad (form preselects the pad)");
        click(By.linkText("New note"));
        assertThat(heading()).isEqualTo("New note");
        assertThat(new Select(chromium.findElement(By.id("pad"))).getFirstSelectedOption().getText()).isEqualTo("Work");
        fill(Map.of("name", "Quarterly plan",
                "text", "Hire two engineers.\nShip the password reset.\nMove the backups to the new bucket."));
        screenshot("note-form");
        submit();
        waitForPath("/notes/\\d+/");
        long planId = idFrom(path(), "/notes/");
        assertThat(flash()).isEqualTo("Note is successfully created");
        assertThat(heading()).isEqualTo("Quarterly plan");
        assertThat(text(".meta")).startsWith("Last edited Today at").endsWith("in Work");
        assertThat(text(".note-text")).contains("Ship the password reset.");
        screenshot("note");

        step("two more notes, one without a pad");
        createNote("Book ideas", "A detective story told by the notes app.", "Work");
        createNote("Groceries", "Milk, bread, coffee beans", "No pad");
        assertThat(count("select count(*) from notes n join users u on u.id = n.owner_id where u.email = ?", EMAIL))
                .isEqualTo(3);

        step("all notes, sorted by name both ways");
        click(By.cssSelector(".brand"));
        waitForPath("/");
        assertThat(heading()).isEqualTo("All notes (3)");
        click(By.cssSelector("a.sort[title='Sort by name, A to Z']"));
        waitForQuery("order=name");
        assertThat(noteNames()).containsExactly("Book ideas", "Groceries", "Quarterly plan");
        assertThat(padColumn()).containsExactly("Work", "No pad", "Work");
        screenshot("all-notes");
        click(By.cssSelector("a.sort[title='Sort by name, Z to A']"));
        waitForQuery("order=-name");
        assertThat(noteNames()).containsExactly("Quarterly plan", "Groceries", "Book ideas");
        click(By.cssSelector("a.sort[title='Oldest first']"));
        waitForQuery("order=updated_at");
        assertThat(noteNames()).containsExactly("Quarterly plan", "Book ideas", "Groceries");

        step("the pad lists its own notes only");
        click(By.cssSelector(".sidebar a[href='/pads/" + workPadId + "/']"));
        waitForPath("/pads/" + workPadId + "/");
        assertThat(heading()).isEqualTo("Work (2)");
        assertThat(noteNames()).containsExactlyInAnyOrder("Quarterly plan", "Book ideas");
        screenshot("pad");

        step("edit a note: new name, text and no pad");
        click(By.linkText("Quarterly plan"));
        waitForPath("/notes/" + planId + "/");
        click(By.linkText("Edit"));
        waitForPath("/notes/" + planId + "/edit/");
        assertThat(chromium.findElement(By.id("name")).getDomProperty("value")).isEqualTo("Quarterly plan");
        fill(Map.of("name", "Plan for Q3", "text", "Hire two engineers. Reset passwords by e-mail."));
        new Select(chromium.findElement(By.id("pad"))).selectByVisibleText("No pad");
        submit();
        waitForPath("/notes/" + planId + "/");
        assertThat(flash()).isEqualTo("Note is successfully updated");
        assertThat(heading()).isEqualTo("Plan for Q3");
        assertThat(text(".note-text")).isEqualTo("Hire two engineers. Reset passwords by e-mail.");
        assertThat(text(".meta")).doesNotContain("in Work");
        assertThat(jdbc.sql("select name from notes where id = ?").param(planId).query(String.class).single())
                .isEqualTo("Plan for Q3");

        step("delete it (after confirming)");
        click(By.linkText("Delete it"));
        waitForPath("/notes/" + planId + "/delete/");
        assertThat(text(".content")).contains("Are you sure you want to delete Plan for Q3?");
        click(By.cssSelector("button.danger"));
        waitForPath("/");
        assertThat(flash()).isEqualTo("Note is successfully deleted");
        assertThat(heading()).isEqualTo("All notes (2)");
        assertThat(noteNames()).doesNotContain("Plan for Q3");
        assertThat(count("select count(*) from notes where id = ?", planId)).isZero();

        step("sign out: the notes are no longer reachable");
        click(By.cssSelector(".account .link-button"));
        waitForPath("/signin/");
        assertThat(heading()).isEqualTo("Sign in");
        assertThat(chromium.findElements(By.cssSelector(".account .email"))).isEmpty();
        open("/");
        waitForPath("/signin/");
        assertThat(heading()).isEqualTo("Sign in");
    }

    private void createNote(String name, String text, String pad) {
        click(By.cssSelector(".brand"));
        click(By.linkText("New note"));
        waitForPath("/notes/create/");
        fill(Map.of("name", name, "text", text));
        new Select(chromium.findElement(By.id("pad"))).selectByVisibleText(pad);
        submit();
        waitForPath("/notes/\\d+/");
        assertThat(flash()).isEqualTo("Note is successfully created");
        assertThat(heading()).isEqualTo(name);
    }

    // --- what a person does

    private void open(String path) {
        chromium.get(baseUrl + path);
        pageIsReady();
    }

    /**
     * Clicks the element and waits for the next page. On a fast machine Chromium can still be swapping in the
     * document when the element is found, and ChromeDriver then refuses the click ("does not belong to the
     * document") before sending any mouse event; the element is found again and clicked once more, but only while
     * the browser is still on the same URL, so a click that did go out is never repeated. ChromeDriver can also
     * refuse the look-up itself (isEnabled), which is read-only and simply repeated. The same answer after the
     * click means the old page is gone, which is what the wait for the next page looks for.
     */
    private void click(By target) {
        String url = chromium.getCurrentUrl();
        WebElement clicked = new WebDriverWait(chromium, WAIT)
                .withMessage(() -> "could not click " + target + " on " + chromium.getCurrentUrl())
                .until(d -> {
                    WebElement element;
                    try {
                        element = ExpectedConditions.elementToBeClickable(target).apply(d);
                    } catch (WebDriverException e) {
                        // The look-up (find, isDisplayed, isEnabled) is read-only: a swapped document means look again.
                        if (detachedFromDocument(e)) {
                            return null;
                        }
                        throw e;
                    }
                    if (element == null) {
                        return null;
                    }
                    try {
                        element.click();
                        return element;
                    } catch (WebDriverException e) {
                        if (detachedFromDocument(e) && url.equals(d.getCurrentUrl())) {
                            step("click on " + target + " refused by ChromeDriver (" + firstLine(e) + "), trying again");
                            return null;
                        }
                        throw e;
                    }
                });
        wait.until(d -> isDetached(clicked));
        pageIsReady();
    }

    /**
     * Whether the element left the document, as {@link ExpectedConditions#stalenessOf} asks, but also counting
     * ChromeDriver's "does not belong to the document", which it answers instead of a stale-element error while
     * the new page replaces the old one.
     */
    private static boolean isDetached(WebElement element) {
        try {
            element.isEnabled();
            return false;
        } catch (WebDriverException e) {
            if (detachedFromDocument(e)) {
                return true;
            }
            throw e;
        }
    }

    /** ChromeDriver's answers when the element it had found no longer belongs to the page's document. */
    private static boolean detachedFromDocument(WebDriverException e) {
        String message = String.valueOf(e.getMessage());
        return e instanceof StaleElementReferenceException
                || message.contains("does not belong to the document")
                || message.contains("No node with given id found");
    }

    private static String firstLine(Exception e) {
        return String.valueOf(e.getMessage()).lines().findFirst().orElse("");
    }

    private void fill(Map<String, String> fields) {
        new LinkedHashMap<>(fields).forEach((id, value) -> untilFound("field " + id, () -> {
            WebElement input = chromium.findElement(By.id(id));
            input.clear();
            input.sendKeys(value);
            return true;
        }));
    }

    /**
     * Runs an idempotent look-up or input again when ChromeDriver lost the element to a swapped document (see
     * {@link #click}); any other failure is reported at once.
     */
    private <T> T untilFound(String what, java.util.function.Supplier<T> action) {
        // A FluentWait ignores nothing by default, unlike WebDriverWait: a missing element fails at once.
        return new FluentWait<>(chromium).withTimeout(WAIT).pollingEvery(Duration.ofMillis(100))
                .withMessage(() -> what + " kept being detached on " + chromium.getCurrentUrl())
                .until(d -> {
                    try {
                        return action.get();
                    } catch (WebDriverException e) {
                        if (detachedFromDocument(e)) {
                            step(what + ": element detached (" + firstLine(e) + "), trying again");
                            return null;
                        }
                        throw e;
                    }
                });
    }

    private void submit() {
        click(By.cssSelector("main form button[type=submit]"));
    }

    // --- what the page shows

    /** Waits for the document to load, then checks the stylesheet applied and the console stayed clean. */
    private void pageIsReady() {
        wait.until(d -> "complete".equals(((JavascriptExecutor) d).executeScript("return document.readyState")));
        String headerBackground = (String) chromium.executeScript(
                "return getComputedStyle(document.querySelector('.site-header')).backgroundColor");
        String pageBackground = (String) chromium.executeScript("return getComputedStyle(document.documentElement).backgroundColor");
        assertThat(headerBackground).as("header styled by notejam.css on %s", path()).isEqualTo("rgb(255, 255, 255)");
        assertThat(pageBackground).as("page background from notejam.css on %s", path()).isEqualTo("rgb(244, 247, 245)");
        List<String> errors = chromium.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(entry -> entry.getLevel().intValue() >= java.util.logging.Level.SEVERE.intValue())
                .map(LogEntry::getMessage).toList();
        assertThat(errors).as("browser console errors on %s", path()).isEmpty();
    }

    private String path() {
        return chromium.getCurrentUrl().replaceFirst("^https?://[^/]+", "").replaceFirst("\\?.*$", "");
    }

    private void waitForPath(String regex) {
        new WebDriverWait(chromium, WAIT)
                .withMessage(() -> "expected path " + regex + " but the browser is at " + chromium.getCurrentUrl())
                .until(d -> path().matches(regex));
    }

    private void waitForQuery(String query) {
        wait.until(ExpectedConditions.urlContains("?" + query));
    }

    private String heading() {
        return text("h1");
    }

    private String flash() {
        return text(".flash");
    }

    private String text(String css) {
        return untilFound(css, () -> chromium.findElement(By.cssSelector(css)).getText().trim());
    }

    private List<String> texts(String css) {
        return untilFound(css, () -> chromium.findElements(By.cssSelector(css)).stream().map(WebElement::getText).toList());
    }

    private List<String> noteNames() {
        return texts("table.notes tbody tr td:first-child");
    }

    private List<String> padColumn() {
        return texts("table.notes tbody tr td:nth-child(2)");
    }

    private List<String> sidebarPads() {
        return texts(".sidebar .pads li");
    }

    /** Saves the viewport as PNG and checks it is a real rendering, not a blank or error page. */
    private void screenshot(String name) throws IOException {
        byte[] png = chromium.getScreenshotAs(OutputType.BYTES);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image).as("screenshot %s decodes as PNG", name).isNotNull();
        assertThat(image.getWidth()).as("screenshot width").isEqualTo(HeadlessChromium.WIDTH);
        assertThat(distinctColours(image)).as("screenshot %s shows a rendered page", name).isGreaterThan(50);
        Path file = screenshots.resolve(name + ".png");
        Files.write(file, png);
        System.out.println("browser journey: screenshot " + file.toAbsolutePath().normalize());
    }

    private static int distinctColours(BufferedImage image) {
        Set<Integer> colours = new HashSet<>();
        for (int y = 0; y < image.getHeight(); y += 3) {
            for (int x = 0; x < image.getWidth(); x += 3) {
                colours.add(image.getRGB(x, y));
            }
        }
        return colours.size();
    }

    private static void step(String what) {
        System.out.println("browser journey: " + what);
    }
}
