package dev.notejam.backup.postgres;

import dev.notejam.backup.BackupFailure;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.postgresql.copy.CopyManager;
import org.postgresql.core.BaseConnection;

/** One JDBC connection to a Notejam database with the few queries the jobs need. */
public final class PostgresSession implements AutoCloseable {

    /** Advisory lock id held for the whole of a backup: "NJBACKUP" as a number. Same key on every database. */
    public static final long BACKUP_LOCK_ID = 0x4E4A4241434B5550L;

    private static final String USER_RELATIONS = """
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
              AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'
            """;

    private final Connection connection;
    private final DatabaseAddress address;

    private PostgresSession(Connection connection, DatabaseAddress address) {
        this.connection = connection;
        this.address = address;
    }

    public static PostgresSession connect(DatabaseAddress address, String user, String password) {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("ApplicationName", "notejam-backup");
        properties.setProperty("connectTimeout", "10");
        try {
            Connection connection = DriverManager.getConnection(address.jdbcUrl(), properties);
            try (Statement s = connection.createStatement()) {
                // Fixed text forms, so row checksums do not depend on server or session defaults.
                s.execute("SET DateStyle = 'ISO, YMD'; SET TimeZone = 'UTC'; SET IntervalStyle = 'postgres';"
                        + " SET extra_float_digits = 1; SET bytea_output = 'hex'");
            }
            return new PostgresSession(connection, address);
        } catch (SQLException e) {
            throw new BackupFailure("cannot connect to PostgreSQL at " + address.describe() + " as " + user + ": "
                    + e.getMessage() + " (check BACKUP_DATABASE_URL, credentials and network policy)", e);
        }
    }

    public DatabaseAddress address() {
        return address;
    }

    /** Takes the backup lock for the life of this session, or refuses when another backup holds it. */
    public void lockForBackup() {
        boolean locked = queryOne("SELECT pg_try_advisory_lock(" + BACKUP_LOCK_ID + ")", rs -> rs.getBoolean(1));
        if (!locked) {
            throw BackupFailure.refused("another backup of " + address.describe()
                    + " is already running (advisory lock " + BACKUP_LOCK_ID + " is held); refusing to start a second one");
        }
    }

    /**
     * Opens a read-only REPEATABLE READ transaction and exports its snapshot, so that pg_dump (--snapshot) and the row
     * counts of this session see exactly the same data. The transaction stays open until {@link #endSnapshot()}.
     */
    public String exportSnapshot() {
        try {
            connection.setAutoCommit(false);
            connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            connection.setReadOnly(true);
            return queryOne("SELECT pg_export_snapshot()", rs -> rs.getString(1));
        } catch (SQLException e) {
            throw new BackupFailure("cannot export a snapshot on " + address.describe() + ": " + e.getMessage(), e);
        }
    }

    public void endSnapshot() {
        try {
            connection.rollback();
            connection.setAutoCommit(true);
            connection.setReadOnly(false);
        } catch (SQLException e) {
            throw new BackupFailure("cannot end the snapshot transaction: " + e.getMessage(), e);
        }
    }

    public String serverVersion() {
        return queryOne("SHOW server_version", rs -> rs.getString(1));
    }

    public int serverVersionNum() {
        return queryOne("SHOW server_version_num", rs -> rs.getInt(1));
    }

    /** The latest successfully applied versioned Flyway migration, if the app's history table exists. */
    public Optional<String> flywaySchemaVersion() {
        String table = queryOne("SELECT to_regclass('flyway_schema_history')::text", rs -> rs.getString(1));
        if (table == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(queryOne("SELECT version FROM flyway_schema_history WHERE success AND version IS NOT NULL"
                + " ORDER BY installed_rank DESC LIMIT 1", rs -> rs.next() ? rs.getString(1) : null, false));
    }

    /** Tables, views, sequences... that would make a restore clash with what is there. */
    public List<String> userRelations() {
        List<String> names = new ArrayList<>();
        query("SELECT n.nspname || '.' || c.relname " + USER_RELATIONS
                + " AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') ORDER BY 1", rs -> {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                    }
                    return null;
                });
        return names;
    }

    /** User objects that a restore may create besides relations: schemas, functions, types, extensions. */
    public record UserObjects(List<String> schemas, List<String> routines, List<String> types, List<String> extensions) {
    }

    private static final String USER_SCHEMA = "n.nspname NOT IN ('pg_catalog', 'information_schema')"
            + " AND n.nspname NOT LIKE 'pg\\_toast%' AND n.nspname NOT LIKE 'pg\\_temp%'";

