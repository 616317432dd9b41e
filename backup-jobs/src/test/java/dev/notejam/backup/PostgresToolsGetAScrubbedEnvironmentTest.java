package dev.notejam.backup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.notejam.backup.support.BackupFixture;
import dev.notejam.backup.support.NotejamData;
import dev.notejam.backup.support.PostgresServer;
import dev.notejam.backup.support.S3Server;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * pg_dump and pg_restore must not inherit the job's secrets (issue 18 item 5). The CLI runs as its own JVM with the
 * encryption key, the database password, AWS credentials and a canary in its environment, exactly like a pod; wrapper
 * scripts in BACKUP_PG_BIN_DIR record the environment the real PostgreSQL 15 tools receive, then run them.
 */
class PostgresToolsGetAScrubbedEnvironmentTest {

    private static final Set<String> ALLOWED = Set.of("PATH", "LANG", "LC_ALL", "TZ", "PGHOST", "PGPORT", "PGDATABASE", "PGUSER",
            "PGSSLMODE", "PGSSLROOTCERT", "PGAPPNAME", "PGCONNECT_TIMEOUT", "PGPASSFILE",
            "PWD", "SHLVL", "_"); // the last three are set by the wrapper's own shell

    @Test
    void pgDumpAndPgRestoreSeeOnlyLibpqSettingsAndAPrivatePassfile() throws Exception {
        PostgresServer postgres = PostgresServer.shared();
        BackupFixture fixture = new BackupFixture("scrubbed");
        String source = postgres.createDatabase("notejam_scrub");
        NotejamData.migrate(postgres, source);
        try (Connection c = postgres.connect(source)) {
            NotejamData.generate(c, 10, 1, 5, 20);
        }
        Path dir = Files.createTempDirectory("scrubbed-env");
        Path bin = Files.createDirectory(dir.resolve("bin"));
        for (String tool : List.of("pg_dump", "pg_restore")) {
            Path wrapper = bin.resolve(tool);
            Files.writeString(wrapper, "#!/bin/sh\n"
                    + "if [ \"$1\" = --version ]; then env > " + dir.resolve(tool + ".version-env") + "; else env > " + dir.resolve(tool + ".env") + "; "
                    + "stat -c %a \"$PGPASSFILE\" > " + dir.resolve(tool + ".passfile-mode") + "; "
                    + "echo \"$PGPASSFILE\" > " + dir.resolve(tool + ".passfile-path") + "; fi\n"
                    + "exec " + postgres.binDir().resolve(tool) + " \"$@\"\n");
            Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Map<String, String> env = new LinkedHashMap<>(fixture.environment(source));
        env.put("BACKUP_PG_BIN_DIR", bin.toString());
        env.put("AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", S3Server.SECRET_KEY);
        env.put("NOTEJAM_SECRET_CANARY", "canary-7f3a9d");
        env.put("PGPASSWORD", "inherited-pgpassword-must-not-pass");

        Process backup = cli(env, dir, "backup", "--trigger", "manual");
        assertThat(backup.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(backup.exitValue()).as(Files.readString(dir.resolve("cli.err"))).isZero();
        Map<String, String> target = new LinkedHashMap<>(env);
        target.put("BACKUP_DATABASE_URL", postgres.jdbcUrl(postgres.createDatabase("scrub_target")));
        Process restore = cli(target, dir, "restore", "--latest", "--jobs", "2");
        assertThat(restore.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(restore.exitValue()).as(Files.readString(dir.resolve("cli.err"))).isZero();

        List<String> secrets = List.of(fixture.encryptionKey, PostgresServer.ADMIN_PASSWORD, S3Server.SECRET_KEY, "canary-7f3a9d",
                "inherited-pgpassword-must-not-pass");
        assertVersionCallScrubbed(dir, secrets);
        for (String tool : List.of("pg_dump", "pg_restore")) {
            Map<String, String> seen = parse(Files.readString(dir.resolve(tool + ".env")));
            assertThat(seen.keySet()).as(tool + " environment").isSubsetOf(ALLOWED).contains("PGHOST", "PGUSER", "PGPASSFILE", "PATH");
            assertThat(String.join("\n", seen.values())).as(tool + " environment values").doesNotContain(secrets);
            assertThat(Files.readString(dir.resolve(tool + ".passfile-mode")).trim()).as(tool + " passfile mode").isEqualTo("600");
            // The passfile lived only as long as the tool.
            assertThat(Path.of(Files.readString(dir.resolve(tool + ".passfile-path")).trim())).doesNotExist();
        }
    }

    private static void assertVersionCallScrubbed(Path dir, List<String> secrets) throws Exception {
        // The backup asks pg_dump for its version before dumping: that call gets the same scrubbed environment.
        Map<String, String> versionCall = parse(Files.readString(dir.resolve("pg_dump.version-env")));
        assertThat(versionCall.keySet()).as("pg_dump --version environment").isSubsetOf(ALLOWED).doesNotContain("PGPASSFILE");
        assertThat(String.join("\n", versionCall.values())).doesNotContain(secrets);
    }

    private static Process cli(Map<String, String> env, Path dir, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"), BackupCli.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(dir.resolve("cli.out").toFile())
                .redirectError(dir.resolve("cli.err").toFile());
        builder.environment().clear();
        builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        builder.environment().putAll(env);
        return builder.start();
    }

    private static Map<String, String> parse(String envOutput) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String line : envOutput.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        return values;
    }
}
