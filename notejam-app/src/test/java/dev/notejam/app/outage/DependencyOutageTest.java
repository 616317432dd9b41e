package dev.notejam.app.outage;

import dev.notejam.app.NotejamApplication;
import dev.notejam.app.testsupport.Browser;
import dev.notejam.app.testsupport.StoppableDataStores;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.notejam.app.testsupport.LogCapture;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The app while its PostgreSQL or its Redis is down, against real servers that the test stops and starts (connections
 * closed, new ones refused) or freezes with SIGSTOP (connections open, nothing answers: a zone cut off):
 * every page answers a 503 page with Retry-After within a bounded time, never a 500 or a hang; a posted form comes
 * back with what was typed; readiness answers 503 within the probe's 2-second timeout while liveness stays UP; and
 * the same app, not restarted, serves again within seconds of the store's return.
 */
class DependencyOutageTest {

    private static final String PASSWORD = "outage password 1";
    /** The chart's values: the app runs with its timeouts, and readiness must answer within its probe timeout. */
    private static final Path CHART_VALUES = Path.of("../helm-charts/charts/notejam/values.yaml");
    private static Duration probeTimeout;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final Duration CLEANUP_INTERVAL = Duration.ofSeconds(1);

    private static StoppableDataStores stores;
    private static ConfigurableApplicationContext app;
    private static String baseUrl;
    private static String management;

    @BeforeAll
    static void start() {
        stores = new StoppableDataStores();
        Map<String, Object> properties = new HashMap<>(stores.springProperties());
        properties.putAll(chartTimeouts());
        properties.put("server.port", "0");
        properties.put("management.server.port", "0");
        // the expired-session clean-up every second instead of every minute: a test's outage spans several runs
        properties.put("notejam.sessions.cleanup-interval", CLEANUP_INTERVAL.toMillis() + "ms");
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        // On a starved machine (load average over 30 here, other builds running) the first Redis handshake can miss
        // the chart's 2 s timeout and the start fails; a pod would be restarted, here the start is tried again.
        for (int attempt = 1; app == null; attempt++) {
            try {
                app = new SpringApplicationBuilder(NotejamApplication.class).run(args);
            } catch (RuntimeException failedStart) {
                if (attempt == 3) {
                    throw failedStart;
                }
            }
        }
        baseUrl = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
        management = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.management.port");
    }

    /**
     * The timeouts the chart gives the app, under the environment names its ConfigMap uses
     * (templates/_helpers.tpl, notejam.configData), and the readiness probe's timeout.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> chartTimeouts() {
        Map<String, Object> values;
        try {
            values = new Yaml().load(Files.readString(CHART_VALUES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, Object> timeouts = (Map<String, Object>) ((Map<String, Object>) values.get("config")).get("timeouts");
        Map<String, Object> readiness = (Map<String, Object>) ((Map<String, Object>) values.get("probes")).get("readiness");
        probeTimeout = Duration.ofSeconds(((Number) readiness.get("timeoutSeconds")).longValue());
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("spring.datasource.hikari.connection-timeout", timeouts.get("databasePoolMs"));
        env.put("spring.datasource.hikari.validation-timeout", timeouts.get("databaseValidationMs"));
        env.put("notejam.timeouts.database-connect", timeouts.get("databaseConnect"));
        env.put("notejam.timeouts.database-socket", timeouts.get("databaseSocket"));
        env.put("spring.data.redis.timeout", timeouts.get("redisCommand"));
        env.put("spring.data.redis.connect-timeout", timeouts.get("redisConnect"));
        env.put("notejam.timeouts.health-check", timeouts.get("healthCheckMs") + "ms");
        assertThat(env).doesNotContainValue(null);
        return env;
    }

    /** Each test starts from a ready app, as a balancer would send it traffic. */
    @BeforeEach
    void appIsReady() {
        awaitStatus(() -> {
            HttpResponse<String> readiness = get(management + "/actuator/health/readiness");
            return new Browser.Response(readiness.statusCode(), readiness.headers(), readiness.body());
        }, 200);
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (stores != null) {
            stores.close();
        }
    }

