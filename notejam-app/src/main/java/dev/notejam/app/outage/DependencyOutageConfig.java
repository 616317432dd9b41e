package dev.notejam.app.outage;

import com.zaxxer.hikari.HikariDataSource;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.DispatcherType;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.DataRedisProperties;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.boot.data.redis.health.DataRedisHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.jdbc.health.DataSourceHealthIndicator;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.PropertySource;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.session.web.http.SessionRepositoryFilter;
import org.springframework.web.servlet.resource.ResourceUrlProvider;
import org.thymeleaf.spring6.SpringTemplateEngine;

import javax.sql.DataSource;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What the app does while PostgreSQL or Redis is unreachable: bounded waits ({@link DependencyTimeouts}), a 503
 * page instead of a 500 ({@link DependencyOutageFilter}), readiness checks that answer within the probe's timeout,
 * and a prompt reconnection when the store is back. Liveness never looks at either store, so no pod is restarted
 * for an outage it cannot fix.
 */
@Configuration(proxyBeanMethods = false)
@PropertySource("classpath:dependency-timeouts.properties")
class DependencyOutageConfig {

    /** Between Micrometer's HTTP metrics filter (highest precedence + 1) and Spring Session's filter. */
    static final int FILTER_ORDER = SessionRepositoryFilter.DEFAULT_ORDER - 10;

    /** The PostgreSQL driver's connect and read timeouts, given to the pool's connections before its first one. */
    @Bean
    static BeanPostProcessor databaseDriverTimeouts(ObjectProvider<DependencyTimeouts> timeouts) {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                if (bean instanceof HikariDataSource pool) {
                    DependencyTimeouts t = timeouts.getObject();
                    pool.addDataSourceProperty("connectTimeout", String.valueOf(DependencyTimeouts.wholeSeconds(t.databaseConnect())));
                    // The migration Job (NOTEJAM_MIGRATE_ONLY) may run statements longer than a page's: no read timeout.
                    Duration socket = Boolean.parseBoolean(System.getenv("NOTEJAM_MIGRATE_ONLY")) ? Duration.ZERO : t.databaseSocket();
                    pool.addDataSourceProperty("socketTimeout", String.valueOf(DependencyTimeouts.wholeSeconds(socket)));
                }
                return bean;
            }
        };
    }

    /**
     * While its connection is down Lettuce refuses commands at once instead of queueing them until the command
     * timeout: a page then answers 503 in milliseconds, not after the timeout.
     */
    @Bean
    LettuceClientOptionsBuilderCustomizer rejectRedisCommandsWhileDisconnected() {
        return options -> options.autoReconnect(true).disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
    }

    /** Reconnect attempts every 50 ms at first, then at most every {@code redis-reconnect-max-delay}. */
    @Bean
    ClientResourcesBuilderCustomizer redisReconnectDelay(DependencyTimeouts timeouts) {
        Duration max = timeouts.redisReconnectMaxDelay();
        Duration min = max.compareTo(Duration.ofMillis(50)) < 0 ? max : Duration.ofMillis(50);
        return resources -> resources.reconnectDelay(Delay.exponential(min, max, 2, TimeUnit.MILLISECONDS));
    }

    @Bean
    StuckRedisConnections stuckRedisConnections(LettuceConnectionFactory connections, DataRedisProperties redis) {
        Duration commandTimeout = redis.getTimeout() == null ? Duration.ofSeconds(60) : redis.getTimeout();
        // No more than one reset per command timeout: requests already waiting on the old connection time out
        // within that, and resetting again would only close the new connection.
        return new StuckRedisConnections(connections, commandTimeout.plusMillis(500));
    }

    /** Replaces Spring Boot's database check (same name, so readiness keeps "db") with a time-bounded one. */
    @Bean
    HealthIndicator dbHealthContributor(DataSource dataSource, DependencyTimeouts timeouts) {
        return new TimeBoundedHealthIndicator("db", new DataSourceHealthIndicator(dataSource), timeouts.healthCheck());
    }

    /** Replaces Spring Boot's Redis check (same name, so readiness keeps "redis") with a time-bounded one. */
    @Bean
    HealthIndicator redisHealthContributor(LettuceConnectionFactory connections, DependencyTimeouts timeouts,
                                           StuckRedisConnections stuckRedis) {
        return new TimeBoundedHealthIndicator("redis", new DataRedisHealthIndicator(connections), timeouts.healthCheck(),
                stuckRedis::commandTimedOut);
    }

    @Bean
    @ConditionalOnWebApplication
    FilterRegistrationBean<DependencyOutageFilter> dependencyOutageFilter(SpringTemplateEngine templates,
            ResourceUrlProvider resourceUrls, DependencyTimeouts timeouts, StuckRedisConnections stuckRedis,
            MeterRegistry meters) {
        FilterRegistrationBean<DependencyOutageFilter> registration = new FilterRegistrationBean<>(
                new DependencyOutageFilter(templates, resourceUrls, timeouts, stuckRedis, meters));
        registration.setOrder(FILTER_ORDER);
        registration.setDispatcherTypes(DispatcherType.REQUEST);
        return registration;
    }
}
