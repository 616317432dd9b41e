package dev.notejam.backup.support;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Random;
import org.flywaydb.core.Flyway;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;

/**
 * The app's real schema (its Flyway migrations, read from notejam-app in the working tree) and generated data that
 * looks like Notejam's: users with bcrypt-shaped hashes, a few pads each, notes of prose-like text of varied length,
 * some outside any pad. Rows are streamed in with COPY, so even a 1 GB database loads in minutes.
 */
public final class NotejamData {

    private static final String[] WORDS = ("meeting groceries milk project deadline call mom idea book travel paris budget "
            + "invoice gym recipe pasta garden tomatoes release review notes spring java postgres backup restore weekend hike "
            + "birthday gift plan draft todo the a to of and with for on remember buy send ask check fix write read tomorrow "
            + "monday friday office kitchen car dentist school report slides client design test deploy").split(" ");
    private static final OffsetDateTime EPOCH = OffsetDateTime.of(2024, 1, 1, 8, 0, 0, 0, ZoneOffset.UTC);

    private NotejamData() {
    }

    public static Path migrationsDir() {
        Path dir = Path.of(System.getProperty("notejam.migrations.dir", "../notejam-app/src/main/resources/db/migration"));
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException("Notejam's Flyway migrations not found at " + dir.toAbsolutePath());
        }
        return dir;
    }

    public static void migrate(PostgresServer server, String database) {
        migrate(server.jdbcUrl(database), PostgresServer.ADMIN_USER, PostgresServer.ADMIN_PASSWORD);
    }

    public static void migrate(String jdbcUrl, String user, String password) {
        Flyway.configure().dataSource(jdbcUrl, user, password)
                .locations("filesystem:" + migrationsDir().toAbsolutePath()).load().migrate();
    }

    /**
     * Adds {@code users} users, each with {@code padsPerUser} pads and {@code notesPerUser} notes of about
     * {@code noteWords} words (0.5x to 1.5x). Deterministic for a given seed.
     */
    public static void generate(Connection c, int users, int padsPerUser, int notesPerUser, int noteWords) throws SQLException {
        generate(c, users, padsPerUser, notesPerUser, noteWords, 42);
    }

    public static void generate(Connection c, int users, int padsPerUser, int notesPerUser, int noteWords, long seed) throws SQLException {
        Random random = new Random(seed);
        long firstUser = nextId(c, "users");
        long firstPad = nextId(c, "pads");
        long firstNote = nextId(c, "notes");
        CopyManager copy = new CopyManager(c.unwrap(BaseConnection.class));

        Rows userRows = new Rows(copy.copyIn("COPY users (id, email, password_hash, created_at) FROM STDIN"));
        for (int u = 0; u < users; u++) {
            long userId = firstUser + u;
            byte[] salt = new byte[40];
            random.nextBytes(salt);
            userRows.add(userId + "\t" + "user" + userId + "." + WORDS[random.nextInt(WORDS.length)] + "@example.com\t$2a$10$"
                    + HexFormat.of().formatHex(salt).substring(0, 53) + "\t" + joined(userId));
        }
        userRows.end();
        Rows padRows = new Rows(copy.copyIn("COPY pads (id, owner_id, name, created_at, updated_at) FROM STDIN"));
        for (int u = 0; u < users; u++) {
            long userId = firstUser + u;
            for (int p = 0; p < padsPerUser; p++) {
                padRows.add((firstPad + (long) u * padsPerUser + p) + "\t" + userId + "\t" + capitalize(WORDS[random.nextInt(WORDS.length)])
                        + " " + (p + 1) + "\t" + joined(userId).plusHours(p) + "\t" + joined(userId).plusDays(p + 1));
            }
        }
        padRows.end();

        Rows noteRows = new Rows(copy.copyIn("COPY notes (id, owner_id, pad_id, name, text, created_at, updated_at) FROM STDIN"));
        StringBuilder text = new StringBuilder();
        long noteId = firstNote;
        for (int u = 0; u < users; u++) {
            long userId = firstUser + u;
            for (int n = 0; n < notesPerUser; n++) {
                String pad = padsPerUser == 0 || n % 4 == 0 ? "\\N" : Long.toString(firstPad + (long) u * padsPerUser + n % padsPerUser);
                text.setLength(0);
                int words = Math.max(1, noteWords / 2 + random.nextInt(Math.max(noteWords, 1)));
                for (int w = 0; w < words && text.length() < 9900; w++) {
                    String word = WORDS[random.nextInt(WORDS.length)];
                    text.append(w % 12 == 0 ? capitalize(word) : word).append(w % 12 == 11 ? ".\\n" : " ");
                }
                OffsetDateTime created = EPOCH.plusMinutes(userId * 37 + n * 11L);
                noteRows.add(noteId++ + "\t" + userId + "\t" + pad + "\t" + capitalize(WORDS[random.nextInt(WORDS.length)]) + " " + (n + 1)
                        + "\t" + text.toString().trim() + "\t" + created + "\t" + created.plusMinutes(random.nextInt(10_000)));
            }
        }
        noteRows.end();
        try (Statement s = c.createStatement()) {
            for (String table : new String[] {"users", "pads", "notes"}) {
                s.execute("SELECT setval(pg_get_serial_sequence('" + table + "', 'id'), (SELECT max(id) FROM " + table + "))");
            }
            s.execute("ANALYZE");
        }
    }

    private static OffsetDateTime joined(long userId) {
        return EPOCH.plusMinutes(userId * 37);
    }

    private static long nextId(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT coalesce(max(id), 0) + 1 FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String capitalize(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }

    /** Buffers COPY text rows and sends them in 1 MiB chunks. */
    private static final class Rows {
        private final CopyIn copyIn;
        private final StringBuilder buffer = new StringBuilder();

        Rows(CopyIn copyIn) {
            this.copyIn = copyIn;
        }

        void add(String row) throws SQLException {
            buffer.append(row).append('\n');
            if (buffer.length() > 1 << 20) {
                flush();
            }
        }

        private void flush() throws SQLException {
            byte[] bytes = buffer.toString().getBytes(StandardCharsets.UTF_8);
            copyIn.writeToCopy(bytes, 0, bytes.length);
            buffer.setLength(0);
        }

        void end() throws SQLException {
            flush();
            copyIn.endCopy();
        }
    }
}
