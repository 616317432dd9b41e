package dev.notejam.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.notejam.backup.config.BackupSettings;
import dev.notejam.backup.config.SettingsException;
import dev.notejam.backup.pipeline.Toolbox;
import dev.notejam.backup.postgres.DatabaseAddress;
import dev.notejam.backup.postgres.DatabasePassword;
import dev.notejam.backup.support.BackupFixture;
import dev.notejam.backup.support.NotejamData;
import dev.notejam.backup.support.PostgresServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * With NOTEJAM_DATABASE_IAM_AUTH=true the job asks for a token right before each connection (its own JDBC sessions,
 * pg_dump, pg_restore) and hands it to the PostgreSQL tools through the private passfile, never PGPASSWORD. The AWS
 * signer is the mocked part: a fixed token shaped like an RDS one, which the real PostgreSQL 15 accepts because it
 * is the role's password here. Wrapper scripts record what the real tools received.
 */
class IamTokenReachesPostgresToolsThroughThePassfileWithMockedSignerTest {

    private static final String TOKEN = "db.example.eu-west-1.rds.amazonaws.com:5432/?Action=connect&DBUser=token_user"
            + "&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Expires=900&X-Amz-Signature=0123abcd\\end";

    @Test
    void backupAndRestoreLogInWithAFreshTokenPerConnectionThroughThePassfile() throws Exception {
        PostgresServer postgres = PostgresServer.shared();
        String user = "token_user_" + Long.toHexString(System.nanoTime());
        String source = postgres.createDatabase("iam_source");
        String target = postgres.createDatabase("iam_target");
        NotejamData.migrate(postgres, source);
        try (Connection c = postgres.connect(source); Statement s = c.createStatement()) {
            NotejamData.generate(c, 4, 1, 5, 10);
            s.execute("CREATE ROLE " + user + " LOGIN PASSWORD '" + TOKEN.replace("'", "''") + "'");
            s.execute("GRANT pg_read_all_data TO " + user);
            s.execute("ALTER DATABASE " + target + " OWNER TO " + user);
        }
        Path dir = Files.createTempDirectory("iam-passfile");
        Path bin = Files.createDirectory(dir.resolve("bin"));
        for (String tool : List.of("pg_dump", "pg_restore")) {
            Path wrapper = bin.resolve(tool);
            Files.writeString(wrapper, "#!/bin/sh\n"
                    + "if [ \"$1\" != --version ]; then env > " + dir.resolve(tool + ".env") + "; cat \"$PGPASSFILE\" > " + dir.resolve(tool + ".passfile") + "; fi\n"
                    + "exec " + postgres.binDir().resolve(tool) + " \"$@\"\n");
            Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
        }
        BackupFixture fixture = new BackupFixture("iam-passfile");
        Map<String, String> env = new HashMap<>(fixture.environment(source));
        env.remove("BACKUP_DATABASE_PASSWORD");
        env.put("BACKUP_DATABASE_USERNAME", user);
        env.put("NOTEJAM_DATABASE_IAM_AUTH", "true");
        env.put("AWS_REGION", "eu-west-1");
        env.put("BACKUP_PG_BIN_DIR", bin.toString());
        List<String> asked = new CopyOnWriteArrayList<>();
        DatabasePassword mockedSigner = (address, role) -> {
            asked.add(role + "@" + address.host() + ":" + address.port() + "/" + address.database());
            return TOKEN;
        };

        assertThat(BackupSettings.from(env).databasePassword().toString()).as("IAM mode signs with the SDK unless replaced")
                .startsWith("RDS IAM tokens (eu-west-1)");
        int backup = run(env, mockedSigner, "backup", "--trigger", "manual");
        assertThat(backup).isZero();
        assertToolGotTheTokenInItsPassfileOnly(dir, "pg_dump");
        Map<String, String> restoreEnv = new HashMap<>(postgres.withDatabase(env, target));
        restoreEnv.remove("BACKUP_WORK_DIR"); // the streaming restore: pg_restore reads stdin
        int restore = run(restoreEnv, mockedSigner, "restore", "--latest");
        assertThat(restore).isZero();
        assertToolGotTheTokenInItsPassfileOnly(dir, "pg_restore");

        String at = user + "@127.0.0.1:" + postgres.port() + "/";
        assertThat(asked).as("a token per connection: the backup's session and pg_dump, the restore's session and pg_restore")
                .contains(at + source, at + target).filteredOn(a -> a.endsWith(source)).hasSizeGreaterThanOrEqualTo(2);
        assertThat(asked).filteredOn(a -> a.endsWith(target)).hasSizeGreaterThanOrEqualTo(2);
        assertThat(postgres.countRows(target, "notes")).isEqualTo(postgres.countRows(source, "notes")).isEqualTo(20);
    }

    @Test
    void iamModeRefusesAStaticPasswordAndNeedsARegion() {
        Map<String, String> env = new HashMap<>(new BackupFixture("iam-settings").environment("notejam"));
        env.put("NOTEJAM_DATABASE_IAM_AUTH", "true");
        env.put("AWS_REGION", "eu-west-1");
        Assertions.assertThatThrownBy(() -> BackupSettings.from(env)).isInstanceOf(SettingsException.class)
                .hasMessageContaining("unset BACKUP_DATABASE_PASSWORD");
        env.remove("BACKUP_DATABASE_PASSWORD");
        env.remove("AWS_REGION");
        Assertions.assertThatThrownBy(() -> BackupSettings.from(env)).hasMessageContaining("needs AWS_REGION");
        env.put("NOTEJAM_DATABASE_IAM_AUTH", "yes");
        Assertions.assertThatThrownBy(() -> BackupSettings.from(env)).hasMessageContaining("must be true or false");
        Map<String, String> passwordMode = new BackupFixture("iam-settings2").environment("notejam");
        assertThat(BackupSettings.from(passwordMode).toString()).doesNotContain(PostgresServer.ADMIN_PASSWORD);
    }

    private static void assertToolGotTheTokenInItsPassfileOnly(Path dir, String tool) throws Exception {
        String environment = Files.readString(dir.resolve(tool + ".env"));
        assertThat(environment).contains("PGPASSFILE=").doesNotContain("PGPASSWORD").doesNotContain("X-Amz-Signature");
        assertThat(Files.readString(dir.resolve(tool + ".passfile")))
                .isEqualTo("*:*:*:*:" + TOKEN.replace("\\", "\\\\").replace(":", "\\:") + "\n");
    }

    private static int run(Map<String, String> env, DatabasePassword signer, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = BackupCli.run(new BackupCli.Runtime(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Clock.systemUTC(), t -> withSigner(BackupFixture.tune(t), signer)), args);
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        return code;
    }

    private static Toolbox withSigner(Toolbox t, DatabasePassword signer) {
        return new Toolbox(t.settings().withDatabasePassword(signer), t.store(), t.encryption(), t.pgTools(), t.metrics(), t.log(),
                t.progressOut(), t.progressEvery(), t.clock(), t.partSize(), t.uploadThreads(), t.zstdLevel(), t.tableChecksums(),
                t.archivePollEvery());
    }
}
