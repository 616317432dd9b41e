package dev.notejam.backup.roles;

import dev.notejam.backup.BackupFailure;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import org.postgresql.PGConnection;

/**
 * Creates or corrects the app's and the backup job's database roles, as the master user, so that neither ever logs
 * in as the master (issue 16). Idempotent: every step reads the catalog first and changes only what differs, so a
 * second run changes nothing. Role names are validated ({@link RoleSettings}) and always quoted; passwords never
 * appear in SQL text: they are sent as SCRAM verifiers computed by the driver.
 * <ul>
 *   <li>app role: LOGIN, no SUPERUSER, CREATEDB, CREATEROLE, REPLICATION or BYPASSRLS; owns schema public and every
 *       table, view, sequence and routine in it (Flyway migrates as this role);</li>
 *   <li>backup role: LOGIN, SELECT on everything in schema public now and later (default privileges of the app
 *       role), no write privilege; CREATEDB only for verify's scratch database, which it creates and drops;</li>
 *   <li>both: CONNECT on the app's database, which PUBLIC loses; iam mode grants rds_iam (RDS), password mode sets
 *       the given passwords.</li>
 * </ul>
 */
public final class RoleProvisioner {

    static final String SCHEMA = "public";

    private final RoleSettings settings;
    private final Consumer<String> report;
    private final List<String> changes = new ArrayList<>();

    public RoleProvisioner(RoleSettings settings, Consumer<String> report) {
        this.settings = settings;
        this.report = report;
    }

    /** Returns the changes made (empty when everything was already as required). */
    public List<String> run() {
        try (Connection admin = connect(settings.adminUser(), settings.adminPassword(), settings.database())) {
            admin.setAutoCommit(false);
            boolean rdsIam = exists(admin, "SELECT 1 FROM pg_roles WHERE rolname = 'rds_iam'");
            if (settings.auth() == RoleSettings.Auth.IAM && !rdsIam) {
                throw new BackupFailure("NOTEJAM_ROLE_AUTH=iam, but this server has no rds_iam role, so it is not RDS with IAM"
                        + " authentication: nothing was changed. Use NOTEJAM_ROLE_AUTH=password with role passwords outside RDS");
            }
            provisionInOneTransaction(admin, rdsIam);
            admin.commit();
        } catch (SQLException e) {
            throw new BackupFailure("provision-roles failed, nothing was changed: " + e.getMessage(), e);
        }
        if (settings.auth() == RoleSettings.Auth.PASSWORD) {
            setPasswordUnlessItWorks(settings.appRole(), settings.appRolePassword().orElseThrow());
            setPasswordUnlessItWorks(settings.backupRole(), settings.backupRolePassword().orElseThrow());
        }
        return List.copyOf(changes);
    }

