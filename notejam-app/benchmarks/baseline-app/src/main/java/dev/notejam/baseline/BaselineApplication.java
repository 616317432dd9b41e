package dev.notejam.baseline;

import org.springframework.aot.AotDetector;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.actuate.startup.StartupEndpoint;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.metrics.buffering.BufferingApplicationStartup;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * One controller on Spring MVC, with Actuator's readiness probe on the management port as in the app: how long
 * Spring Boot itself takes to start on this machine, before any of Notejam's own parts (benchmarks/startup.sh).
 * NOTEJAM_STARTUP_STEPS records Spring's start-up steps as the app does, so benchmarks/startup-steps.sh can put
 * the two profiles side by side.
 */
@SpringBootApplication
@RestController
public class BaselineApplication {

    @GetMapping("/")
    String home() {
        return "baseline";
    }

    public static void main(String[] args) {
        SpringApplication app = new SpringApplication(BaselineApplication.class);
        String steps = System.getenv("NOTEJAM_STARTUP_STEPS");
        if (steps != null && steps.matches("[1-9][0-9]{0,6}")) {
            BufferingApplicationStartup recording = new BufferingApplicationStartup(Integer.parseInt(steps));
            app.setApplicationStartup(recording);
            if (AotDetector.useGeneratedArtifacts()) {
                // Spring AOT evaluated the endpoint's condition at build time, without a recording: register it here.
                app.addInitializers(context -> ((GenericApplicationContext) context)
                        .registerBean(StartupEndpoint.class, () -> new StartupEndpoint(recording)));
            }
        }
        app.run(args);
    }
}
