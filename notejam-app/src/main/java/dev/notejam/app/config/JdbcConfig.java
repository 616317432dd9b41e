package dev.notejam.app.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

@Configuration(proxyBeanMethods = false)
class JdbcConfig {

    private static final Logger log = LoggerFactory.getLogger(JdbcConfig.class);

    /**
     * In the fast-start mode (Spring AOT) the auto-configuration is fixed at build time, so
     * {@code SPRING_FLYWAY_ENABLED=false} no longer removes Flyway. This keeps the switch working at run time:
     * app pods must not race the migration Job on the schema.
     */
    @Bean
    FlywayMigrationStrategy migrateUnlessDisabled(Environment environment) {
        return flyway -> {
            if (environment.getProperty("spring.flyway.enabled", Boolean.class, true)) {
                flyway.migrate();
            } else {
                log.info("Flyway migrations are disabled (spring.flyway.enabled=false); the schema is migrated elsewhere");
            }
        };
    }
}
