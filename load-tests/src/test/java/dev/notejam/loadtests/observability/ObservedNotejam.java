package dev.notejam.loadtests.observability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import dev.notejam.app.NotejamApplication;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The real Notejam app (the notejam-app artifact) on an embedded PostgreSQL, with Redis left to the caller, so that
 * the observability test can stop Redis under the running app. Logs stay at the app's own level (INFO, ECS JSON on
 * stdout): the test reads them.
 *
 * <p>Bounded: it stops when {@code stopFile} appears, when its parent process goes away, or after
 * {@code maxLifetimeSeconds}.
 *
 * <pre>ObservedNotejam &lt;httpPort&gt; &lt;managementPort&gt; &lt;redisPort&gt; &lt;stopFile&gt; &lt;maxLifetimeSeconds&gt; &lt;smtpPort&gt;</pre>
 */
public final class ObservedNotejam {

	private ObservedNotejam() {
	}

	public static void main(String[] args) throws Exception {
		int httpPort = Integer.parseInt(args[0]);
		int managementPort = Integer.parseInt(args[1]);
		int redisPort = Integer.parseInt(args[2]);
		Path stopFile = Path.of(args[3]);
		Instant deadline = Instant.now().plus(Duration.ofSeconds(Long.parseLong(args[4])));

		EmbeddedPostgres postgres = EmbeddedPostgres.builder()
				.setLocaleConfig("locale", "C.UTF-8")
				.setLocaleConfig("encoding", "UTF8")
				.setServerConfig("listen_addresses", "127.0.0.1")
				.start();
		try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
			connection.createStatement().execute("create database notejam");
		}
		String[] properties = {
				"--server.port=" + httpPort, "--server.address=127.0.0.1",
				"--management.server.port=" + managementPort, "--management.server.address=127.0.0.1",
				"--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/notejam",
				"--spring.datasource.username=postgres", "--spring.datasource.password=",
				"--spring.data.redis.host=127.0.0.1", "--spring.data.redis.port=" + redisPort,
				// 2 s (application.yml) is too short for a first handshake on a build machine with a load of 30;
				// a stopped Redis still fails every request, only later.
				"--spring.data.redis.timeout=10s", "--spring.data.redis.connect-timeout=10s",
				"--spring.mail.host=127.0.0.1", "--spring.mail.port=" + args[5],
				"--notejam.base-url=http://127.0.0.1:" + httpPort };
		SpringApplication app = new SpringApplication(NotejamApplication.class);
		app.setRegisterShutdownHook(false);
		ConfigurableApplicationContext context = app.run(properties);
		Runtime.getRuntime().addShutdownHook(new Thread(() -> {
			context.close();
			try {
				postgres.close();
			}
			catch (java.io.IOException e) {
				System.err.println("observed notejam: stopping PostgreSQL failed: " + e);
			}
		}, "observed-notejam-stop"));
		ProcessHandle parent = ProcessHandle.current().parent().orElse(null);
		while (!Files.exists(stopFile) && Instant.now().isBefore(deadline) && (parent == null || parent.isAlive())) {
			Thread.sleep(500);
		}
		System.exit(0);
	}
}
