package dev.notejam.backup;

import static dev.notejam.backup.BackupFailureCasesTest.at;
import static dev.notejam.backup.BackupFailureCasesTest.cli;
import static org.assertj.core.api.Assertions.assertThat;

import dev.notejam.backup.BackupFailureCasesTest.Run;
import dev.notejam.backup.support.BackupFixture;
import dev.notejam.backup.support.NotejamData;
import dev.notejam.backup.support.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Issue 18 item 5 and issue 22 item 3 through the real command line, on real PostgreSQL 15 and the real S3-compatible
 * server: a genuine backup copied under a newer name or into another environment is refused before the target is
 * touched, a local key can be rotated, and the parallel restore leaves an empty target empty when pg_restore fails.
 */
class BackupBindingKeysAndParallelRestoreTest {

    private static PostgresServer postgres;
    private static String source;
    private static long sourceNotes;

    static final String MAY_DUMP = "dev/postgres/2026/05/202605010200-scheduled.dump.zst.enc";
    static final String MAY_MANIFEST = "dev/postgres/2026/05/202605010200-scheduled.manifest.json";

    @BeforeAll
    static void sourceDatabase() throws Exception {
        postgres = PostgresServer.shared();
        source = postgres.createDatabase("notejam_bind");
        NotejamData.migrate(postgres, source);
        try (Connection c = postgres.connect(source)) {
            NotejamData.generate(c, 80, 2, 20, 40);
        }
        sourceNotes = postgres.countRows(source, "notes");
    }

