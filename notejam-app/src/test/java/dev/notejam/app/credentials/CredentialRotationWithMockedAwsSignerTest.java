package dev.notejam.app.credentials;

import com.zaxxer.hikari.HikariDataSource;
import dev.notejam.app.NotejamApplication;
import dev.notejam.app.testsupport.Browser;
import dev.notejam.app.testsupport.EmbeddedDataStores;
import io.lettuce.core.AclSetuserArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Credential rotation that running pods survive, on the real PostgreSQL and Redis of the tests: the app runs with
 * {@code NOTEJAM_DATABASE_IAM_AUTH=true} and {@code NOTEJAM_REDIS_IAM_AUTH=true}, and test token issuers stand in for
 * the AWS signer (the mocked part): they hand out the current password of a PostgreSQL role (password
 * authentication, scram-sha-256) and of a Redis ACL user. The passwords are then changed on the servers while a
 * signed-in user keeps loading pages: open connections keep serving, every new connection logs in with the new
 * password, the old one is refused, and no request fails; the app is never restarted.
 */
class CredentialRotationWithMockedAwsSignerTest {

    private static final String SUFFIX = Long.toHexString(System.nanoTime());
    private static final String ROLE = "rotating_app_" + SUFFIX;
    private static final String DATABASE = "notejam_rotation_" + SUFFIX;
    private static final String REDIS_USER = "rotating-app-" + SUFFIX;

    private static final AtomicReference<String> databasePassword = new AtomicReference<>("db-first-" + SUFFIX);
    private static final AtomicReference<String> redisPassword = new AtomicReference<>("redis-first-" + SUFFIX);
    private static final AtomicInteger databaseLogins = new AtomicInteger();
    private static final AtomicInteger redisLogins = new AtomicInteger();

    private static EmbeddedDataStores stores;
    private static RedisClient redisAdmin;
    private static RedisCommands<String, String> redis;
    private static ConfigurableApplicationContext app;
    private static String baseUrl;

    @BeforeAll
    static void start() throws Exception {
        stores = EmbeddedDataStores.shared();
        try (Connection admin = superuser("postgres")) {
            admin.createStatement().execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD '" + databasePassword.get() + "'");
            admin.createStatement().execute("CREATE DATABASE " + DATABASE + " OWNER " + ROLE);
            requirePasswordOfTheRole(admin, DATABASE);
        }
        redisAdmin = RedisClient.create(RedisURI.create("127.0.0.1", stores.redisPort()));
        StatefulRedisConnection<String, String> connection = redisAdmin.connect();
        redis = connection.sync();
        redis.aclSetuser(REDIS_USER, AclSetuserArgs.Builder.on().addPassword(redisPassword.get()).allKeys().allChannels().allCommands());

        Map<String, Object> properties = new HashMap<>(stores.springProperties());
        properties.put("spring.datasource.url", "jdbc:postgresql://127.0.0.1:" + stores.postgresPort() + "/" + DATABASE);
        properties.put("spring.datasource.username", ROLE);
        properties.put("spring.datasource.password", "");
        properties.put("spring.datasource.hikari.maximum-pool-size", "4");
        properties.put("spring.data.redis.timeout", "10s");
        properties.put("spring.data.redis.connect-timeout", "10s");
        properties.put(IamAuthSettings.DATABASE_FLAG, "true");
        properties.put(IamAuthSettings.REDIS_FLAG, "true");
        properties.put(IamAuthSettings.REDIS_USER_ID, REDIS_USER);
        properties.put("server.port", "0");
        properties.put("management.server.port", "0");
        String[] args = properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        app = new SpringApplicationBuilder(NotejamApplication.class)
                .initializers(context -> {
                    context.getBeanFactory().registerSingleton(IamAuthConfig.DATABASE_TOKENS_BEAN,
                            (ConnectionTokens) () -> { databaseLogins.incrementAndGet(); return databasePassword.get(); });
                    context.getBeanFactory().registerSingleton(IamAuthConfig.REDIS_TOKENS_BEAN,
                            (ConnectionTokens) () -> { redisLogins.incrementAndGet(); return redisPassword.get(); });
                })
                .run(args);
        baseUrl = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
        // The first pages compile templates; on a machine shared with other builds that can outlast a request timeout.
        for (int attempt = 1; ; attempt++) {
            try {
                new Browser(baseUrl).get("/signup/");
                break;
            } catch (java.io.UncheckedIOException slow) {
                if (attempt == 3) {
                    throw slow;
                }
            }
        }
    }