    @Test
    void whilePostgresIsStoppedPagesAnswer503FastFormsKeepWhatWasTypedAndTheAppRecoversWithoutRestart() {
        Browser user = signedInUser();
        user.get("/notes/create/"); // the form, with its CSRF token, loaded before the outage
        Browser visitor = new Browser(baseUrl);
        visitor.get("/signin/");

        stores.stopPostgres();
        try {
            Timed<Browser.Response> page = timed(() -> user.get("/"));
            assertUnavailablePage(page.value());
            assertThat(page.elapsed()).as("a page waits at most the pool's connection timeout (2 s)").isLessThan(Duration.ofMillis(3500));

            Browser.Response create = user.post("/notes/create/", Map.of("name", "kept name", "text", "kept <b>text</b>\nline 2", "pad", ""));
            assertUnavailablePage(create);
            Element kept = create.html().selectFirst("form.kept-form");
            assertThat(kept).as("the posted form comes back").isNotNull();
            assertThat(kept.attr("action")).isEqualTo("/notes/create/");
            assertThat(kept.selectFirst("textarea[name=text]").wholeText()).isEqualTo("kept <b>text</b>\nline 2");
            assertThat(kept.selectFirst("textarea[name=name]").wholeText()).isEqualTo("kept name");

            Browser.Response signIn = visitor.post("/signin/", Map.of("email", "someone@example.com", "password", PASSWORD));
            assertUnavailablePage(signIn);
            assertThat(signIn.body()).as("a password is never sent back").doesNotContain(PASSWORD);
            assertThat(signIn.html().selectFirst("textarea[name=email]").wholeText()).isEqualTo("someone@example.com");

            assertReadinessDownInTimeAndLivenessUp();
            assertThat(get(management + "/actuator/prometheus").body())
                    .contains("notejam_dependency_unavailable_total{application=\"notejam\",dependency=\"database\"}")
                    .containsPattern("http_server_requests_seconds_count\\{[^}]*status=\"503\"");

            stores.startPostgres();
            Duration recovery = awaitStatus(() -> user.get("/"), 200);
            figure("postgres stopped: 503 page after %d ms; serving again %d ms after PostgreSQL was up", page.elapsed(), recovery);
            assertThat(recovery).as("serves again soon after PostgreSQL is back, same process").isLessThan(Duration.ofSeconds(10));
            assertThat(get(management + "/actuator/health/readiness").statusCode()).isEqualTo(200);

            Browser.Response resent = user.post(kept.attr("action"), fields(kept));
            assertThat(resent.status()).as("the kept form, sent again, creates the note").isEqualTo(302);
            assertThat(user.get(resent.location()).html().select("h1").text()).isEqualTo("kept name");
        } finally {
            ensurePostgresUp();
        }
    }

    @Test
    void whileRedisIsStoppedPagesAnswer503AtOnceAndTheAppRecoversWithoutRestart() {
        Browser user = signedInUser();

        stores.stopRedis();
        try {
            for (String path : new String[]{"/", "/signin/", "/notes/create/"}) {
                Timed<Browser.Response> page = timed(() -> user.get(path));
                assertUnavailablePage(page.value());
                figure("redis stopped: %s answered 503 after %d ms", path, page.elapsed());
                assertThat(page.elapsed()).as("%s: commands are refused while disconnected, not queued", path)
                        .isLessThan(Duration.ofMillis(1000));
            }
            assertReadinessDownInTimeAndLivenessUp();
            assertThat(get(management + "/actuator/prometheus").body()).as("the Redis alert's selector still matches")
                    .containsPattern("http_server_requests_seconds_count\\{[^}]*exception=\"(RedisConnectionFailureException|RedisSystemException)\"[^}]*status=\"503\"");

            stores.startRedis();
            // This Redis came back empty, as a single server without persistence does: the session is gone, and the
            // page sends the user to sign in once the app has reconnected.
            Duration recovery = awaitStatus(() -> user.get("/"), 302);
            figure("redis stopped: serving again %d ms after Redis was up", recovery);
            assertThat(recovery).as("reconnects within the capped backoff (1 s)").isLessThan(Duration.ofSeconds(5));
            Browser.Response home = user.get("/");
            assertThat(home.status()).isEqualTo(302);
            assertThat(home.location()).startsWith("/signin/");
            assertThat(signedInUser().get("/").status()).isEqualTo(200);
        } finally {
            ensureRedisUp();
        }
    }

