package dev.notejam.app;

import org.springframework.aot.AotDetector;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.startup.StartupEndpoint;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.support.GenericApplicationContext;

import java.util.Map;

@SpringBootApplication
@ConfigurationPropertiesScan
public class NotejamApplication {

    /** Set to {@code true} to apply the Flyway migrations and exit (the chart's pre-upgrade hook Job). */
    static final String MIGRATE_ONLY_ENV = "NOTEJAM_MIGRATE_ONLY";

    /**
     * Set to a number of steps to record Spring's start-up steps (bean creation, configuration-class parsing, ...) and
     * serve them at {@code /actuator/startup} on the management port, for profiling the start-up (BENCHMARKS.md).
     * Unset in normal runs: the recording costs a little time and memory.
     */
    static final String STARTUP_STEPS_ENV = "NOTEJAM_STARTUP_STEPS";

    public static void main(String[] args) {
        if (Boolean.parseBoolean(System.getenv(MIGRATE_ONLY_ENV))) {
            System.exit(migrate(args));
        }
        exitCleanlyOnSigterm();
        application(System.getenv(STARTUP_STEPS_ENV)).run(args);
    }

    /** The application, recording up to {@code startupSteps} start-up steps when that is a positive number. */
    static SpringApplication application(String startupSteps) {
        SpringApplication app = new SpringApplication(NotejamApplication.class);
        if (startupSteps != null && startupSteps.matches("[1-9][0-9]{0,6}")) {
            BufferingApplicationStartup steps = new BufferingApplicationStartup(Integer.parseInt(startupSteps));
            app.setApplicationStartup(steps);
            if (AotDetector.useGeneratedArtifacts()) {
                // Spring AOT evaluated the endpoint's condition at build time, without a recording: register it here.
                app.addInitializers(context -> ((GenericApplicationContext) context)
                        .registerBean(StartupEndpoint.class, () -> new StartupEndpoint(steps)));
            }
        }
        return app;
    }

    /**
     * SIGTERM is how Kubernetes and Docker stop a pod: run the shutdown hooks (Spring drains in-flight requests) and
     * exit 0, rather than the JVM's default 143, so a clean rollout never shows as a failed container.
     * Not used in migrate-only mode: a migration killed halfway must not look successful.
     */
    @SuppressWarnings("sunapi")
    private static void exitCleanlyOnSigterm() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> System.exit(0));
        } catch (IllegalArgumentException | UnsupportedOperationException unsupported) {
            // Not available on this platform: the JVM's default handling still runs the shutdown hooks.
        }
    }

    /**
     * Starts without a web server, lets Flyway migrate on start-up, then exits. Always a regular start: the Spring
     * AOT bean definitions describe the web application, and the fast-start image sets spring.aot.enabled for every
     * process it runs, this one included.
     */
    static int migrate(String... args) {
        System.setProperty("spring.aot.enabled", "false");
        SpringApplication app = new SpringApplication(NotejamApplication.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        app.setDefaultProperties(Map.of("spring.flyway.enabled", "true"));
        return SpringApplication.exit(app.run(args));
    }
}
