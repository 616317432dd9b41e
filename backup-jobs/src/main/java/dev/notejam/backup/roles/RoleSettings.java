package dev.notejam.backup.roles;

import dev.notejam.backup.config.SettingsException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import static dev.notejam.backup.config.EnvironmentVariables.optional;
import static dev.notejam.backup.config.EnvironmentVariables.required;

/**
 * What {@code provision-roles} needs, from the environment only: the master login in libpq's names (PGHOST, PGPORT,
 * PGDATABASE, PGUSER, PGPASSWORD, PGSSLMODE, PGSSLROOTCERT; in the cluster from the RDS-managed master secret), the
 * two role names, and how those roles log in. Passwords are kept out of {@link #toString()}.
 */
public record RoleSettings(String host, int port, String database, String adminUser, String adminPassword,
                           Optional<String> sslMode, Optional<String> sslRootCert,
                           String appRole, String backupRole, Auth auth,
                           Optional<String> appRolePassword, Optional<String> backupRolePassword) {

    /** iam: RDS IAM authentication (GRANT rds_iam), no password anywhere; password: local and dev only. */
    public enum Auth { IAM, PASSWORD }

    /** Lower-case SQL identifiers, as RDS IAM database users and the chart's values use them. */
    private static final Pattern ROLE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
    private static final Set<String> RESERVED = Set.of("public", "postgres", "rdsadmin", "rdsrepladmin", "rds_superuser",
            "rds_iam", "rds_replication", "rds_password", "none", "current_user", "current_role", "session_user", "all");

    public static RoleSettings from(Map<String, String> env) {
        String adminUser = required(env, "PGUSER");
        String appRole = roleName(env, "NOTEJAM_APP_ROLE", "notejam_app", adminUser);
        String backupRole = roleName(env, "NOTEJAM_BACKUP_ROLE", "notejam_backup", adminUser);
        if (appRole.equals(backupRole)) {
            throw new SettingsException("NOTEJAM_APP_ROLE and NOTEJAM_BACKUP_ROLE must differ: the backup role is read-only");
        }
        Auth auth = switch (optional(env, "NOTEJAM_ROLE_AUTH").orElse("iam").toLowerCase(Locale.ROOT)) {
            case "iam" -> Auth.IAM;
            case "password" -> Auth.PASSWORD;
            default -> throw new SettingsException("NOTEJAM_ROLE_AUTH must be iam (RDS) or password (local and dev only)");
        };
        Optional<String> appPassword = optional(env, "NOTEJAM_APP_ROLE_PASSWORD");
        Optional<String> backupPassword = optional(env, "NOTEJAM_BACKUP_ROLE_PASSWORD");
        if (auth == Auth.PASSWORD && (appPassword.isEmpty() || backupPassword.isEmpty())) {
            throw new SettingsException("NOTEJAM_ROLE_AUTH=password needs NOTEJAM_APP_ROLE_PASSWORD and NOTEJAM_BACKUP_ROLE_PASSWORD");
        }
        if (auth == Auth.IAM && (appPassword.isPresent() || backupPassword.isPresent())) {
            throw new SettingsException("NOTEJAM_ROLE_AUTH=iam: unset NOTEJAM_APP_ROLE_PASSWORD and NOTEJAM_BACKUP_ROLE_PASSWORD, IAM roles have no password");
        }
        int port;
        try {
            port = Integer.parseInt(optional(env, "PGPORT").orElse("5432"));
        } catch (NumberFormatException e) {
            throw new SettingsException("PGPORT must be a port number");
        }
        return new RoleSettings(required(env, "PGHOST"), port, required(env, "PGDATABASE"), adminUser,
                optional(env, "PGPASSWORD").orElse(""), optional(env, "PGSSLMODE"), optional(env, "PGSSLROOTCERT"),
                appRole, backupRole, auth, appPassword, backupPassword);
    }

    /** The JDBC URL of the master's database, with libpq's TLS settings carried over. */
    public String jdbcUrl() {
        return jdbcUrl(database);
    }

    String jdbcUrl(String otherDatabase) {
        StringBuilder url = new StringBuilder("jdbc:postgresql://").append(host).append(':').append(port).append('/').append(otherDatabase);
        String separator = "?";
        if (sslMode.isPresent()) {
            url.append(separator).append("sslmode=").append(sslMode.get());
            separator = "&";
        }
        if (sslRootCert.isPresent()) {
            url.append(separator).append("sslrootcert=").append(sslRootCert.get());
        }
        return url.toString();
    }

    private static String roleName(Map<String, String> env, String variable, String fallback, String adminUser) {
        String name = optional(env, variable).orElse(fallback);
        if (!ROLE_NAME.matcher(name).matches() || name.startsWith("pg_") || RESERVED.contains(name)) {
            throw new SettingsException(variable + " must be a lower-case name of letters, digits and _ (at most 63, not"
                    + " pg_* or a reserved role), got '" + name + "'");
        }
        if (name.equals(adminUser)) {
            throw new SettingsException(variable + " must not be the master user " + adminUser + ": the app never logs in as the master");
        }
        return name;
    }

    @Override
    public String toString() {
        return "RoleSettings[" + adminUser + "@" + host + ":" + port + "/" + database + ", app=" + appRole + ", backup="
                + backupRole + ", auth=" + auth + "]";
    }
}