    @Test
    void whileRedisIsStoppedTheExpiredSessionCleanupLogsOneWarningAndNoStackTrace() {
        signedInUser(); // a session in Redis, with its entry in the expiry index the clean-up reads
        try (LogCapture log = LogCapture.ofRoot()) {
            stores.stopRedis();
            try {
                Duration warned = log.await(e -> e.getLoggerName().equals(ExpiredSessionCleanup.class.getName())
                        && e.getLevel() == Level.WARN, Duration.ofSeconds(10));
                figure("redis stopped: clean-up warned after %d ms", warned);
                sleep(CLEANUP_INTERVAL.multipliedBy(4).toMillis()); // several more runs while Redis is down
            } finally {
                ensureRedisUp();
            }
            Duration recovered = log.await(e -> e.getLoggerName().equals(ExpiredSessionCleanup.class.getName())
                    && e.getLevel() == Level.INFO, Duration.ofSeconds(20));
            figure("redis stopped: clean-up worked again %d ms after Redis was up", recovered);

            assertThat(log.events(e -> e.getThrowableProxy() != null))
                    .as("no stack trace logged during the outage (logger: message)").isEmpty();
            List<ILoggingEvent> cleanupLines = log.events(e -> e.getLoggerName().equals(ExpiredSessionCleanup.class.getName()));
            assertThat(cleanupLines).extracting(ILoggingEvent::getLevel).as("one warning per outage, then one line when it works again")
                    .containsExactly(Level.WARN, Level.INFO);
            assertThat(cleanupLines.get(0).getFormattedMessage()).startsWith("Clean-up of expired sessions skipped: Redis is unavailable (");
        }
    }

    @Test
    void whileRedisIsStoppedReadinessProbesLogOneWarningAndNoStackTrace() {
        try (LogCapture log = LogCapture.ofRoot()) {
            stores.stopRedis();
            try {
                assertReadinessDownInTimeAndLivenessUp(); // three probes, as the kubelet would send
            } finally {
                ensureRedisUp();
            }
            awaitStatus(() -> {
                HttpResponse<String> readiness = get(management + "/actuator/health/readiness");
                return new Browser.Response(readiness.statusCode(), readiness.headers(), readiness.body());
            }, 200);

            assertThat(log.events(e -> e.getLoggerName().contains(".health.") && e.getThrowableProxy() != null))
                    .as("Spring Boot's health checks log no stack trace per probe").isEmpty();
            List<ILoggingEvent> healthLines = log.events(e -> e.getLoggerName().equals(TimeBoundedHealthIndicator.class.getName()));
            assertThat(healthLines).extracting(ILoggingEvent::getLevel).as("one warning per outage, then one line when it is UP")
                    .containsExactly(Level.WARN, Level.INFO);
            assertThat(healthLines.get(0).getFormattedMessage()).startsWith("Health check redis is DOWN: ");
            assertThat(healthLines.get(1).getFormattedMessage()).startsWith("Health check redis is UP again after ");
        }
    }

