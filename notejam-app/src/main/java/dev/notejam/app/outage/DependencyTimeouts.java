package dev.notejam.app.outage;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;

/**
 * How long the app waits for PostgreSQL and Redis before it answers 503, under {@code notejam.timeouts.*}
 * (environment: {@code NOTEJAM_TIMEOUTS_*}). The pool's and Lettuce's own timeouts keep Spring's names
 * ({@code SPRING_DATASOURCE_HIKARI_CONNECTIONTIMEOUT}, {@code SPRING_DATA_REDIS_TIMEOUT}, ...); the chart sets all
 * of them, and docs/zone-loss-and-failover.md says why each value.
 *
 * @param databaseConnect         the PostgreSQL driver's TCP connect timeout (whole seconds; a black-holed address
 *                                fails after this instead of the driver's default 10 s)
 * @param databaseSocket          the driver's read timeout (whole seconds, 0 = none): a statement on a connection
 *                                whose server vanished fails after this instead of hanging; the migration Job
 *                                ({@code NOTEJAM_MIGRATE_ONLY=true}) runs without it, a migration may run long
 * @param healthCheck             each readiness check (database, Redis) answers DOWN after this, so that the
 *                                readiness endpoint answers within the probe's timeout even while a check hangs
 * @param redisReconnectMaxDelay  Lettuce retries a lost connection with a backoff capped at this (its default cap
 *                                is 30 s, which would keep the app failing that long after Redis is back)
 * @param retryAfter              the {@code Retry-After} of a 503 while a dependency is down
 */
@ConfigurationProperties("notejam.timeouts")
public record DependencyTimeouts(Duration databaseConnect, Duration databaseSocket, Duration healthCheck,
                                 Duration redisReconnectMaxDelay, Duration retryAfter) {

    public DependencyTimeouts {
        databaseConnect = orDefault(databaseConnect, Duration.ofSeconds(2), "database-connect");
        databaseSocket = orDefault(databaseSocket, Duration.ofSeconds(5), "database-socket");
        healthCheck = orDefault(healthCheck, Duration.ofMillis(800), "health-check");
        redisReconnectMaxDelay = orDefault(redisReconnectMaxDelay, Duration.ofSeconds(1), "redis-reconnect-max-delay");
        retryAfter = orDefault(retryAfter, Duration.ofSeconds(5), "retry-after");
    }

    private static Duration orDefault(Duration value, Duration fallback, String name) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative()) {
            throw new IllegalArgumentException("notejam.timeouts." + name + " must not be negative");
        }
        return value;
    }

    /** The driver takes whole seconds; a value under a second is rounded up, never to 0 (which means "none"). */
    static int wholeSeconds(Duration timeout) {
        if (timeout.isZero()) {
            return 0;
        }
        return (int) Math.max(1, (timeout.toMillis() + 999) / 1000);
    }
}
