package dev.notejam.app.testsupport;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL and a Redis of their own that a test stops, starts and freezes while the app runs, on fixed ports and
 * (for PostgreSQL) the same data directory, as a managed store comes back at the same endpoint.
 * <p>
 * "Stop" ends the server: its connections are closed and new ones refused, as when a process or a node dies.
 * "Freeze" sends SIGSTOP to every process of the server: connections stay open and nothing answers, as when a
 * zone is cut off. Real servers from Maven Central binaries, as in {@link EmbeddedDataStores}.
 */
public final class StoppableDataStores implements AutoCloseable {

    private final Path dataDirectory;
    private final int postgresPort = EmbeddedDataStores.freePort();
    private final int redisPort = EmbeddedDataStores.freePort();
    private final Path redisPidFile;
    private EmbeddedPostgres postgres;
    private RedisServer redis;

    public StoppableDataStores() {
        try {
            Path root = Files.createTempDirectory("notejam-stoppable-");
            dataDirectory = root.resolve("pg");
            redisPidFile = root.resolve("redis.pid");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        startPostgres();
        try (var c = postgres.getPostgresDatabase().getConnection()) {
            c.createStatement().execute("create database " + EmbeddedDataStores.DATABASE);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        startRedis();
    }

    public synchronized void startPostgres() {
        try {
            postgres = EmbeddedPostgres.builder()
                    .setPort(postgresPort)
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(false)
                    .setLocaleConfig("locale", "C.UTF-8")
                    .setLocaleConfig("encoding", "UTF8")
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start PostgreSQL", e);
        }
    }

    /** Stops PostgreSQL as {@code pg_ctl stop -m fast} does: sessions are ended and their sockets closed. */
    public synchronized void stopPostgres() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized void startRedis() {
        try {
            RedisServer starting = RedisServer.newRedisServer().port(redisPort)
                    .setting("bind 127.0.0.1").setting("save \"\"").setting("appendonly no")
                    .setting("pidfile " + redisPidFile)
                    .build();
            starting.start();
            // only a server that started replaces the one to stop: a start refused because Redis is already up
            // must not leave stopRedis() stopping nothing
            redis = starting;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start Redis", e);
        }
    }

    public synchronized void stopRedis() {
        try {
            redis.stop();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGSTOP (true) or SIGCONT (false) to the postmaster and every backend of it. */
    public void freezePostgres(boolean frozen) {
        long postmaster = Long.parseLong(firstLine(dataDirectory.resolve("postmaster.pid")));
        List<Long> pids = new ArrayList<>();
        pids.add(postmaster);
        ProcessHandle.of(postmaster).ifPresent(p -> p.descendants().forEach(d -> pids.add(d.pid())));
        signal(frozen ? "STOP" : "CONT", pids);
    }

    public void freezeRedis(boolean frozen) {
        signal(frozen ? "STOP" : "CONT", List.of(Long.parseLong(firstLine(redisPidFile))));
    }

    private static String firstLine(Path file) {
        try {
            return Files.readAllLines(file).get(0).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void signal(String signal, List<Long> pids) {
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(pid -> command.add(String.valueOf(pid)));
        try {
            Process kill = new ProcessBuilder(command).inheritIO().start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pids + " failed");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Spring properties that point the app at these servers. */
    public Map<String, Object> springProperties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("spring.datasource.url", "jdbc:postgresql://127.0.0.1:" + postgresPort + "/" + EmbeddedDataStores.DATABASE);
        properties.put("spring.datasource.username", "postgres");
        properties.put("spring.datasource.password", "");
        properties.put("spring.data.redis.host", "127.0.0.1");
        properties.put("spring.data.redis.port", String.valueOf(redisPort));
        return properties;
    }

    @Override
    public synchronized void close() {
        for (Runnable thaw : List.<Runnable>of(() -> freezePostgres(false), () -> freezeRedis(false))) {
            try {
                thaw.run();
            } catch (RuntimeException ignored) {
                // already stopped
            }
        }
        try {
            if (redis != null && redis.isActive()) {
                redis.stop();
            }
        } catch (IOException ignored) {
            // stopping PostgreSQL matters more
        }
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
