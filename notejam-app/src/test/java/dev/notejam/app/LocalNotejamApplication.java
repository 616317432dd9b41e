package dev.notejam.app;

import dev.notejam.app.testsupport.EmbeddedDataStores;
import dev.notejam.app.testsupport.EmbeddedMail;
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

    /** System properties outrank application.yml; an explicitly set environment variable still wins. */
    private static void setUnlessInEnvironment(String key, String value) {
        String envName = key.toUpperCase().replace('.', '_').replace("-", "");
        if (System.getenv(envName) == null) {
            System.setProperty(key, value);
        }
    }

    private static void printMailsAsTheyArrive(EmbeddedMail mail) {
        Thread printer = new Thread(() -> {
            int seen = 0;
            while (!Thread.currentThread().isInterrupted()) {
                var messages = mail.received();
                for (; seen < messages.length; seen++) {
                    try {
                        System.out.printf("%n--- mail to %s: %s%n%s%n---%n", String.join(", ",
                                java.util.Arrays.stream(messages[seen].getAllRecipients()).map(Object::toString).toList()),
                                messages[seen].getSubject(), EmbeddedMail.body(messages[seen]));
                    } catch (jakarta.mail.MessagingException e) {
                        System.out.println("--- unreadable mail: " + e.getMessage());
                    }
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "local-mail-printer");
        printer.setDaemon(true);
        printer.start();
    }

    public static void main(String[] args) {
        long started = System.nanoTime();
        Path dataDir = Path.of(System.getenv().getOrDefault("NOTEJAM_LOCAL_DATA_DIR",
                System.getProperty("user.home") + "/.notejam-local"));
        System.out.println("Notejam local run: starting embedded PostgreSQL (data in " + dataDir + ") and Redis...");
        EmbeddedDataStores stores = EmbeddedDataStores.start(dataDir.resolve("postgres"));
        EmbeddedMail mail = EmbeddedMail.start(EmbeddedDataStores.freePort());
        setUnlessInEnvironment("spring.mail.host", "127.0.0.1");
        setUnlessInEnvironment("spring.mail.port", String.valueOf(mail.port()));
        printMailsAsTheyArrive(mail);

        stores.springProperties().forEach((key, value) -> setUnlessInEnvironment(key, value.toString()));
        SpringApplication app = new SpringApplication(NotejamApplication.class);
        app.setRegisterShutdownHook(false);
        app.addListeners((ApplicationReadyEvent ready) -> {
            String port = ready.getApplicationContext().getEnvironment().getProperty("local.server.port", "8080");
            System.out.printf("%nNotejam is ready at http://localhost:%s/ (started in %.1f s). Press Ctrl-C to stop.%n"
                            + "Mails (password reset links) go to an embedded SMTP server on 127.0.0.1:%d and are printed here.%n%n",
                    port, Duration.ofNanos(System.nanoTime() - started).toMillis() / 1000.0, mail.port());
        });
        ConfigurableApplicationContext context;
        try {
            context = app.run(args);
        } catch (RuntimeException failed) {
            // Stop what was started, so a failed start leaves no process behind either.
            mail.close();
            stores.close();
            throw failed;
        }
        // One hook, in order: drain and stop the app, then the databases it uses.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            context.close();
            mail.close();
            stores.close();
            System.out.println("Notejam local run stopped.");
        }, "notejam-local-stop"));
    }
}