    static long userObjects(String database) throws Exception {
        try (Connection c = postgres.connect(database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                     + " WHERE n.nspname = 'public') + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
                     + " WHERE n.nspname = 'public')")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    static java.util.List<dev.notejam.backup.postgres.TableStats> statsOf(String database) {
        try (var session = dev.notejam.backup.postgres.PostgresSession.connect(
                dev.notejam.backup.postgres.DatabaseAddress.parse(postgres.jdbcUrl(database)), PostgresServer.ADMIN_USER, PostgresServer.ADMIN_PASSWORD)) {
            return session.tableStats(true);
        }
    }

    static void copy(BackupFixture fixture, String from, String to) {
        try (S3Client s3 = fixture.s3.client()) {
            s3.copyObject(r -> r.sourceBucket(fixture.bucket).sourceKey(from).destinationBucket(fixture.bucket).destinationKey(to));
        }
    }

    static Map<String, String> backupInMay(BackupFixture fixture) {
        Map<String, String> env = fixture.environment(source);
        Run backup = cli(env, at("2026-05-01T02:00:00Z"), "backup", "--trigger", "scheduled");
        assertThat(backup.exitCode()).as(backup.stderr()).isZero();
        return env;
    }

    @Test
    void anOldGenuineBackupCopiedUnderANewerNameIsRefusedByRestoreLatest() throws Exception {
        BackupFixture fixture = new BackupFixture("replay");
        Map<String, String> env = backupInMay(fixture);
        // Someone who can write the bucket replays May's backup as the newest one (object and manifest both genuine).
        copy(fixture, MAY_DUMP, "dev/postgres/2026/06/202606150200-scheduled.dump.zst.enc");
        copy(fixture, MAY_MANIFEST, "dev/postgres/2026/06/202606150200-scheduled.manifest.json");
        String target = postgres.createDatabase("target_replay");

        Run restore = cli(postgres.withDatabase(env, target), at("2026-06-16T03:00:00Z"), "restore", "--latest");
        assertThat(restore.exitCode()).isEqualTo(1);
        assertThat(restore.stderr()).contains("stored as dev/postgres/2026/06/202606150200-scheduled.dump.zst.enc",
                "was made as " + MAY_DUMP, "refusing it");
        assertThat(restore.jsonLines()).extracting(l -> l.path("step").asText()).doesNotContain("verify-object", "pg_restore");
        assertThat(userObjects(target)).isZero();

        // The genuine backup under its own name still restores.
        Run genuine = cli(postgres.withDatabase(env, target), at("2026-06-16T03:00:00Z"), "restore", "--at", "202605010200");
        assertThat(genuine.exitCode()).as(genuine.stderr()).isZero();
        assertThat(postgres.countRows(target, "notes")).isEqualTo(sourceNotes);
    }

    @Test
    void aBackupCopiedIntoAnotherEnvironmentIsRefused() throws Exception {
        BackupFixture fixture = new BackupFixture("foreign");
        Map<String, String> env = backupInMay(fixture);
        copy(fixture, MAY_DUMP, "test/postgres/2026/05/202605010200-scheduled.dump.zst.enc");
        copy(fixture, MAY_MANIFEST, "test/postgres/2026/05/202605010200-scheduled.manifest.json");
        Map<String, String> testEnv = postgres.withDatabase(env, postgres.createDatabase("target_foreign"));
        testEnv.put("BACKUP_ENVIRONMENT", "test");

        Run restore = cli(testEnv, at("2026-05-02T03:00:00Z"), "restore", "--latest");
        assertThat(restore.exitCode()).isEqualTo(1);
        assertThat(restore.stderr()).contains("(environment test, taken 202605010200)", "(environment dev, taken 202605010200)");
        assertThat(userObjects(testEnv.get("BACKUP_DATABASE_URL").replaceAll(".*/", ""))).isZero();
    }

    @Test
    void aRotatedLocalKeyKeepsOldBackupsRestorableAndWrapsNewOnes() throws Exception {
        BackupFixture fixture = new BackupFixture("rotation");
        Map<String, String> env = backupInMay(fixture);
        String oldKey = fixture.encryptionKey;
        String newKey = BackupFixture.newKey();
        Map<String, String> rotated = new HashMap<>(env);
        rotated.put("BACKUP_ENCRYPTION_KEY", newKey);
        rotated.put("BACKUP_PREVIOUS_ENCRYPTION_KEYS", oldKey);

        Run june = cli(rotated, at("2026-06-01T02:00:00Z"), "backup", "--trigger", "scheduled");
        assertThat(june.exitCode()).as(june.stderr()).isZero();
        String juneManifest = new String(BackupFailureCasesTest.download(fixture, "dev/postgres/2026/06/202606010200-scheduled.manifest.json"),
                java.nio.charset.StandardCharsets.UTF_8);
        String mayManifest = new String(BackupFailureCasesTest.download(fixture, MAY_MANIFEST), java.nio.charset.StandardCharsets.UTF_8);
        String newKeyId = new dev.notejam.backup.crypto.LocalKeyEncryptionKey(java.util.Base64.getDecoder().decode(newKey)).keyId();
        String oldKeyId = new dev.notejam.backup.crypto.LocalKeyEncryptionKey(java.util.Base64.getDecoder().decode(oldKey)).keyId();
        assertThat(juneManifest).contains("\"keyId\" : \"" + newKeyId + "\"");
        assertThat(mayManifest).contains("\"keyId\" : \"" + oldKeyId + "\"");

        String target = postgres.createDatabase("target_rotation");
        Run old = cli(postgres.withDatabase(rotated, target), at("2026-06-02T03:00:00Z"), "restore", "--at", "202605010200");
        assertThat(old.exitCode()).as(old.stderr()).isZero();
        assertThat(postgres.countRows(target, "notes")).isEqualTo(sourceNotes);

        Map<String, String> retired = new HashMap<>(rotated);
        retired.remove("BACKUP_PREVIOUS_ENCRYPTION_KEYS");
        Run withoutOldKey = cli(postgres.withDatabase(retired, postgres.createDatabase("target_retired")), at("2026-06-02T03:00:00Z"),
                "restore", "--at", "202605010200");
        assertThat(withoutOldKey.exitCode()).isEqualTo(1);
        assertThat(withoutOldKey.stderr()).contains("wrong key", oldKeyId, newKeyId + " (current)");
        Run juneOnly = cli(postgres.withDatabase(retired, postgres.createDatabase("target_june")), at("2026-06-02T03:00:00Z"), "restore", "--latest");
        assertThat(juneOnly.exitCode()).as(juneOnly.stderr()).isZero();
        // Key material never appears in logs.
        assertThat(june.stdout() + old.stdout() + withoutOldKey.stderr()).doesNotContain(oldKey, newKey);
    }

    @Test
    void parallelRestoreLoadsAnEmptyTargetFromAVerifiedLocalFile() throws Exception {
        BackupFixture fixture = new BackupFixture("parallel");
        Map<String, String> env = backupInMay(fixture);
        String target = postgres.createDatabase("target_parallel");
        Run restore = cli(postgres.withDatabase(env, target), at("2026-05-02T03:00:00Z"), "restore", "--latest", "--jobs", "2");
        assertThat(restore.exitCode()).as(restore.stderr()).isZero();
        assertThat(restore.jsonLines()).filteredOn(l -> l.path("step").asText().equals("pg_restore")).singleElement()
                .satisfies(l -> assertThat(l.path("mode").asText()).isEqualTo("parallel, jobs=2"));
        assertThat(restore.jsonLines()).filteredOn(l -> l.path("step").asText().equals("verify-object")).singleElement()
                .satisfies(l -> assertThat(l.path("localFile").asText()).contains("notejam-restore-"));
        assertThat(statsOf(target)).isEqualTo(statsOf(source));
        // The local copy of the dump is gone.
        String localFile = restore.jsonLines().stream().filter(l -> l.path("step").asText().equals("verify-object"))
                .findFirst().orElseThrow().path("localFile").asText();
        assertThat(Path.of(localFile)).doesNotExist();
    }

    @Test
    void withoutAWorkDirTheRestoreReadsTheBackupTwiceAndStreamsItInOneTransaction() throws Exception {
        BackupFixture fixture = new BackupFixture("streamed");
        Map<String, String> env = backupInMay(fixture);
        String target = postgres.createDatabase("target_streamed");
        Map<String, String> noWorkDir = postgres.withDatabase(env, target);
        noWorkDir.remove("BACKUP_WORK_DIR");
        Run restore = cli(noWorkDir, at("2026-05-02T03:00:00Z"), "restore", "--latest", "--jobs", "2");
        assertThat(restore.exitCode()).as(restore.stderr()).isZero();
        assertThat(restore.jsonLines()).filteredOn(l -> l.path("step").asText().equals("work-dir")).singleElement()
                .satisfies(l -> assertThat(l.path("message").asText()).contains("BACKUP_WORK_DIR is not set"));
        assertThat(restore.jsonLines()).filteredOn(l -> l.path("step").asText().equals("pg_restore")).singleElement()
                .satisfies(l -> assertThat(l.path("mode").asText()).isEqualTo("stream, one transaction"));
        assertThat(postgres.countRows(target, "notes")).isEqualTo(sourceNotes);
    }

    @Test
    void aFailedParallelRestoreDropsEverythingItCreated() throws Exception {
        BackupFixture fixture = new BackupFixture("parallelfail");
        Map<String, String> env = backupInMay(fixture);
        // A pg_restore that does its work and then reports a failure, as when a late index build fails.
        Path bin = Files.createTempDirectory("failing-pg-restore");
        Path realBin = Path.of("/usr/lib/postgresql/15/bin");
        Files.writeString(bin.resolve("pg_restore"), "#!/bin/sh\n" + realBin.resolve("pg_restore") + " \"$@\"\necho 'pg_restore: error: simulated failure' >&2\nexit 1\n");
        Files.writeString(bin.resolve("pg_dump"), "#!/bin/sh\nexec " + realBin.resolve("pg_dump") + " \"$@\"\n");
        for (String tool : new String[] {"pg_restore", "pg_dump"}) {
            Files.setPosixFilePermissions(bin.resolve(tool), PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        String target = postgres.createDatabase("target_parallelfail");
        Map<String, String> failing = postgres.withDatabase(env, target);
        failing.put("BACKUP_PG_BIN_DIR", bin.toString());

        Run restore = cli(failing, at("2026-05-02T03:00:00Z"), "restore", "--latest", "--jobs", "2");
        assertThat(restore.exitCode()).isEqualTo(1);
        assertThat(restore.stderr()).contains("everything it had created was dropped", "simulated failure");
        assertThat(userObjects(target)).isZero();
    }
}
