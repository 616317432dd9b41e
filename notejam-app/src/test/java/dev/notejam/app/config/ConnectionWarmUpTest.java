package dev.notejam.app.config;

import com.zaxxer.hikari.HikariDataSource;
import dev.notejam.app.testsupport.EmbeddedDataStores;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceClientConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.types.RedisClientInfo;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

/** The first PostgreSQL and Redis connections are opened off the starting thread. Real servers. */
class ConnectionWarmUpTest {

    private final EmbeddedDataStores stores = EmbeddedDataStores.shared();

    @Test
    void opensTheFirstDatabaseAndRedisConnectionsOnThreadsOfTheirOwn() throws Exception {
        List<String> callers = new CopyOnWriteArrayList<>();
        try (HikariDataSource pool = new HikariDataSource() {
            @Override
            public Connection getConnection() throws SQLException {
                callers.add(Thread.currentThread().getName());
                return super.getConnection();
            }
        }) {
            pool.setJdbcUrl(stores.jdbcUrl());
            pool.setUsername("postgres");
            pool.setPassword("");
            LettuceConnectionFactory redis = redis(stores.redisPort(), "warm-up-test");
            try {
                ConnectionWarmUp.Threads threads = new ConnectionWarmUp().connectionWarmUpThreads(pool, redis);
                threads.database().join(30_000);
                threads.redis().join(30_000);

                assertThat(callers).containsExactly("connection-warm-up-database");
                assertThat(pool.getHikariPoolMXBean()).as("the pool was started by the warm-up").isNotNull();
                assertThat(pool.getHikariPoolMXBean().getTotalConnections()).isPositive();
                assertThat(clientNames()).contains("warm-up-test");
            } finally {
                redis.destroy();
            }
        }
    }

    @Test
    void storesThatAreDownDoNotFailTheStart() throws Exception {
        int closedPort = EmbeddedDataStores.freePort();
        try (HikariDataSource pool = new HikariDataSource()) {
            pool.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + closedPort + "/notejam");
            pool.setInitializationFailTimeout(1);
            pool.setConnectionTimeout(1000);
            LettuceConnectionFactory redis = redis(closedPort, "warm-up-down");
            try {
                assertThatNoException().isThrownBy(() -> {
                    ConnectionWarmUp.Threads threads = new ConnectionWarmUp().connectionWarmUpThreads(pool, redis);
                    threads.database().join(30_000);
                    threads.redis().join(30_000);
                    assertThat(threads.database().isAlive()).isFalse();
                    assertThat(threads.redis().isAlive()).isFalse();
                });
            } finally {
                redis.destroy();
            }
        }
    }

    private static LettuceConnectionFactory redis(int port, String clientName) {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", port),
                LettuceClientConfiguration.builder().clientName(clientName).commandTimeout(Duration.ofSeconds(5)).build());
        factory.afterPropertiesSet();
        return factory;
    }

    private List<String> clientNames() {
        LettuceConnectionFactory observer = redis(stores.redisPort(), "warm-up-observer");
        try {
            return new StringRedisTemplate(observer).execute((RedisCallback<List<String>>) connection ->
                    connection.serverCommands().getClientList().stream().map(RedisClientInfo::getName).toList());
        } finally {
            observer.destroy();
        }
    }
}