    private void provisionInOneTransaction(Connection c, boolean rdsIam) throws SQLException {
        String app = quote(c, settings.appRole());
        String backup = quote(c, settings.backupRole());
        String database = quote(c, settings.database());
        ensureRole(c, settings.appRole(), false);
        ensureRole(c, settings.backupRole(), true);
        if (!bool(c, "SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
                && !bool(c, "SELECT pg_has_role(current_user, ?, 'MEMBER')", settings.appRole())) {
            // Handing objects to the app role and setting its default privileges needs membership in it (RDS's master
            // is no superuser).
            change(c, "master user made a member of " + settings.appRole(), "GRANT " + app + " TO CURRENT_USER");
        }
        if (bool(c, "SELECT pg_has_role(?, ?, 'MEMBER')", settings.backupRole(), settings.appRole())) {
            change(c, settings.backupRole() + " no longer a member of " + settings.appRole(), "REVOKE " + app + " FROM " + backup);
        }

        if (bool(c, "SELECT has_database_privilege('public', current_database(), 'CONNECT')")) {
            change(c, "CONNECT on " + settings.database() + " revoked from PUBLIC", "REVOKE CONNECT ON DATABASE " + database + " FROM PUBLIC");
        }
        for (String role : List.of(settings.appRole(), settings.backupRole())) {
            if (!bool(c, "SELECT has_database_privilege(?, current_database(), 'CONNECT')", role)) {
                change(c, "CONNECT on " + settings.database() + " granted to " + role,
                        "GRANT CONNECT ON DATABASE " + database + " TO " + quote(c, role));
            }
        }

        if (!bool(c, "SELECT nspowner = (SELECT oid FROM pg_roles WHERE rolname = ?) FROM pg_namespace WHERE nspname = ?",
                settings.appRole(), SCHEMA)) {
            change(c, "schema public owned by " + settings.appRole(), "ALTER SCHEMA " + SCHEMA + " OWNER TO " + app);
        }
        if (bool(c, "SELECT has_schema_privilege('public', ?, 'CREATE')", SCHEMA)) {
            change(c, "CREATE on schema public revoked from PUBLIC", "REVOKE CREATE ON SCHEMA " + SCHEMA + " FROM PUBLIC");
        }
        // Objects made before (for example migrated by the master): the app role must own them to migrate them.
        for (String[] object : rows(c, """
                SELECT CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'S' THEN 'SEQUENCE'
                                      WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END, c.oid::regclass::text
                FROM pg_class c
                WHERE c.relnamespace = ?::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                  AND c.relowner <> (SELECT oid FROM pg_roles WHERE rolname = ?)
                  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                                  AND d.deptype IN ('a', 'i', 'e'))
                ORDER BY 2""", SCHEMA, settings.appRole())) {
            change(c, object[0].toLowerCase() + " " + object[1] + " owned by " + settings.appRole(),
                    "ALTER " + object[0] + " " + object[1] + " OWNER TO " + app);
        }
        for (String[] routine : rows(c, """
                SELECT p.oid::regprocedure::text FROM pg_proc p
                WHERE p.pronamespace = ?::regnamespace AND p.prokind IN ('f', 'p')
                  AND p.proowner <> (SELECT oid FROM pg_roles WHERE rolname = ?)
                  AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
                ORDER BY 1""", SCHEMA, settings.appRole())) {
            change(c, "routine " + routine[0] + " owned by " + settings.appRole(), "ALTER ROUTINE " + routine[0] + " OWNER TO " + app);
        }

        if (!bool(c, "SELECT has_schema_privilege(?, ?, 'USAGE')", settings.backupRole(), SCHEMA)) {
            change(c, "USAGE on schema public granted to " + settings.backupRole(), "GRANT USAGE ON SCHEMA " + SCHEMA + " TO " + backup);
        }
        for (String[] object : rows(c, """
                SELECT CASE c.relkind WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END, c.oid::regclass::text,
                       has_table_privilege(?, c.oid, 'SELECT'),
                       has_table_privilege(?, c.oid, 'INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER')
                FROM pg_class c
                WHERE c.relnamespace = ?::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
                ORDER BY 2""", settings.backupRole(), settings.backupRole(), SCHEMA)) {
            if (object[2].equals("f")) {
                change(c, "SELECT on " + object[1] + " granted to " + settings.backupRole(),
                        "GRANT SELECT ON " + object[0] + " " + object[1] + " TO " + backup);
            }
            if (object[3].equals("t")) {
                String writes = object[0].equals("SEQUENCE") ? "UPDATE, USAGE" : "INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER";
                change(c, "writes on " + object[1] + " revoked from " + settings.backupRole(),
                        "REVOKE " + writes + " ON " + object[0] + " " + object[1] + " FROM " + backup);
            }
        }
        for (String[] kind : new String[][] {{"r", "TABLES"}, {"S", "SEQUENCES"}}) {
            if (!exists(c, """
                    SELECT 1 FROM pg_default_acl d, aclexplode(d.defaclacl) a
                    WHERE d.defaclrole = (SELECT oid FROM pg_roles WHERE rolname = ?) AND d.defaclnamespace = ?::regnamespace
                      AND d.defaclobjtype = ?::"char" AND a.grantee = (SELECT oid FROM pg_roles WHERE rolname = ?)
                      AND a.privilege_type = 'SELECT'""", settings.appRole(), SCHEMA, kind[0], settings.backupRole())) {
                change(c, "SELECT on " + kind[1].toLowerCase() + " the app role creates later granted to " + settings.backupRole(),
                        "ALTER DEFAULT PRIVILEGES FOR ROLE " + app + " IN SCHEMA " + SCHEMA + " GRANT SELECT ON " + kind[1] + " TO " + backup);
            }
        }

        for (String role : List.of(settings.appRole(), settings.backupRole())) {
            boolean member = rdsIam && bool(c, "SELECT pg_has_role(?, 'rds_iam', 'MEMBER')", role);
            if (settings.auth() == RoleSettings.Auth.IAM && !member) {
                change(c, "rds_iam granted to " + role + " (logs in with IAM tokens)", "GRANT rds_iam TO " + quote(c, role));
            } else if (settings.auth() == RoleSettings.Auth.PASSWORD && member) {
                change(c, "rds_iam revoked from " + role + " (logs in with its password)", "REVOKE rds_iam FROM " + quote(c, role));
            }
        }
    }

    /** Creates the role, or corrects the attributes a master may correct; superuser-only ones stop the run. */
    private void ensureRole(Connection c, String role, boolean createdb) throws SQLException {
        String quoted = quote(c, role);
        List<String[]> found = rows(c, "SELECT rolsuper, rolreplication, rolbypassrls, rolcanlogin, rolcreaterole, rolcreatedb"
                + " FROM pg_roles WHERE rolname = ?", role);
        String createdbOption = createdb ? "CREATEDB" : "NOCREATEDB";
        if (found.isEmpty()) {
            change(c, "role " + role + " created", "CREATE ROLE " + quoted + " LOGIN NOSUPERUSER NOCREATEROLE " + createdbOption
                    + " NOREPLICATION NOBYPASSRLS");
            return;
        }
        String[] r = found.get(0);
        if (r[0].equals("t") || r[1].equals("t") || r[2].equals("t")) {
            throw new BackupFailure("role " + role + " has SUPERUSER, REPLICATION or BYPASSRLS, which only a superuser can remove"
                    + " (ALTER ROLE " + quoted + " NOSUPERUSER NOREPLICATION NOBYPASSRLS): nothing was changed");
        }
        List<String> fixes = new ArrayList<>();
        if (r[3].equals("f")) {
            fixes.add("LOGIN");
        }
        if (r[4].equals("t")) {
            fixes.add("NOCREATEROLE");
        }
        if (r[5].equals("t") != createdb) {
            fixes.add(createdbOption);
        }
        if (!fixes.isEmpty()) {
            change(c, "role " + role + " set to " + String.join(" ", fixes), "ALTER ROLE " + quoted + " " + String.join(" ", fixes));
        }
    }

    private void setPasswordUnlessItWorks(String role, String password) {
        try (Connection ignored = connect(role, password, settings.database())) {
            return;
        } catch (SQLException loginFailed) {
            // set below
        }
        try (Connection admin = connect(settings.adminUser(), settings.adminPassword(), settings.database())) {
            admin.unwrap(PGConnection.class).alterUserPassword(role, password.toCharArray(), "scram-sha-256");
            record("password of " + role + " set");
        } catch (SQLException e) {
            throw new BackupFailure("could not set the password of " + role + ": " + e.getMessage(), e);
        }
    }

    private Connection connect(String user, String password, String database) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("ApplicationName", "notejam-provision-roles");
        properties.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(settings.jdbcUrl(database), properties);
    }

    private void change(Connection c, String description, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
        record(description);
    }

    private void record(String description) {
        changes.add(description);
        report.accept(description);
    }

    private static String quote(Connection c, String identifier) throws SQLException {
        return c.unwrap(PGConnection.class).escapeIdentifier(identifier);
    }

    private static boolean exists(Connection c, String sql, String... params) throws SQLException {
        return !rows(c, sql, params).isEmpty();
    }

    private static boolean bool(Connection c, String sql, String... params) throws SQLException {
        List<String[]> rows = rows(c, sql, params);
        return !rows.isEmpty() && "t".equals(rows.get(0)[0]);
    }

    /** Every column as PostgreSQL's text (booleans as t/f). */
    private static List<String[]> rows(Connection c, String sql, String... params) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                s.setString(i + 1, params[i]);
            }
            List<String[]> rows = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    String[] row = new String[columns];
                    for (int i = 0; i < columns; i++) {
                        Object value = rs.getObject(i + 1);
                        row[i] = value instanceof Boolean b ? (b ? "t" : "f") : String.valueOf(value);
                    }
                    rows.add(row);
                }
            }
            return rows;
        }
    }
}