    @AfterAll
    static void stop() {
        if (app != null) {
            app.close();
        }
        if (redisAdmin != null) {
            redisAdmin.shutdown();
        }
    }

    @Test
    void passwordsChangedUnderTheRunningAppAreUsedByNewConnectionsWithoutAFailedRequest() throws Exception {
        Browser user = new Browser(baseUrl).from("203.0.113.77");
        String email = "rotation-" + SUFFIX + "@example.com";
        String password = "rotation password 1";
        user.submit("/signup/", "/signup/", Map.of("email", email, "password", password, "repeatPassword", password));
        assertThat(user.submit("/signin/", "/signin/", Map.of("email", email, "password", password)).status()).isEqualTo(302);
        assertThat(databaseLogins.get()).as("the pool logged in through the token issuer").isPositive();
        assertThat(redisLogins.get()).as("Lettuce logged in through the token issuer").isPositive();
        assertThat(redis.clientList()).as("the app's Redis connection is the ACL user's").contains("user=" + REDIS_USER);

        try (PageLoads load = new PageLoads(user.sameCookiesAt(baseUrl))) {
            load.awaitMore(5);

            // PostgreSQL: the role's password changes under the running pool.
            Set<Integer> backendsBefore = backends();
            assertThat(backendsBefore).isNotEmpty();
            String newDatabasePassword = "db-second-" + SUFFIX;
            try (Connection admin = superuser(DATABASE)) {
                admin.createStatement().execute("ALTER ROLE " + ROLE + " PASSWORD '" + newDatabasePassword + "'");
            }
            String oldDatabasePassword = databasePassword.getAndSet(newDatabasePassword);
            assertThatThrownBy(() -> login(oldDatabasePassword)).as("the old password is refused now").isInstanceOf(SQLException.class);
            load.awaitMore(5);
            assertThat(backends()).as("pooled connections opened with the old password still serve").containsAll(backendsBefore);

            int loginsBefore = databaseLogins.get();
            ((HikariDataSource) app.getBean(javax.sql.DataSource.class)).getHikariPoolMXBean().softEvictConnections();
            Set<Integer> backendsAfter = awaitOnlyNewBackends(backendsBefore);
            assertThat(databaseLogins.get()).as("each new connection asked for the current password").isGreaterThan(loginsBefore);
            load.awaitMore(5);
            assertThat(backends()).as("every connection now open logged in with the new password").doesNotContainAnyElementsOf(backendsBefore)
                    .isNotEmpty();
            assertThat(user.submit("/notes/create/", "/notes/create/", Map.of("name", "after rotation", "text", "x", "pad", "")).status())
                    .as("a write after the rotation").isEqualTo(302);

            // Redis: the ACL user's password changes (new one added, old one removed) under the open connection.
            String newRedisPassword = "redis-second-" + SUFFIX;
            String oldRedisPassword = redisPassword.get();
            redis.aclSetuser(REDIS_USER, AclSetuserArgs.Builder.addPassword(newRedisPassword).removePassword(oldRedisPassword));
            redisPassword.set(newRedisPassword);
            assertThat(authenticates(oldRedisPassword)).as("the old Redis password is refused now").isFalse();
            load.awaitMore(5);

            // A new connection (ElastiCache closes IAM connections after 12 hours; failovers reconnect) logs in with
            // the new password. Loads pause while the connection is dropped: a dropped connection is
            // DependencyOutageTest's subject, here only the credentials of the next one matter.
            int redisLoginsBefore = redisLogins.get();
            load.paused(() -> {
                redis.clientKill(io.lettuce.core.KillArgs.Builder.user(REDIS_USER));
                awaitRedisReconnected();
            });
            assertThat(redisLogins.get()).as("the reconnection asked for the current password").isGreaterThan(redisLoginsBefore);
            load.awaitMore(5);
            assertThat(load.failures()).as("no page failed during the rotations").isEmpty();
        }
        assertThat(user.get("/").status()).isEqualTo(200);
    }

