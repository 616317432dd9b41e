package dev.notejam.app.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

@Configuration(proxyBeanMethods = false)
class ClockConfig {

    /** One clock for the app, so tests can fix time and smart dates use the configured zone. */
    @Bean
    Clock clock(NotejamProperties properties) {
        return Clock.system(properties.timeZone());
    }
}
