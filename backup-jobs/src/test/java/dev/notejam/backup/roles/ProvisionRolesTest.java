package dev.notejam.backup.roles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.notejam.backup.BackupCli;
import dev.notejam.backup.support.BackupFixture;
import dev.notejam.backup.support.NotejamData;
import dev.notejam.backup.support.PostgresServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * {@code provision-roles} on the real PostgreSQL 15 of these tests, run as a master user made like RDS's: LOGIN,
 * CREATEROLE, CREATEDB, owner of the app's database, no superuser. The roles it makes are then used for real: the
 * app role migrates the app's Flyway migrations and reads and writes, the backup role runs pg_dump and the backup and
 * verify jobs; what they must not do is tried and refused by the server.
 */
class ProvisionRolesTest {

    private static final PostgresServer POSTGRES = PostgresServer.shared();

    private record Run(int code, String out, String err) {
    }

    /** A database owned by a fresh RDS-like master; returns [master, database]. */
    private static String[] rdsLikeDatabase(String prefix) throws SQLException {
        String suffix = Long.toHexString(System.nanoTime());
        String master = prefix + "_master_" + suffix;
        String database = prefix + "_db_" + suffix;
        try (Connection c = POSTGRES.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE " + master + " LOGIN CREATEROLE CREATEDB PASSWORD 'master-password'");
            s.execute("CREATE DATABASE " + database + " OWNER " + master + " TEMPLATE template0");
        }
        return new String[] {master, database};
    }

    private static Map<String, String> env(String master, String database, String app, String backup) {
        Map<String, String> env = new HashMap<>();
        env.put("PGHOST", "127.0.0.1");
        env.put("PGPORT", String.valueOf(POSTGRES.port()));
        env.put("PGDATABASE", database);
        env.put("PGUSER", master);
        env.put("PGPASSWORD", "master-password");
        env.put("NOTEJAM_APP_ROLE", app);
        env.put("NOTEJAM_BACKUP_ROLE", backup);
        env.put("NOTEJAM_ROLE_AUTH", "password");
        env.put("NOTEJAM_APP_ROLE_PASSWORD", "app-password-" + app);
        env.put("NOTEJAM_BACKUP_ROLE_PASSWORD", "backup-password-" + backup);
        return env;
    }

    private static Run provision(Map<String, String> env) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = BackupCli.run(new BackupCli.Runtime(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Clock.systemUTC(), Function.identity()), "provision-roles");
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static Connection as(String user, String password, String database) throws SQLException {
        return DriverManager.getConnection(POSTGRES.jdbcUrl(database), user, password);
    }

    @Test
    void passwordModeMakesLeastPrivilegeRolesThatMigrateReadWriteAndBackUpAndASecondRunChangesNothing() throws Exception {
        String[] made = rdsLikeDatabase("pw");
        String master = made[0];
        String database = made[1];
        String app = "app_" + database.substring(database.lastIndexOf('_') + 1);
        String backup = "backup_" + database.substring(database.lastIndexOf('_') + 1);
        Map<String, String> env = env(master, database, app, backup);

        Run first = provision(env);
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.out()).contains("role " + app + " created", "role " + backup + " created", "schema public owned by " + app,
                "password of " + app + " set", "CONNECT on " + database + " revoked from PUBLIC");
        String catalog = catalog(database, app, backup);

        Run second = provision(env);
        assertThat(second.code()).as(second.err()).isZero();
        assertThat(second.out()).contains("already as required, nothing changed").doesNotContain(" created", " set");
        assertThat(catalog(database, app, backup)).as("catalog after the second run").isEqualTo(catalog);

        String appPassword = env.get("NOTEJAM_APP_ROLE_PASSWORD");
        String backupPassword = env.get("NOTEJAM_BACKUP_ROLE_PASSWORD");
        // The app role migrates (the migration Job) and reads and writes (the app).
        NotejamData.migrate(POSTGRES.jdbcUrl(database), app, appPassword);
        try (Connection c = as(app, appPassword, database); Statement s = c.createStatement()) {
            NotejamData.generate(c, 3, 1, 4, 10);
            assertThat(s.executeUpdate("UPDATE notes SET name = name || ' edited'")).isEqualTo(12);
            assertThat(s.executeUpdate("DELETE FROM notes WHERE id IN (SELECT id FROM notes LIMIT 2)")).isEqualTo(2);
            assertThat(countOf(s, "SELECT count(*) FROM notes")).isEqualTo(10);
            assertRefused(() -> s.execute("CREATE ROLE intruder_" + app), "permission denied to create role");
            assertRefused(() -> s.execute("CREATE DATABASE intruder_" + app), "permission denied to create database");
        }
        assertThat(owners(database)).as("owners of the app's tables").containsOnly(app);
        assertCannotReadAnotherDatabase(app, appPassword);

