package dev.notejam.backup.postgres;

/**
 * The password of each new database connection, JDBC or pg_dump/pg_restore: the fixed BACKUP_DATABASE_PASSWORD, or
 * with NOTEJAM_DATABASE_IAM_AUTH=true a fresh RDS IAM token ({@link RdsIamTokens}), asked for right before each
 * connection because a token is valid for only 15 minutes and a restore may download for longer than that.
 */
@FunctionalInterface
public interface DatabasePassword {

    String forNewConnection(DatabaseAddress address, String user);

    static DatabasePassword fixed(String password) {
        return new DatabasePassword() {
            @Override
            public String forNewConnection(DatabaseAddress address, String user) {
                return password;
            }

            @Override
            public String toString() {
                return "fixed password";
            }
        };
    }
}
