package dev.notejam.app;

import dev.notejam.app.testsupport.EmbeddedDataStores;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ConfigurableApplicationContext;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The local run: Notejam on http://localhost:8080 with embedded PostgreSQL and Redis, nothing to install.
 * Start it with {@code ./mvnw -pl notejam-app spring-boot:test-run}. Notes are kept in {@code ~/.notejam-local}
 * (or {@code NOTEJAM_LOCAL_DATA_DIR}) between runs. Ctrl-C stops the app, then both databases.
 */
public final class LocalNotejamApplication {

    private LocalNotejamApplication() {
    }

    public static void main(String[] args) {
        long started = System.nanoTime();
        Path dataDir = Path.of(System.getenv().getOrDefault("NOTEJAM_LOCAL_DATA_DIR",
                System.getProperty("user.home") + "/.notejam-local"));
        System.out.println("Notejam local run: starting embedded PostgreSQL (data in " + dataDir + ") and Redis...");
        EmbeddedDataStores stores = EmbeddedDataStores.start(dataDir.resolve("postgres"));

        // System properties outrank application.yml; an explicitly set environment variable still wins.
        stores.springProperties().forEach((key, value) -> {
            String envName = key.toUpperCase().replace('.', '_').replace("-", "");
            if (System.getenv(envName) == null) {
                System.setProperty(key, value.toString());
            }
        });
        SpringApplication app = new SpringApplication(NotejamApplication.class);
        app.setRegisterShutdownHook(false);
        app.addListeners((ApplicationReadyEvent ready) -> {
            String port = ready.getApplicationContext().getEnvironment().getProperty("local.server.port", "8080");
            System.out.printf("%nNotejam is ready at http://localhost:%s/ (started in %.1f s). Press Ctrl-C to stop.%n%n",
                    port, Duration.ofNanos(System.nanoTime() - started).toMillis() / 1000.0);
        });
        ConfigurableApplicationContext context;
        try {
            context = app.run(args);
        } catch (RuntimeException failed) {
            stores.close();
            throw failed;
        }
        // One hook, in order: drain and stop the app, then the databases it uses.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            context.close();
            stores.close();
            System.out.println("Notejam local run stopped.");
        }, "notejam-local-stop"));
    }
}