    public UserObjects userObjects() {
        return new UserObjects(
                strings("SELECT quote_ident(n.nspname) FROM pg_namespace n WHERE " + USER_SCHEMA + " ORDER BY 1"),
                strings("SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                        + " LEFT JOIN pg_depend d ON d.objid = p.oid AND d.deptype = 'e' WHERE d.objid IS NULL AND " + USER_SCHEMA + " ORDER BY 1"),
                strings("SELECT t.oid::regtype::text FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace"
                        + " LEFT JOIN pg_depend d ON d.objid = t.oid AND d.deptype = 'e'"
                        + " WHERE d.objid IS NULL AND t.typtype IN ('d', 'e', 'r', 'm') AND " + USER_SCHEMA + " ORDER BY 1"),
                strings("SELECT quote_ident(extname) FROM pg_extension WHERE extname <> 'plpgsql' ORDER BY 1"));
    }

    /**
     * Undoes a failed restore into a database that had no relations before: drops every relation, and the schemas,
     * routines, types and extensions that {@code before} did not have, in one transaction.
     */
    public void dropEverythingCreatedSince(UserObjects before) {
        UserObjects now = userObjects();
        List<String> statements = new ArrayList<>();
        now.extensions().stream().filter(e -> !before.extensions().contains(e)).forEach(e -> statements.add("DROP EXTENSION IF EXISTS " + e + " CASCADE"));
        now.schemas().stream().filter(n -> !before.schemas().contains(n)).forEach(n -> statements.add("DROP SCHEMA IF EXISTS " + n + " CASCADE"));
        query("SELECT c.relkind, quote_ident(n.nspname) || '.' || quote_ident(c.relname) " + USER_RELATIONS
                + " AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f') AND c.relispartition = false"
                // Tables first: their CASCADE takes the sequences they own, which cannot be dropped on their own.
                + " ORDER BY CASE c.relkind WHEN 'r' THEN 0 WHEN 'p' THEN 0 WHEN 'f' THEN 1 WHEN 'm' THEN 2 WHEN 'v' THEN 3 ELSE 4 END", rs -> {
                    while (rs.next()) {
                        String kind = switch (rs.getString(1)) {
                            case "v" -> "VIEW";
                            case "m" -> "MATERIALIZED VIEW";
                            case "S" -> "SEQUENCE";
                            case "f" -> "FOREIGN TABLE";
                            default -> "TABLE";
                        };
                        statements.add("DROP " + kind + " IF EXISTS " + rs.getString(2) + " CASCADE");
                    }
                    return null;
                });
        now.routines().stream().filter(r -> !before.routines().contains(r)).forEach(r -> statements.add("DROP ROUTINE IF EXISTS " + r + " CASCADE"));
        now.types().stream().filter(t -> !before.types().contains(t)).forEach(t -> statements.add("DROP TYPE IF EXISTS " + t + " CASCADE"));
        try {
            connection.setAutoCommit(false);
            try (Statement s = connection.createStatement()) {
                for (String statement : statements) {
                    s.execute(statement);
                }
            }
            connection.commit();
        } catch (SQLException e) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // reported below
            }
            throw new BackupFailure("could not drop what the failed restore created in " + address.describe() + ": " + e.getMessage(), e);
        } finally {
            try {
                connection.setAutoCommit(true);
            } catch (SQLException ignored) {
                // the session is closed by the caller
            }
        }
    }

    private List<String> strings(String sql) {
        List<String> values = new ArrayList<>();
        query(sql, rs -> {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
            return null;
        });
        return values;
    }

    /** Row counts, and with {@code checksums} the digest of each table's ordered rows, in this session's snapshot. */
    public List<TableStats> tableStats(boolean checksums) {
        List<String[]> tables = new ArrayList<>();
        query("SELECT n.nspname, c.relname " + USER_RELATIONS + " AND c.relkind = 'r' ORDER BY 1, 2", rs -> {
            while (rs.next()) {
                tables.add(new String[] {rs.getString(1), rs.getString(2)});
            }
            return null;
        });
        List<TableStats> stats = new ArrayList<>();
        for (String[] t : tables) {
            stats.add(checksums ? checksum(t[0], t[1]) : new TableStats(t[0], t[1],
                    queryOne("SELECT count(*) FROM " + quote(t[0]) + "." + quote(t[1]), rs -> rs.getLong(1)), null));
        }
        return stats;
    }

    private TableStats checksum(String schema, String table) {
        String qualified = quote(schema) + "." + quote(table);
        List<String> keyColumns = new ArrayList<>();
        try (PreparedStatement ps = connection.prepareStatement("""
                SELECT a.attname FROM pg_index i
                JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
                WHERE i.indrelid = ?::regclass AND i.indisprimary
                ORDER BY array_position(i.indkey::int2[], a.attnum)""")) {
            ps.setString(1, qualified);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keyColumns.add(quote(rs.getString(1)));
                }
            }
            // Without a primary key the whole row's text gives a total order.
            String order = keyColumns.isEmpty() ? "t::text" : String.join(", ", keyColumns);
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            CopyManager copy = new CopyManager(connection.unwrap(BaseConnection.class));
            long rows;
            try (DigestOutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), sha)) {
                rows = copy.copyOut("COPY (SELECT * FROM " + qualified + " AS t ORDER BY " + order + ") TO STDOUT", out);
            }
            return new TableStats(schema, table, rows, HexFormat.of().formatHex(sha.digest()));
        } catch (SQLException | IOException e) {
            throw new BackupFailure("cannot read table " + qualified + " on " + address.describe() + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public void execute(String sql) {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new BackupFailure("statement failed on " + address.describe() + ": " + e.getMessage(), e);
        }
    }

    public static String quote(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    private interface Rows<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private <T> T queryOne(String sql, Rows<T> single) {
        return queryOne(sql, single, true);
    }

    private <T> T queryOne(String sql, Rows<T> reader, boolean advance) {
        return query(sql, rs -> {
            if (advance && !rs.next()) {
                throw new SQLException("no row from: " + sql);
            }
            return reader.read(rs);
        });
    }

    private <T> T query(String sql, Rows<T> reader) {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return reader.read(rs);
        } catch (SQLException e) {
            throw new BackupFailure("query failed on " + address.describe() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing: nothing left to do
        }
    }
}
