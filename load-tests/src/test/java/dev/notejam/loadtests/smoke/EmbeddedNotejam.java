package dev.notejam.loadtests.smoke;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import dev.notejam.app.NotejamApplication;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import redis.embedded.RedisServer;

/**
 * Starts the real Notejam app (the notejam-app artifact) on embedded PostgreSQL and Redis for the {@code smoke} run
 * of {@code ./mvnw verify}: the same defaults as the app's local run, on the ports Maven reserved.
 *
 * <p>Bounded: it stops when {@code stopFile} appears (post-integration-test), when its parent Maven process goes
 * away, or after {@code maxLifetimeSeconds}.
 *
 * <pre>EmbeddedNotejam &lt;httpPort&gt; &lt;managementPort&gt; &lt;stopFile&gt; &lt;maxLifetimeSeconds&gt;</pre>
 */
public final class EmbeddedNotejam {

	private EmbeddedNotejam() {
	}

	public static void main(String[] args) throws Exception {
		int httpPort = Integer.parseInt(args[0]);
		int managementPort = Integer.parseInt(args[1]);
		Path stopFile = Path.of(args[2]);
		Duration maxLifetime = Duration.ofSeconds(Long.parseLong(args[3]));
		Files.deleteIfExists(stopFile);
		long started = System.nanoTime();

		EmbeddedPostgres postgres = EmbeddedPostgres.builder()
				.setLocaleConfig("locale", "C.UTF-8")
				.setLocaleConfig("encoding", "UTF8")
				.setServerConfig("listen_addresses", "127.0.0.1")
				.start();
		try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
			connection.createStatement().execute("create database notejam");
		}
		int redisPort = Integer.parseInt(args.length > 4 ? args[4] : String.valueOf(freePort()));
		RedisServer redis = RedisServer.newRedisServer().port(redisPort).setting("bind 127.0.0.1").setting("save \"\"")
				.setting("appendonly no").build();
		redis.start();

		// command-line arguments outrank application.yml (default properties would not)
		Map<String, Object> properties = new java.util.LinkedHashMap<>();
		properties.put("server.port", httpPort);
		properties.put("server.address", "127.0.0.1");
		properties.put("management.server.port", managementPort);
		properties.put("management.server.address", "127.0.0.1");
		properties.put("spring.datasource.url", "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/notejam");
		properties.put("spring.datasource.username", "postgres");
		properties.put("spring.datasource.password", "");
		properties.put("spring.data.redis.host", "127.0.0.1");
		properties.put("spring.data.redis.port", redisPort);
		properties.put("logging.level.root", "WARN");
		SpringApplication app = new SpringApplication(NotejamApplication.class);
		app.setRegisterShutdownHook(false);
		ConfigurableApplicationContext context = app.run(properties.entrySet().stream()
				.map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new));
		System.out.printf("embedded notejam: ready on http://127.0.0.1:%d/ in %.1f s%n", httpPort,
				(System.nanoTime() - started) / 1e9);

		Runnable stop = () -> {
			context.close();
			try {
				redis.stop();
				postgres.close();
			}
			catch (IOException e) {
				System.err.println("embedded notejam: stopping the data stores failed: " + e);
			}
		};
		Runtime.getRuntime().addShutdownHook(new Thread(stop, "embedded-notejam-stop"));
		Instant deadline = Instant.now().plus(maxLifetime);
		ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
		while (!Files.exists(stopFile) && Instant.now().isBefore(deadline) && (parent == null || parent.isAlive())) {
			Thread.sleep(500);
		}
		System.out.println("embedded notejam: stopping");
		System.exit(0);
	}

	private static int freePort() throws IOException {
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}
}
