package dev.notejam.app.testsupport;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Base of the integration tests: the whole app on a random port over real HTTP, against real PostgreSQL and Redis.
 * All subclasses share one Spring context (same configuration), so the suite starts the app once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "management.server.port=0")
@Import(StatementCounter.class)
public abstract class WebTest {

    public static final String PASSWORD = "correct horse 1";
    private static final AtomicInteger USERS = new AtomicInteger();
    // Redis lives as long as the JVM; a random start keeps reruns in one JVM off earlier runs' counters.
    private static final AtomicInteger CLIENTS = new AtomicInteger(new java.util.Random().nextInt(60_000));

    @LocalServerPort
    protected int port;

    @Autowired
    protected JdbcClient jdbc;

    @DynamicPropertySource
    static void dataStores(DynamicPropertyRegistry registry) {
        EmbeddedDataStores.shared().springProperties().forEach((key, value) -> registry.add(key, () -> value));
        registry.add("spring.mail.host", () -> "127.0.0.1");
        // browser() gives every test client an address of its own; Chromium (BrowserJourneyTest) is 127.0.0.1.
        registry.add("notejam.limits.sign-in-account-delay", () -> "2s");
        // The test machine's CPUs are shared with other builds: 2 s to open a Redis connection was not always enough.
        registry.add("spring.data.redis.timeout", () -> "10s");
        registry.add("spring.data.redis.connect-timeout", () -> "10s");
        registry.add("spring.mail.port", () -> EmbeddedMail.shared().port());
    }

    protected String baseUrl;

    @BeforeEach
    void baseUrl() {
        baseUrl = "http://127.0.0.1:" + port;
    }

    /** A browser of its own client address, as each user of the app has, so per-address limits apply per test. */
    protected Browser browser() {
        return new Browser(baseUrl).from(newClientAddress());
    }

    /** A fresh address of 198.18.0.0/15 (reserved for benchmarks; the app treats it as a public client address). */
    protected static String newClientAddress() {
        int n = CLIENTS.incrementAndGet();
        return "198." + (18 + (n >> 16 & 1)) + "." + (n >> 8 & 0xff) + "." + (n & 0xff);
    }

    protected static String uniqueEmail() {
        return "user" + USERS.incrementAndGet() + "-" + System.nanoTime() + "@example.com";
    }

    /** A new account, signed in; returns its browser. */
    protected Browser signedInUser() {
        return signedInUser(uniqueEmail());
    }

    protected Browser signedInUser(String email) {
        Browser browser = browser();
        Browser.Response signup = browser.submit("/signup/", "/signup/",
                Map.of("email", email, "password", PASSWORD, "repeatPassword", PASSWORD));
        assertThat(signup.status()).as("sign up of %s", email).isEqualTo(302);
        browser.get(signup.location());
        Browser.Response signin = browser.submit("/signin/", "/signin/", Map.of("email", email, "password", PASSWORD));
        assertThat(signin.status()).as("sign in of %s", email).isEqualTo(302);
        browser.get(signin.location());
        return browser;
    }

    protected long createPad(Browser user, String name) {
        Browser.Response created = user.submit("/pads/create/", "/pads/create/", Map.of("name", name));
        assertThat(created.status()).isEqualTo(302);
        user.get(created.location()); // as a browser would, which also shows (and uses up) the flash message
        return idFrom(created.location(), "/pads/");
    }

    protected long createNote(Browser user, String name, String text, Long padId) {
        Browser.Response created = user.submit("/notes/create/", "/notes/create/",
                Map.of("name", name, "text", text, "pad", padId == null ? "" : padId.toString()));
        assertThat(created.status()).as(created.body()).isEqualTo(302);
        user.get(created.location());
        return idFrom(created.location(), "/notes/");
    }

    protected static long idFrom(String location, String prefix) {
        assertThat(location).startsWith(prefix);
        return Long.parseLong(location.substring(prefix.length()).replace("/", ""));
    }

    protected long count(String sql, Object... params) {
        var spec = jdbc.sql(sql);
        for (Object p : params) {
            spec = spec.param(p);
        }
        return spec.query(Long.class).single();
    }
}