        // The backup role reads everything the app role created after provisioning (default privileges)...
        ProcessBuilder pgDump = new ProcessBuilder(POSTGRES.binDir().resolve("pg_dump").toString(), "--schema=public", "-h", "127.0.0.1",
                "-p", String.valueOf(POSTGRES.port()), "-U", backup, "--no-password", database).redirectErrorStream(true);
        pgDump.environment().put("PGPASSWORD", backupPassword); // the test's own child, not the job's
        Process dump = pgDump.start();
        dump.getOutputStream().close();
        String sql = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(dump.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(dump.exitValue()).as(sql).isZero();
        assertThat(sql).contains("CREATE TABLE public.notes", "COPY public.notes", "COPY public.flyway_schema_history");
        // ... but writes nothing.
        try (Connection c = as(backup, backupPassword, database); Statement s = c.createStatement()) {
            assertThat(countOf(s, "SELECT count(*) FROM notes")).isEqualTo(10);
            assertRefused(() -> s.executeUpdate("INSERT INTO pads (name, owner_id) SELECT 'x', id FROM users LIMIT 1"), "permission denied");
            assertRefused(() -> s.executeUpdate("UPDATE notes SET name = 'x'"), "permission denied");
            assertRefused(() -> s.executeUpdate("DELETE FROM notes"), "permission denied");
            assertRefused(() -> s.execute("CREATE TABLE public.intruder (id int)"), "permission denied");
            assertRefused(() -> s.execute("CREATE ROLE intruder_" + backup), "permission denied to create role");
        }

        // The backup job and the weekly verify (scratch database) run as the backup role.
        BackupFixture fixture = new BackupFixture("roles");
        Map<String, String> jobEnv = new HashMap<>(fixture.environment(database));
        jobEnv.put("BACKUP_DATABASE_USERNAME", backup);
        jobEnv.put("BACKUP_DATABASE_PASSWORD", backupPassword);
        Run backupRun = job(jobEnv, "backup", "--trigger", "manual");
        assertThat(backupRun.code()).as(backupRun.err()).isZero();
        Run verifyRun = job(jobEnv, "verify", "--latest");
        assertThat(verifyRun.code()).as(verifyRun.err()).isZero();
    }

    @Test
    void aDatabaseTheMasterMigratedBeforeIsHandedToTheAppRole() throws Exception {
        String[] made = rdsLikeDatabase("legacy");
        String database = made[1];
        NotejamData.migrate(POSTGRES.jdbcUrl(database), made[0], "master-password");
        String id = database.substring(database.lastIndexOf('_') + 1);
        Map<String, String> env = env(made[0], database, "app_l" + id, "backup_l" + id);

        Run run = provision(env);
        assertThat(run.code()).as(run.err()).isZero();
        assertThat(run.out()).contains("table notes owned by app_l" + id, "routine notes_count_inserted() owned by app_l" + id);
        assertThat(owners(database)).containsOnly("app_l" + id);
        NotejamData.migrate(POSTGRES.jdbcUrl(database), "app_l" + id, env.get("NOTEJAM_APP_ROLE_PASSWORD"));
        try (Connection c = as("app_l" + id, env.get("NOTEJAM_APP_ROLE_PASSWORD"), database)) {
            NotejamData.generate(c, 1, 1, 2, 5);
        }
        try (Connection c = as("backup_l" + id, env.get("NOTEJAM_BACKUP_ROLE_PASSWORD"), database); Statement s = c.createStatement()) {
            assertThat(countOf(s, "SELECT count(*) FROM notes")).isEqualTo(2);
        }
        assertThat(provision(env).out()).contains("nothing changed");
    }

    @Test
    void iamModeFailsOutsideRdsWithoutChangingAnythingAndGrantsRdsIamOnRds() throws Exception {
        String[] made = rdsLikeDatabase("iam");
        String id = made[1].substring(made[1].lastIndexOf('_') + 1);
        Map<String, String> env = env(made[0], made[1], "app_i" + id, "backup_i" + id);
        env.put("NOTEJAM_ROLE_AUTH", "iam");
        env.remove("NOTEJAM_APP_ROLE_PASSWORD");
        env.remove("NOTEJAM_BACKUP_ROLE_PASSWORD");
        try (Connection c = POSTGRES.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("DROP ROLE IF EXISTS rds_iam");
        }

        Run outsideRds = provision(env);
        assertThat(outsideRds.code()).isEqualTo(1);
        assertThat(outsideRds.err()).contains("no rds_iam role", "nothing was changed", "NOTEJAM_ROLE_AUTH=password");
        assertThat(roleExists("app_i" + id)).isFalse();

        try (Connection c = POSTGRES.connect("postgres"); Statement s = c.createStatement()) {
            s.execute("CREATE ROLE rds_iam"); // what RDS has
        }
        try {
            Run onRds = provision(env);
            assertThat(onRds.code()).as(onRds.err()).isZero();
            assertThat(onRds.out()).contains("rds_iam granted to app_i" + id, "rds_iam granted to backup_i" + id).doesNotContain("password");
            try (Connection c = POSTGRES.connect("postgres"); Statement s = c.createStatement()) {
                assertThat(countOf(s, "SELECT count(*) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u"
                        + " ON u.oid = m.member WHERE r.rolname = 'rds_iam' AND u.rolname IN ('app_i" + id + "', 'backup_i" + id + "')")).isEqualTo(2);
            }
            assertThat(provision(env).out()).contains("nothing changed");
        } finally {
            try (Connection c = POSTGRES.connect("postgres"); Statement s = c.createStatement()) {
                s.execute("DROP ROLE rds_iam");
            }
        }
    }

