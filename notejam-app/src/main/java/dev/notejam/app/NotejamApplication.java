package dev.notejam.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

import java.util.Map;

@SpringBootApplication
@ConfigurationPropertiesScan
public class NotejamApplication {

    /** Set to {@code true} to apply the Flyway migrations and exit (the chart's pre-upgrade hook Job). */
    static final String MIGRATE_ONLY_ENV = "NOTEJAM_MIGRATE_ONLY";

    public static void main(String[] args) {
        if (Boolean.parseBoolean(System.getenv(MIGRATE_ONLY_ENV))) {
            System.exit(migrate(args));
        }
        SpringApplication.run(NotejamApplication.class, args);
    }

    /** Starts without a web server, lets Flyway migrate on start-up, then exits. */
    static int migrate(String... args) {
        SpringApplication app = new SpringApplication(NotejamApplication.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.setDefaultProperties(Map.of("spring.flyway.enabled", "true"));
        return SpringApplication.exit(app.run(args));
    }
}
