package dev.notejam.baseline;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * One controller on Spring MVC, with Actuator's readiness probe on the management port as in the app: how long
 * Spring Boot itself takes to start on this machine, before any of Notejam's own parts (benchmarks/startup.sh).
 */
@SpringBootApplication
@RestController
public class BaselineApplication {

    @GetMapping("/")
    String home() {
        return "baseline";
    }

    public static void main(String[] args) {
        SpringApplication.run(BaselineApplication.class, args);
    }
}