    /** Keeps loading the signed-in home page (session in Redis, notes from PostgreSQL) and records failures. */
    private static final class PageLoads implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicBoolean pause = new AtomicBoolean();
        private final AtomicBoolean idle = new AtomicBoolean();
        private final AtomicInteger loads = new AtomicInteger();
        private final List<String> failures = new CopyOnWriteArrayList<>();
        private final Thread thread;

        PageLoads(Browser browser) {
            thread = new Thread(() -> {
                while (running.get()) {
                    if (pause.get()) {
                        idle.set(true);
                        sleep(10);
                        continue;
                    }
                    idle.set(false);
                    try {
                        int status = browser.get("/").status();
                        if (status != 200) {
                            failures.add("status " + status);
                        }
                    } catch (RuntimeException e) {
                        failures.add(e.toString());
                    }
                    loads.incrementAndGet();
                    sleep(20);
                }
            }, "page-loads");
            thread.start();
        }

        void awaitMore(int pages) {
            int target = loads.get() + pages;
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (loads.get() < target) {
                assertThat(System.nanoTime()).as("pages keep loading").isLessThan(deadline);
                sleep(10);
            }
        }

        void paused(Runnable action) {
            pause.set(true);
            while (!idle.get()) {
                sleep(5);
            }
            try {
                action.run();
            } finally {
                pause.set(false);
            }
        }

        List<String> failures() {
            return new ArrayList<>(failures);
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
        }
    }

    private static Connection superuser(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + stores.postgresPort() + "/" + database, "postgres", "");
    }

    private static void login(String password) throws SQLException {
        DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + stores.postgresPort() + "/" + DATABASE, ROLE, password).close();
    }

    /** The embedded server trusts every local login: this role's password is checked from now on. */
    private static void requirePasswordOfTheRole(Connection admin, String database) throws Exception {
        var rs = admin.createStatement().executeQuery("SHOW hba_file");
        rs.next();
        Path hba = Path.of(rs.getString(1));
        Files.writeString(hba, "host " + database + " " + ROLE + " 127.0.0.1/32 scram-sha-256\n" + Files.readString(hba));
        admin.createStatement().execute("SELECT pg_reload_conf()");
        Thread.sleep(300);
        assertThatThrownBy(() -> login("not-the-password")).as("the role's password is checked").isInstanceOf(SQLException.class);
    }

    private static Set<Integer> backends() throws SQLException {
        try (Connection admin = superuser("postgres");
             var s = admin.prepareStatement("SELECT pid FROM pg_stat_activity WHERE usename = ? AND datname = ?")) {
            s.setString(1, ROLE);
            s.setString(2, DATABASE);
            Set<Integer> pids = new HashSet<>();
            try (var rs = s.executeQuery()) {
                while (rs.next()) {
                    pids.add(rs.getInt(1));
                }
            }
            return pids;
        }
    }

    private static Set<Integer> awaitOnlyNewBackends(Set<Integer> old) throws SQLException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            Set<Integer> now = backends();
            if (!now.isEmpty() && now.stream().noneMatch(old::contains)) {
                return now;
            }
            assertThat(System.nanoTime()).as("the pool replaces its connections; open: %s, old: %s", now, old).isLessThan(deadline);
            sleep(50);
        }
    }

    private static boolean authenticates(String password) {
        try (StatefulRedisConnection<String, String> c = redisAdmin.connect()) {
            return "OK".equals(c.sync().auth(REDIS_USER, password));
        } catch (RuntimeException refused) {
            return false;
        }
    }

    private static void awaitRedisReconnected() {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!redis.clientList().contains("user=" + REDIS_USER)) {
            assertThat(System.nanoTime()).as("Lettuce reconnects as the ACL user").isLessThan(deadline);
            sleep(20);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
