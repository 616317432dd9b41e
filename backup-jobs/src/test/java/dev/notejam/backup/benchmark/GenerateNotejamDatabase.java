package dev.notejam.backup.benchmark;

import dev.notejam.backup.support.NotejamData;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Benchmark helper (not a test): migrates a database with the app's Flyway migrations and fills it with generated
 * Notejam data in batches of users until it reaches a target size.
 * Usage: GenerateNotejamDatabase JDBC_URL USER PASSWORD TARGET_MB
 */
public final class GenerateNotejamDatabase {

    private GenerateNotejamDatabase() {
    }

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String user = args[1];
        String password = args[2];
        long targetBytes = Long.parseLong(args[3]) * 1024 * 1024;
        NotejamData.migrate(url, user, password);
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            long batch = 0;
            long size;
            while ((size = databaseSize(c)) < targetBytes) {
                long started = System.nanoTime();
                NotejamData.generate(c, 1000, 3, 50, 250, 1000 + batch++);
                System.err.printf("batch %d: database %d MiB (%.1f s)%n", batch, databaseSize(c) >> 20, (System.nanoTime() - started) / 1e9);
            }
            System.err.printf("done: database %d MiB%n", size >> 20);
        }
    }

    private static long databaseSize(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_database_size(current_database())")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
