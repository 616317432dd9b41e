package dev.notejam.app.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Real PostgreSQL and Redis servers started from binaries shipped on Maven Central (no installation, no Docker):
 * used by the local run ({@code LocalNotejamApplication}) and by the integration tests.
 */
public final class EmbeddedDataStores implements AutoCloseable {

    public static final String DATABASE = "notejam";

    private static EmbeddedDataStores shared;

    private final EmbeddedPostgres postgres;
    private final int redisPort;
    private RedisServer redis;

    private EmbeddedDataStores(EmbeddedPostgres postgres, int redisPort) {
        this.postgres = postgres;
        this.redisPort = redisPort;
    }

    /** One pair of servers per test JVM, stopped when the JVM exits. */
    public static synchronized EmbeddedDataStores shared() {
        if (shared == null) {
            shared = start(null);
            Runtime.getRuntime().addShutdownHook(new Thread(shared::close, "embedded-data-stores-stop"));
        }
        return shared;
    }

    /**
     * @param postgresDataDir where PostgreSQL keeps its files between runs; null for a throwaway directory
     */
    public static EmbeddedDataStores start(Path postgresDataDir) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    // initdb's locale must not depend on the machine's LANG.
                    .setLocaleConfig("locale", "C.UTF-8")
                    .setLocaleConfig("encoding", "UTF8")
                    .setServerConfig("max_connections", "200")
                    .setServerConfig("listen_addresses", "127.0.0.1");
            if (postgresDataDir != null) {
                Files.createDirectories(postgresDataDir);
                builder.setDataDirectory(postgresDataDir).setCleanDataDirectory(false);
            }
            EmbeddedPostgres postgres = builder.start();
            createDatabaseIfMissing(postgres);
            EmbeddedDataStores stores = new EmbeddedDataStores(postgres, freePort());
            stores.startRedis();
            return stores;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start embedded PostgreSQL", e);
        }
    }

    private static void createDatabaseIfMissing(EmbeddedPostgres postgres) {
        try (Connection c = postgres.getPostgresDatabase().getConnection();
             var exists = c.prepareStatement("select 1 from pg_database where datname = ?")) {
            exists.setString(1, DATABASE);
            if (!exists.executeQuery().next()) {
                c.createStatement().execute("create database " + DATABASE);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the notejam database", e);
        }
    }

    public synchronized void startRedis() {
        if (redis != null && redis.isActive()) {
            return;
        }
        try {
            redis = RedisServer.newRedisServer()
                    .port(redisPort)
                    .setting("bind 127.0.0.1")
                    .setting("save \"\"")
                    .setting("appendonly no")
                    .setting("maxmemory 128mb")
                    .build();
            redis.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start embedded Redis", e);
        }
    }

    public synchronized void stopRedis() {
        if (redis != null) {
            try {
                redis.stop();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + DATABASE;
    }

    public int postgresPort() {
        return postgres.getPort();
    }

    public int redisPort() {
        return redisPort;
    }

    /** Spring properties that point the app at these servers. */
    public Map<String, Object> springProperties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("spring.datasource.url", jdbcUrl());
        properties.put("spring.datasource.username", "postgres");
        properties.put("spring.datasource.password", "");
        properties.put("spring.data.redis.host", "127.0.0.1");
        properties.put("spring.data.redis.port", String.valueOf(redisPort));
        return properties;
    }

    @Override
    public synchronized void close() {
        try {
            stopRedis();
        } catch (RuntimeException ignored) {
            // Stopping PostgreSQL matters more than reporting a Redis that already went away.
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