    @Test
    void whilePostgresIsFrozenPagesAnswer503WithinTheTimeoutsAndTheAppRecoversWithoutRestart() {
        Browser user = signedInUser();
        stores.freezePostgres(true);
        try {
            Timed<Browser.Response> page = timed(() -> user.get("/"));
            assertUnavailablePage(page.value());
            figure("postgres frozen: 503 page after %d ms", page.elapsed());
            assertThat(page.elapsed()).as("bounded by the pool's connection timeout and the driver's read timeout (5 s)")
                    .isLessThan(Duration.ofMillis(6500));
            assertReadinessDownInTimeAndLivenessUp();
        } finally {
            stores.freezePostgres(false);
        }
        Duration recovery = awaitStatus(() -> user.get("/"), 200);
        figure("postgres frozen: serving again %d ms after SIGCONT", recovery);
        assertThat(recovery).as("no connection left hanging in the pool").isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void whileRedisIsFrozenPagesAnswer503WithinTheCommandTimeoutAndTheSessionSurvives() {
        Browser user = signedInUser();
        stores.freezeRedis(true);
        try {
            for (int i = 0; i < 3; i++) {
                Timed<Browser.Response> page = timed(() -> user.get("/"));
                assertUnavailablePage(page.value());
                figure("redis frozen: 503 page after %d ms", page.elapsed());
                assertThat(page.elapsed()).as("bounded by the command timeout (2 s)").isLessThan(Duration.ofMillis(3500));
            }
            assertReadinessDownInTimeAndLivenessUp();
        } finally {
            stores.freezeRedis(false);
        }
        Duration recovery = awaitStatus(() -> user.get("/"), 200);
        figure("redis frozen: serving again %d ms after SIGCONT", recovery);
        assertThat(recovery).as("the stuck connection was replaced").isLessThan(Duration.ofSeconds(5));
        assertThat(user.get("/").html().select(".account .email").text()).as("same session, still signed in").isNotBlank();
    }

    private static void assertUnavailablePage(Browser.Response response) {
        assertThat(response.status()).as(response.body()).isEqualTo(503);
        assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
        assertThat(response.html().select("h1").text()).isEqualTo("Notejam is temporarily unavailable");
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("at org.").doesNotContain("at dev.");
    }

    private static void assertReadinessDownInTimeAndLivenessUp() {
        for (int probe = 0; probe < 3; probe++) {
            Timed<HttpResponse<String>> readiness = timed(() -> get(management + "/actuator/health/readiness"));
            assertThat(readiness.value().statusCode()).as("readiness").isEqualTo(503);
            figure("readiness answered 503 after %d ms", readiness.elapsed());
            assertThat(readiness.elapsed()).as("readiness answers within the probe timeout").isLessThan(probeTimeout);
        }
        assertThat(get(management + "/actuator/health/liveness").statusCode()).as("liveness stays UP").isEqualTo(200);
    }

    private static Browser signedInUser() {
        String email = "outage-" + System.nanoTime() + "@example.com";
        Browser browser = new Browser(baseUrl);
        Browser.Response signUp = browser.submit("/signup/", "/signup/", Map.of("email", email, "password", PASSWORD, "repeatPassword", PASSWORD));
        assertThat(signUp.status()).as(signUp.body()).isEqualTo(302);
        Browser.Response signIn = browser.submit("/signin/", "/signin/", Map.of("email", email, "password", PASSWORD));
        assertThat(signIn.status()).as(signIn.body()).isEqualTo(302);
        assertThat(browser.get("/").status()).isEqualTo(200);
        return browser;
    }

    private static Map<String, String> fields(Element form) {
        Map<String, String> fields = new LinkedHashMap<>();
        form.select("input[name], textarea[name]").forEach(field ->
                fields.put(field.attr("name"), field.tagName().equals("textarea") ? field.wholeText() : field.attr("value")));
        return fields;
    }

    /** The measured figures, in the test's output (docs/zone-loss-and-failover.md quotes a run). */
    private static void figure(String format, Object... args) {
        Object[] shown = java.util.Arrays.stream(args).map(a -> a instanceof Duration d ? d.toMillis() : a).toArray();
        System.out.println("[outage figure] " + String.format(java.util.Locale.ROOT, format, shown));
    }

    private record Timed<T>(T value, Duration elapsed) {
    }

    private static <T> Timed<T> timed(Supplier<T> call) {
        long start = System.nanoTime();
        T value = call.get();
        return new Timed<>(value, Duration.ofNanos(System.nanoTime() - start));
    }

    /** Polls every 100 ms for at most 20 s; returns how long it took until the wanted status. */
    private static Duration awaitStatus(Supplier<Browser.Response> call, int wanted) {
        long start = System.nanoTime();
        long deadline = start + Duration.ofSeconds(20).toNanos();
        int status;
        do {
            status = call.get().status();
            if (status == wanted) {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("still " + status + " after 20 s, wanted " + wanted);
    }

    private static HttpResponse<String> get(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void ensurePostgresUp() {
        try {
            stores.startPostgres();
        } catch (RuntimeException alreadyRunning) {
            // started by the test itself
        }
    }

    private static void ensureRedisUp() {
        try {
            stores.startRedis();
        } catch (RuntimeException alreadyRunning) {
            // started by the test itself
        }
    }
}
