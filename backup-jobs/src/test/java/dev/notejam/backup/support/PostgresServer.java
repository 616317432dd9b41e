package dev.notejam.backup.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway PostgreSQL server from the machine's Debian packages (initdb + pg_ctl in a temp dir, 127.0.0.1 on a
 * free port, password authentication). PostgreSQL refuses to run as root, so as root it runs as the postgres user.
 * One server per test JVM; it stops with the JVM.
 */
public final class PostgresServer {

    public static final String ADMIN_USER = "notejam_admin";
    public static final String ADMIN_PASSWORD = "test-only-password";

    private static PostgresServer shared;

    private final Path binDir;
    private final Path dataDir;
    private final int port;

    private PostgresServer(Path binDir, Path dataDir, int port) {
        this.binDir = binDir;
        this.dataDir = dataDir;
        this.port = port;
    }

    /** The shared server; skips (or fails with CI=true) when the PostgreSQL server binaries are not installed. */
    public static synchronized PostgresServer shared() {
        if (shared == null) {
            Path bin = findBinDir();
            if (bin == null) {
                RequiredTool.missing("PostgreSQL server binaries (initdb, pg_ctl) not found: apt-get install postgresql-15"
                        + " or set PG_BIN_DIR");
            }
            try {
                shared = start(bin);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException("could not start a test PostgreSQL server from " + bin + ": " + e.getMessage(), e);
            }
            Runtime.getRuntime().addShutdownHook(new Thread(shared::stop));
        }
        return shared;
    }

    static Path findBinDir() {
        List<Path> candidates = new ArrayList<>();
        String configured = System.getenv("PG_BIN_DIR");
        if (configured != null) {
            candidates.add(Path.of(configured));
        }
        candidates.add(Path.of("/usr/lib/postgresql/15/bin"));
        candidates.add(Path.of("/usr/lib/postgresql/16/bin"));
        candidates.add(Path.of("/usr/lib/postgresql/17/bin"));
        return candidates.stream().filter(p -> Files.isExecutable(p.resolve("initdb")) && Files.isExecutable(p.resolve("pg_ctl")))
                .findFirst().orElse(null);
    }

    private static boolean runningAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static PostgresServer start(Path bin) throws IOException, InterruptedException {
        Path root = Files.createTempDirectory("notejam-backup-pg");
        Path data = root.resolve("data");
        Path pwFile = root.resolve("pw");
        Files.writeString(pwFile, ADMIN_PASSWORD + "\n", StandardCharsets.UTF_8);
        if (runningAsRoot()) {
            run(List.of("chown", "-R", "postgres:postgres", root.toString()), false);
        }
        int port = freePort();
        run(List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", ADMIN_USER, "--pwfile=" + pwFile,
                "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"), true);
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", root.resolve("server.log").toString(), "-w",
                "-t", "60", "-o", "-c listen_addresses=127.0.0.1 -c port=" + port + " -c unix_socket_directories=" + root
                        + " -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=50 -c jit=off", "start"), true);
        PostgresServer server = new PostgresServer(bin, data, port);
        System.err.println("test PostgreSQL " + bin + " started on 127.0.0.1:" + port + " (data " + data + ")");
        return server;
    }

    private static void run(List<String> command, boolean asPostgres) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>();
        if (asPostgres && runningAsRoot()) {
            full.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        full.addAll(command);
        Process p = new ProcessBuilder(full).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public int port() {
        return port;
    }

    public Path binDir() {
        return binDir;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), ADMIN_USER, ADMIN_PASSWORD);
    }

    /** Row count of a table, for comparing a source and its restored copy. */
    public long countRows(String database, String table) throws SQLException {
        try (Connection c = connect(database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** A job environment pointed at another database of this server (a restore target). */
    public Map<String, String> withDatabase(Map<String, String> env, String database) {
        Map<String, String> copy = new HashMap<>(env);
        copy.put("BACKUP_DATABASE_URL", jdbcUrl(database));
        return copy;
    }

    /** A new empty database with a unique name. */
    public String createDatabase(String prefix) {
        String name = prefix + "_" + Long.toHexString(System.nanoTime());
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + " TEMPLATE template0");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return name;
    }

    void stop() {
        try {
            run(List.of(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m", "immediate", "stop"), true);
        } catch (IOException | InterruptedException ignored) {
            // JVM is exiting
        }
    }
}
