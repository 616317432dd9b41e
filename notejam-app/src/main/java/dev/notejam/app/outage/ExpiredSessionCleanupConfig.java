package dev.notejam.app.outage;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.session.data.redis.RedisIndexedSessionRepository;

import java.time.Duration;

/**
 * Spring Session's clean-up of expired sessions, run by {@link ExpiredSessionCleanup} so that a Redis outage logs
 * one WARN line instead of a stack trace every minute.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication // the migrate-only mode has no sessions
class ExpiredSessionCleanupConfig {

    /** Spring Session's value for "never": its own scheduler is not created. */
    private static final String NO_CLEANUP_CRON = "-";

    /**
     * Turns off the task Spring Session would schedule for itself. Set before the repository's initialisation,
     * which is where that task is scheduled, and after every customizer (Spring Boot's sets the cron).
     */
    @Bean
    static BeanPostProcessor springSessionOwnCleanupOff() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof RedisIndexedSessionRepository sessions) {
                    sessions.setCleanupCron(NO_CLEANUP_CRON);
                }
                return bean;
            }
        };
    }

    /** Every minute by default, as Spring Session's own task ({@code 0 * * * * *}). */
    @Bean
    ExpiredSessionCleanup expiredSessionCleanup(RedisIndexedSessionRepository sessions,
            @Value("${notejam.sessions.cleanup-interval:60s}") Duration interval) {
        return new ExpiredSessionCleanup(sessions::cleanUpExpiredSessions, interval);
    }
}
