package dev.notejam.app.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.connection.RedisConnectionFactory;

import javax.sql.DataSource;
import java.sql.Connection;

/**
 * Opens the first PostgreSQL and Redis connections on background threads while the rest of the application starts.
 * <p>
 * Readiness needs both, and the first connection of each is slow in a JVM that has just started (driver classes,
 * SCRAM's key derivation and Netty's set-up run in the interpreter): on the main thread they took about 0.9 s and
 * 0.8 s of a start, one after the other (BENCHMARKS.md, round 8). Started here, they overlap with the creation of the
 * other beans. Readiness is not affected: its checks still open or use the connections and report a failure; a
 * failure here is only logged.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication // the migrate-only mode connects once, on its main thread
class ConnectionWarmUp {

    private static final Logger log = LoggerFactory.getLogger(ConnectionWarmUp.class);

    /** The threads that opened the connections (finished once they are open), for tests. */
    record Threads(Thread database, Thread redis) {
    }

    @Bean
    Threads connectionWarmUpThreads(DataSource dataSource, RedisConnectionFactory redis) {
        return new Threads(start("database", () -> {
            try (Connection connection = dataSource.getConnection()) {
                connection.isValid(1);
            }
        }), start("redis", () -> {
            try (RedisConnection connection = redis.getConnection()) {
                connection.ping();
            }
        }));
    }

    private static Thread start(String store, Opening opening) {
        Thread thread = new Thread(() -> {
            try {
                opening.open();
            } catch (Exception | LinkageError failed) {
                log.info("The first {} connection failed while starting ({}); readiness reports it", store, failed.toString());
            }
        }, "connection-warm-up-" + store);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @FunctionalInterface
    private interface Opening {
        void open() throws Exception;
    }
}
