package dev.notejam.app.config;

import dev.notejam.app.NotejamApplication;
import dev.notejam.app.testsupport.EmbeddedDataStores;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import redis.embedded.RedisServer;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Start-up, migrations, health and metrics: what the platform relies on to run the app. */
class OperationsTest {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static String freshDatabase() {
        String name = "ops_" + System.nanoTime();
        JdbcClient admin = JdbcClient.create(new DriverManagerDataSource(
                EmbeddedDataStores.shared().jdbcUrl().replace("/notejam", "/postgres"), "postgres", ""));
        admin.sql("create database " + name).update();
        return EmbeddedDataStores.shared().jdbcUrl().replace("/notejam", "/" + name);
    }

    private static int migrationFiles() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            return (int) files.filter(f -> f.getFileName().toString().matches("V\\d+__.+\\.sql")).count();
        }
    }

    @Test
    void migrateOnlyModeAppliesMigrationsToAnEmptyDatabaseAndIsIdempotent() throws Exception {
        String url = freshDatabase();
        String[] args = {"--spring.datasource.url=" + url, "--spring.datasource.username=postgres", "--spring.datasource.password="};
        JdbcClient db = JdbcClient.create(new DriverManagerDataSource(url, "postgres", ""));

        assertThat(invokeMigrate(args)).isZero();
        long applied = db.sql("select count(*) from flyway_schema_history where success").query(Long.class).single();
        assertThat(applied).isEqualTo(migrationFiles());
        assertThat(db.sql("select count(*) from information_schema.tables where table_name in ('users','pads','notes')").query(Long.class).single()).isEqualTo(3);

        assertThat(invokeMigrate(args)).as("second run on a migrated database").isZero();
        assertThat(db.sql("select count(*) from flyway_schema_history").query(Long.class).single()).isEqualTo(applied);
    }

    private static int invokeMigrate(String[] args) throws Exception {
        var migrate = NotejamApplication.class.getDeclaredMethod("migrate", String[].class);
        migrate.setAccessible(true);
        return (int) migrate.invoke(null, (Object) args);
    }

    @Test
    void refusesToStartWithAClearMessageWhenTheDatabaseIsUnreachable() {
        int closedPort = EmbeddedDataStores.freePort();
        Map<String, Object> properties = new HashMap<>(EmbeddedDataStores.shared().springProperties());
        properties.put("spring.datasource.url", "jdbc:postgresql://127.0.0.1:" + closedPort + "/notejam");
        properties.put("server.port", "0");
        properties.put("management.server.port", "0");

        Throwable failure = org.assertj.core.api.Assertions.catchThrowable(() ->
                new SpringApplicationBuilder(NotejamApplication.class).run(asArgs(properties)));

        assertThat(failure).isNotNull();
        FailureAnalysis analysis = new DatabaseStartupFailureAnalyzer().analyze(failure);
        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).contains("cannot reach its PostgreSQL database").contains(String.valueOf(closedPort));
        assertThat(analysis.getAction()).contains("SPRING_DATASOURCE_URL");
    }

    @Test
    void forwardedProtoFromAnUntrustedAddressIsIgnored() throws Exception {
        Map<String, Object> properties = new HashMap<>(EmbeddedDataStores.shared().springProperties());
        properties.put("server.port", "0");
        properties.put("management.server.port", "0");
        // Only 10.9.9.9 is a trusted proxy: the test client at 127.0.0.1 is not.
        properties.put("server.tomcat.remoteip.internal-proxies", "10\\.9\\.9\\.9");
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(NotejamApplication.class).run(asArgs(properties))) {
            String url = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port") + "/signin/";
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("X-Forwarded-Proto", "https").build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Strict-Transport-Security")).isEmpty();
            assertThat(response.headers().allValues("Set-Cookie")).allSatisfy(cookie -> assertThat(cookie).doesNotContain("Secure"));
        }
    }

    @Test
    void readinessGoesDownWithRedisWhileLivenessStaysUpAndMetricsAndInfoAreServed() throws Exception {
        int redisPort = EmbeddedDataStores.freePort();
        RedisServer redis = RedisServer.newRedisServer().port(redisPort).setting("bind 127.0.0.1").setting("save \"\"").build();
        redis.start();
        Map<String, Object> properties = new HashMap<>(EmbeddedDataStores.shared().springProperties());
        properties.put("spring.data.redis.port", String.valueOf(redisPort));
        properties.put("server.port", "0");
        properties.put("management.server.port", "0");
        try (ConfigurableApplicationContext app = new SpringApplicationBuilder(NotejamApplication.class).run(asArgs(properties))) {
            String management = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.management.port");
            assertThat(get(management + "/actuator/health/readiness").statusCode()).isEqualTo(200);
            assertThat(get(management + "/actuator/health/liveness").statusCode()).isEqualTo(200);

            HttpResponse<String> info = get(management + "/actuator/info");
            assertThat(info.body()).contains("\"build\"").contains("\"version\"");
            get("http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port") + "/signin/");
            HttpResponse<String> metrics = get(management + "/actuator/prometheus");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("http_server_requests_seconds_bucket").contains("hikaricp_connections");
            // The dashboard's "Busy Tomcat threads", without Tomcat's MBean registry (TomcatThreadMetrics): the user
            // port's pool only, at the configured maximum.
            assertThat(metrics.body()).containsPattern("(?m)^tomcat_threads_busy_threads\\{[^}]*\\} [0-9.]+$")
                    .containsPattern("(?m)^tomcat_threads_config_max_threads\\{[^}]*\\} "
                            + app.getEnvironment().getRequiredProperty("server.tomcat.threads.max", Integer.class) + "\\.0$");
            assertThat(metrics.body().lines().filter(line -> line.startsWith("tomcat_threads_config_max_threads{")))
                    .as("one series: the management server's pool is not counted").hasSize(1);
            // A form whose body never arrives holds one request thread, which the gauge must show.
            try (Socket slowClient = new Socket("127.0.0.1", app.getEnvironment().getRequiredProperty("local.server.port", Integer.class))) {
                slowClient.getOutputStream().write(("POST /signin/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 40\r\n\r\nemail=")
                        .getBytes(StandardCharsets.US_ASCII));
                slowClient.getOutputStream().flush();
                Instant deadline = Instant.now().plusSeconds(10);
                double busy;
                do {
                    Thread.sleep(100); // Tomcat hands the request to a thread after the headers arrive
                    busy = get(management + "/actuator/prometheus").body().lines()
                            .filter(line -> line.startsWith("tomcat_threads_busy_threads{"))
                            .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
                } while (busy < 1 && Instant.now().isBefore(deadline));
                assertThat(busy).as("busy request threads while a body is awaited").isGreaterThanOrEqualTo(1);
            }

            redis.stop();
            assertThat(awaitStatus(management + "/actuator/health/readiness", 503)).as("readiness DOWN without Redis").isEqualTo(503);
            assertThat(get(management + "/actuator/health/liveness").statusCode()).as("liveness stays UP").isEqualTo(200);

            redis.start();
            assertThat(awaitStatus(management + "/actuator/health/readiness", 200)).as("readiness back UP").isEqualTo(200);
        } finally {
            if (redis.isActive()) {
                redis.stop();
            }
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Polls for at most 20 s, 4 times a second; returns the last status seen. */
    private static int awaitStatus(String url, int wanted) throws Exception {
        Instant deadline = Instant.now().plusSeconds(20);
        int status;
        do {
            status = get(url).statusCode();
            if (status == wanted) {
                return status;
            }
            Thread.sleep(250);
        } while (Instant.now().isBefore(deadline));
        return status;
    }

    /** Command-line arguments outrank application.yml, as environment variables do in production. */
    static String[] asArgs(Map<String, Object> properties) {
        return properties.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }
}
