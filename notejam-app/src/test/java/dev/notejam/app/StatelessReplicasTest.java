package dev.notejam.app;

import dev.notejam.app.testsupport.Browser;
import dev.notejam.app.testsupport.EmbeddedDataStores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Two app instances (two Spring contexts on their own ports) sharing one PostgreSQL and one Redis. */
class StatelessReplicasTest {

    private static final String PASSWORD = "replica password";
    private static ConfigurableApplicationContext instanceA;
    private static ConfigurableApplicationContext instanceB;

    static ConfigurableApplicationContext startInstance() {
        Map<String, Object> properties = new HashMap<>(EmbeddedDataStores.shared().springProperties());
        properties.put("server.port", "0");
        properties.put("management.server.port", "0");
        properties.put("notejam.limits.sign-in-failures-per-address", "8");
        return new SpringApplicationBuilder(NotejamApplication.class).run(asArgs(properties));
    }

    static String url(ConfigurableApplicationContext instance) {
        return "http://127.0.0.1:" + instance.getEnvironment().getProperty("local.server.port");
    }

    @BeforeAll
    static void startTwoInstances() {
        instanceA = startInstance();
        instanceB = startInstance();
    }

    @AfterAll
    static void stop() {
        for (ConfigurableApplicationContext instance : new ConfigurableApplicationContext[]{instanceA, instanceB}) {
            if (instance != null && instance.isActive()) {
                instance.close();
            }
        }
    }

    private static final java.util.concurrent.atomic.AtomicInteger CLIENTS = new java.util.concurrent.atomic.AtomicInteger();

    /** Signs up and in from an address of its own (sign-ups are limited per address; the limit tests use 127.0.0.1). */
    private static Browser signedInOnA(String email) {
        Browser onA = new Browser(url(instanceA)).from("203.0.113." + (CLIENTS.incrementAndGet() % 250 + 1));
        onA.submit("/signup/", "/signup/", Map.of("email", email, "password", PASSWORD, "repeatPassword", PASSWORD));
        assertThat(onA.submit("/signin/", "/signin/", Map.of("email", email, "password", PASSWORD)).status()).isEqualTo(302);
        return onA;
    }

    @Test
    void aUserSignedInOnOneInstanceWorksOnTheOtherAndSurvivesTheFirstStopping() {
        String email = "replica-" + System.nanoTime() + "@example.com";
        Browser onA = signedInOnA(email);
        Browser onB = onA.sameCookiesAt(url(instanceB));

        Browser.Response home = onB.get("/");
        assertThat(home.status()).as("session from A is valid on B").isEqualTo(200);
        assertThat(home.html().select(".account .email").text()).isEqualTo(email);

        Browser.Response created = onB.submit("/notes/create/", "/notes/create/", Map.of("name", "written on B", "text", "x", "pad", ""));
        assertThat(created.status()).as("CSRF token and session work across instances").isEqualTo(302);
        assertThat(onA.get("/").html().select("table.notes a").eachText()).contains("written on B");

        // Flash set by a redirect on A is shown by B.
        onA.get("/pads/create/");
        Browser.Response pad = onA.post("/pads/create/", Map.of("name", "flash across"));
        assertThat(onB.get(pad.location()).flash()).isEqualTo("Pad is successfully created");

        instanceA.close();
        Browser.Response afterStop = onB.submit("/notes/create/", "/notes/create/", Map.of("name", "after A stopped", "text", "y", "pad", ""));
        assertThat(afterStop.status()).isEqualTo(302);
        assertThat(onB.get("/").html().select("table.notes a").eachText()).contains("written on B", "after A stopped");
    }

    @Test
    void failedSignInsAreCountedAcrossInstancesPerAccountAndPerAddress() {
        if (!instanceA.isActive()) {
            instanceA = startInstance();
        }
        // Other test classes share this Redis and fail sign-ins from 127.0.0.1 too: start from a clean window.
        var redis = instanceA.getBean(org.springframework.data.redis.core.StringRedisTemplate.class);
        redis.delete(redis.keys("notejam:ratelimit:signin-*"));
        String email = "throttle-" + System.nanoTime() + "@example.com";
        signedInOnA(email);
        for (int attempt = 1; attempt <= 5; attempt++) {
            Browser browser = new Browser(url(attempt % 2 == 0 ? instanceA : instanceB));
            Browser.Response wrong = browser.submit("/signin/", "/signin/", Map.of("email", email, "password", "wrong " + attempt));
            assertThat(wrong.status()).as("attempt %d", attempt).isEqualTo(200);
            assertThat(wrong.html().select(".form-error").text()).isEqualTo("Wrong email or password");
        }
        for (ConfigurableApplicationContext instance : new ConfigurableApplicationContext[]{instanceA, instanceB}) {
            Browser.Response refused = new Browser(url(instance)).submit("/signin/", "/signin/", Map.of("email", email, "password", PASSWORD));
            assertThat(refused.status()).as("even the right password is refused for now").isEqualTo(429);
            assertThat(refused.html().select(".form-error").text()).matches("Too many failed sign-in attempts. Try again in \\d+ minutes?\\.");
        }

        // Per address: 8 failures in the window from 127.0.0.1, across accounts and instances, then refusal.
        String other = "throttle-other-" + System.nanoTime() + "@example.com";
        signedInOnA(other);
        Browser.Response last = null;
        for (int attempt = 1; attempt <= 4; attempt++) {
            last = new Browser(url(attempt % 2 == 0 ? instanceA : instanceB))
                    .submit("/signin/", "/signin/", Map.of("email", "unknown-" + attempt + other, "password", "x"));
        }
        assertThat(last.status()).isEqualTo(429);
        assertThat(new Browser(url(instanceB)).submit("/signin/", "/signin/", Map.of("email", other, "password", PASSWORD)).status())
                .as("the address is refused for every account").isEqualTo(429);
    }

    @Test
    void signOutOnOneInstanceSignsOutOnBoth() {
        if (!instanceA.isActive()) {
            instanceA = startInstance();
        }
        Browser onA = signedInOnA("signout-" + System.nanoTime() + "@example.com");
        Browser onB = onA.sameCookiesAt(url(instanceB));
        onB.get("/");

        assertThat(onB.post("/signout/", Map.of()).status()).isEqualTo(302);

        Browser.Response onAAfter = onA.get("/");
        assertThat(onAAfter.status()).isEqualTo(302);
        assertThat(onAAfter.location()).startsWith("/signin/");
    }

    /** Command-line arguments outrank application.yml, as environment variables do in production. */
    static String[] asArgs(Map<String, Object> properties) {
        return properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }
}