    @Test
    void badRoleNamesAndSettingsAreRefusedBeforeConnecting() throws Exception {
        Map<String, String> env = env("some_master", "notejam", "notejam_app", "notejam_backup");
        for (String bad : List.of("notejam_app; DROP TABLE notes", "Notejam", "pg_monitor", "rds_superuser", "1app", "app-role",
                "\"app\"", "a".repeat(64), "some_master")) {
            Map<String, String> withBad = new HashMap<>(env);
            withBad.put("NOTEJAM_APP_ROLE", bad);
            Run run = provision(withBad);
            assertThat(run.code()).as(bad).isEqualTo(BackupCli.BAD_SETTINGS);
            assertThat(run.err()).as(bad).contains("NOTEJAM_APP_ROLE must");
        }
        Map<String, String> same = new HashMap<>(env);
        same.put("NOTEJAM_BACKUP_ROLE", "notejam_app");
        assertThat(provision(same).err()).contains("must differ");
        Map<String, String> noPassword = new HashMap<>(env);
        noPassword.remove("NOTEJAM_BACKUP_ROLE_PASSWORD");
        assertThat(provision(noPassword).err()).contains("NOTEJAM_ROLE_AUTH=password needs");
        Map<String, String> iamWithPassword = new HashMap<>(env);
        iamWithPassword.put("NOTEJAM_ROLE_AUTH", "iam");
        assertThat(provision(iamWithPassword).err()).contains("IAM roles have no password");
        assertThat(RoleSettings.from(env).toString()).doesNotContain("app-password", "master-password");
    }

    private static Run job(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = BackupCli.run(new BackupCli.Runtime(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Clock.systemUTC(), BackupFixture::tune), args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void assertCannotReadAnotherDatabase(String role, String password) throws SQLException {
        String other = POSTGRES.createDatabase("other_app");
        try (Connection c = POSTGRES.connect(other); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE secrets (value text)");
            s.execute("INSERT INTO secrets VALUES ('not yours')");
        }
        assertThatThrownBy(() -> {
            try (Connection c = as(role, password, other); Statement s = c.createStatement()) {
                s.executeQuery("SELECT value FROM secrets");
            }
        }).isInstanceOf(SQLException.class).hasMessageContaining("permission denied");
    }

    private interface SqlAction {
        void run() throws SQLException;
    }

    private static void assertRefused(SqlAction action, String message) {
        assertThatThrownBy(action::run).isInstanceOf(SQLException.class).hasMessageContaining(message);
    }

    private static long countOf(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static boolean roleExists(String role) throws SQLException {
        try (Connection c = POSTGRES.connect("postgres"); var s = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            s.setString(1, role);
            return s.executeQuery().next();
        }
    }

    private static List<String> owners(String database) throws SQLException {
        List<String> owners = new ArrayList<>();
        try (Connection c = POSTGRES.connect(database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT DISTINCT pg_get_userbyid(relowner) FROM pg_class WHERE relnamespace = 'public'::regnamespace"
                     + " UNION SELECT DISTINCT pg_get_userbyid(proowner) FROM pg_proc WHERE pronamespace = 'public'::regnamespace"
                     + " UNION SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = 'public'")) {
            while (rs.next()) {
                owners.add(rs.getString(1));
            }
        }
        return owners;
    }

    /** What provision-roles controls, as text: role attributes and memberships, database, schema, table and default ACLs. */
    private static String catalog(String database, String app, String backup) throws SQLException {
        StringBuilder text = new StringBuilder();
        try (Connection c = POSTGRES.connect(database); Statement s = c.createStatement()) {
            for (String query : List.of(
                    "SELECT rolname, rolsuper, rolcreaterole, rolcreatedb, rolcanlogin, rolreplication, rolbypassrls FROM pg_roles"
                            + " WHERE rolname IN ('" + app + "', '" + backup + "') ORDER BY 1",
                    "SELECT r.rolname, u.rolname FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member"
                            + " WHERE r.rolname IN ('" + app + "', '" + backup + "') OR u.rolname IN ('" + app + "', '" + backup + "') ORDER BY 1, 2",
                    "SELECT datacl::text FROM pg_database WHERE datname = current_database()",
                    "SELECT pg_get_userbyid(nspowner), nspacl::text FROM pg_namespace WHERE nspname = 'public'",
                    "SELECT relname, pg_get_userbyid(relowner), relacl::text FROM pg_class WHERE relnamespace = 'public'::regnamespace ORDER BY 1",
                    "SELECT defaclobjtype, defaclacl::text FROM pg_default_acl ORDER BY 1")) {
                try (ResultSet rs = s.executeQuery(query)) {
                    int columns = rs.getMetaData().getColumnCount();
                    while (rs.next()) {
                        for (int i = 1; i <= columns; i++) {
                            text.append(rs.getString(i)).append('|');
                        }
                        text.append('\n');
                    }
                }
            }
        }
        return text.toString();
    }
}
