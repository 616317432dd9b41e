package dev.notejam.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.notejam.backup.support.BackupFixture;
import dev.notejam.backup.support.NotejamData;
import dev.notejam.backup.support.PostgresServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Every failure case of issue 6 through the real command line, against real PostgreSQL 15 and a real S3-compatible
 * server: each must fail with a clear message, a distinct exit code, and leave the restore target untouched.
 */
class BackupFailureCasesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static PostgresServer postgres;
    private static String source;
    private static long sourceNotes;

    @BeforeAll
    static void sourceDatabase() throws Exception {
        postgres = PostgresServer.shared();
        source = postgres.createDatabase("notejam_src");
        NotejamData.migrate(postgres, source);
        try (Connection c = postgres.connect(source)) {
            NotejamData.generate(c, 120, 2, 25, 60);
        }
        sourceNotes = postgres.countRows(source, "notes");
    }

    /** One CLI run with its own output. */
    record Run(int exitCode, String stdout, String stderr) {
        List<JsonNode> jsonLines() throws Exception {
            List<JsonNode> lines = new ArrayList<>();
            for (String line : stdout.split("\n")) {
                if (line.startsWith("{")) {
                    lines.add(JSON.readTree(line));
                }
            }
            return lines;
        }
    }

    static Run cli(Map<String, String> env, Clock clock, String... args) {
        return cli(env, clock, BackupFixture::tune, args);
    }

    static Run cli(Map<String, String> env, Clock clock, java.util.function.Function<dev.notejam.backup.pipeline.Toolbox,
            dev.notejam.backup.pipeline.Toolbox> customize, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = BackupCli.run(new BackupCli.Runtime(env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), clock, customize), args);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static Clock at(String instant) {
        return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
    }

    /** A fresh bucket with one good backup of the source database, taken at 2026-05-01 02:00 UTC. */
    static Map<String, String> bucketWithOneBackup(BackupFixture fixture) {
        Map<String, String> env = fixture.environment(source);
        Run backup = cli(env, at("2026-05-01T02:00:00Z"), "backup", "--trigger", "scheduled");
        assertThat(backup.exitCode()).as(backup.stderr()).isZero();
        return env;
    }

    static final String KEY = "dev/postgres/2026/05/202605010200-scheduled.dump.zst.enc";
    static final String MANIFEST = "dev/postgres/2026/05/202605010200-scheduled.manifest.json";

    static int relations(String database) throws Exception {
        try (Connection c = postgres.connect(database); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                     + " WHERE n.nspname = 'public'")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    static byte[] download(BackupFixture fixture, String key) {
        try (S3Client s3 = fixture.s3.client()) {
            return s3.getObjectAsBytes(r -> r.bucket(fixture.bucket).key(key)).asByteArray();
        }
    }

    static void upload(BackupFixture fixture, String key, byte[] bytes) {
        try (S3Client s3 = fixture.s3.client()) {
            s3.putObject(r -> r.bucket(fixture.bucket).key(key), RequestBody.fromBytes(bytes));
        }
    }

    @Test
    void listShowsBackupsInTheRangeAndVerifyPassesOnAGoodBackup() throws Exception {
        BackupFixture fixture = new BackupFixture("good");
        Map<String, String> env = bucketWithOneBackup(fixture);
        Run second = cli(env, at("2026-05-03T10:15:00Z"), "backup", "--trigger", "manual");
        assertThat(second.exitCode()).as(second.stderr()).isZero();
        assertThat(second.jsonLines()).extracting(l -> l.path("step").asText())
                .contains("check-s3", "connect", "lock", "snapshot", "dump-and-upload", "table-stats", "manifest", "metrics", "done");
        assertThat(second.jsonLines()).filteredOn(l -> l.path("step").asText().equals("metrics")).singleElement()
                .satisfies(l -> {
                    assertThat(l.path("namespace").asText()).isEqualTo("Notejam/Backup");
                    assertThat(l.path("Environment").asText()).isEqualTo("dev");
                    assertThat(l.path("LastSuccessTimestamp").asLong()).isEqualTo(Instant.parse("2026-05-03T10:15:00Z").getEpochSecond());
                    assertThat(l.path("BackupSizeBytes").asLong()).isPositive();
                });
        assertThat(second.stdout()).doesNotContain(fixture.encryptionKey, PostgresServer.ADMIN_PASSWORD);
        // S3Proxy has no object lock: the job says so instead of failing or pretending.
        assertThat(second.jsonLines()).filteredOn(l -> l.path("step").asText().equals("object-lock")).singleElement()
                .satisfies(l -> assertThat(l.path("level").asText()).isEqualTo("WARN"));
        // Progress for people on stderr: bytes, rate, elapsed.
        assertThat(second.stderr()).containsPattern("backup 202605031015 dumped: [0-9.]+ [KMG]iB, [0-9.]+ MB/s, elapsed 00:00:[0-9]{2}");

        Run all = cli(env, at("2026-05-04T10:15:00Z"), "list");
        assertThat(all.exitCode()).isZero();
        assertThat(all.stdout()).contains(KEY, "dev/postgres/2026/05/202605031015-manual.dump.zst.enc", "scheduled", "manual");
        Run firstDayOnly = cli(env, at("2026-05-04T10:15:00Z"), "list", "--from", "20260501", "--to", "20260502");
        assertThat(firstDayOnly.stdout()).contains(KEY).doesNotContain("202605031015-manual");

        Run verify = cli(env, at("2026-05-04T11:00:00Z"), "verify", "--at", "20260501");
        assertThat(verify.exitCode()).as(verify.stderr()).isZero();
        assertThat(verify.stdout()).contains("verified", KEY);
        assertThat(verify.jsonLines()).extracting(l -> l.path("step").asText()).contains("create-scratch", "restore-scratch", "compare", "drop-scratch");
        assertThat(scratchDatabases()).isEmpty();
    }

    @Test
    void verifyFailsOnATamperedBackupAndDropsItsScratchDatabase() throws Exception {
        BackupFixture fixture = new BackupFixture("tampered");
        Map<String, String> env = bucketWithOneBackup(fixture);
        byte[] object = download(fixture, KEY);
        object[object.length / 2] ^= 0x01;
        upload(fixture, KEY, object);

        Run verify = cli(env, at("2026-05-02T03:00:00Z"), "verify", "--latest");
        assertThat(verify.exitCode()).isEqualTo(1);
        assertThat(verify.stderr()).contains("verify failed", "failed its integrity and authenticity check", KEY);
        assertThat(scratchDatabases()).isEmpty();
    }

    @Test
    void flippedByteIsDetectedBeforeTheTargetIsTouched() throws Exception {
        BackupFixture fixture = new BackupFixture("flipped");
        Map<String, String> env = bucketWithOneBackup(fixture);
        byte[] object = download(fixture, KEY);
        object[object.length - 100] ^= (byte) 0x80;
        upload(fixture, KEY, object);
        String target = postgres.createDatabase("target_flipped");

        Run restore = cli(postgres.withDatabase(env, target), at("2026-05-02T03:00:00Z"), "restore", "--latest");
        assertThat(restore.exitCode()).isEqualTo(1);
        assertThat(restore.stderr()).contains("failed its integrity and authenticity check");
        assertThat(restore.jsonLines()).extracting(l -> l.path("step").asText()).doesNotContain("pg_restore");
        assertThat(relations(target)).isZero();
    }

    @Test
    void wrongKeyIsReportedBeforeTheTargetIsTouched() throws Exception {
        BackupFixture fixture = new BackupFixture("wrongkey");
        Map<String, String> env = postgres.withDatabase(bucketWithOneBackup(fixture), postgres.createDatabase("target_wrongkey"));
        env.put("BACKUP_ENCRYPTION_KEY", BackupFixture.newKey());

        Run restore = cli(env, at("2026-05-02T03:00:00Z"), "restore", "--at", "202605010200");
        assertThat(restore.exitCode()).isEqualTo(1);
        assertThat(restore.stderr()).contains("wrong key", "the configured keys are local:");
        assertThat(relations(postgres.createDatabase("unused")) + relations(dbOf(env))).isZero();
    }

    @Test
    void truncatedObjectIsRefusedEvenWhenItsManifestIsForgedToMatch() throws Exception {
        BackupFixture fixture = new BackupFixture("truncated");
        Map<String, String> env = bucketWithOneBackup(fixture);
        String target = postgres.createDatabase("target_truncated");
        byte[] object = download(fixture, KEY);
        // Drop the tail of the last segment: what a cut-off upload or download would leave.
        byte[] truncated = Arrays.copyOf(object, object.length - 40);
        upload(fixture, KEY, truncated);

        Run sizeCheck = cli(postgres.withDatabase(env, target), at("2026-05-02T03:00:00Z"), "restore", "--latest");
        assertThat(sizeCheck.exitCode()).isEqualTo(1);
        assertThat(sizeCheck.stderr()).contains("is " + truncated.length + " bytes but its manifest says " + object.length, "truncated");

        // An attacker who can write the bucket could also rewrite the manifest: authentication still refuses.
        String manifest = new String(download(fixture, MANIFEST), StandardCharsets.UTF_8)
                .replace("\"encryptedBytes\" : " + object.length, "\"encryptedBytes\" : " + truncated.length)
                .replaceAll("\"sha256\" : \"[0-9a-f]{64}\"", "\"sha256\" : \""
                        + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(truncated)) + "\"");
        upload(fixture, MANIFEST, manifest.getBytes(StandardCharsets.UTF_8));
        Run forged = cli(postgres.withDatabase(env, target), at("2026-05-02T03:00:00Z"), "restore", "--latest");
        assertThat(forged.exitCode()).isEqualTo(1);
        // The manifest is authenticated with the backup's own key: an edited manifest is refused before any download.
        assertThat(forged.stderr()).contains("manifest " + MANIFEST + " is not authentic");
        assertThat(forged.jsonLines()).extracting(l -> l.path("step").asText()).doesNotContain("verify-object", "pg_restore");
        assertThat(relations(target)).isZero();
    }

    @Test
    void missingObjectIsReportedClearly() throws Exception {
        BackupFixture fixture = new BackupFixture("missing");
        Map<String, String> env = bucketWithOneBackup(fixture);
        try (S3Client s3 = fixture.s3.client()) {
            s3.deleteObject(r -> r.bucket(fixture.bucket).key(KEY));
        }
        String target = postgres.createDatabase("target_missing");
        Run restore = cli(postgres.withDatabase(env, target), at("2026-05-02T03:00:00Z"), "restore", "--at", "202605010200");
        assertThat(restore.exitCode()).isEqualTo(1);
        assertThat(restore.stderr()).contains("no complete backup for the run at 202605010200", fixture.bucket);
        Run other = cli(postgres.withDatabase(env, target), at("2026-05-02T03:00:00Z"), "restore", "--at", "20260430");
        assertThat(other.stderr()).contains("no complete backup for the latest backup of 2026-04-30");
        assertThat(relations(target)).isZero();
    }

    @Test
    void nonEmptyTargetIsRefusedWithoutForceAndReplacedWithIt() throws Exception {
        BackupFixture fixture = new BackupFixture("nonempty");
        Map<String, String> env = bucketWithOneBackup(fixture);
        String target = postgres.createDatabase("target_nonempty");
        NotejamData.migrate(postgres, target);
        try (Connection c = postgres.connect(target)) {
            NotejamData.generate(c, 5, 1, 3, 10, 7);
        }
        Run refused = cli(postgres.withDatabase(env, target), at("2026-05-02T03:00:00Z"), "restore", "--latest");
        assertThat(refused.exitCode()).isEqualTo(BackupFailure.REFUSED);
        assertThat(refused.stderr()).contains("is not empty", "public.notes", "without --force");
        assertThat(postgres.countRows(target, "notes")).isEqualTo(15);

        Run forced = cli(postgres.withDatabase(env, target), at("2026-05-02T03:00:00Z"), "restore", "--latest", "--force");
        assertThat(forced.exitCode()).as(forced.stderr()).isZero();
        assertThat(postgres.countRows(target, "notes")).isEqualTo(sourceNotes);
    }

    @Test
    void unreachableDatabaseFailsBeforeAnythingIsUploaded() throws Exception {
        BackupFixture fixture = new BackupFixture("nodb");
        Map<String, String> env = fixture.environment(source);
        env.put("BACKUP_DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + PostgresServer.freePort() + "/notejam");
        Run backup = cli(env, at("2026-05-01T02:00:00Z"), "backup", "--trigger", "scheduled");
        assertThat(backup.exitCode()).isEqualTo(1);
        assertThat(backup.stderr()).contains("cannot connect to PostgreSQL at 127.0.0.1:", "check BACKUP_DATABASE_URL");
        try (S3Client s3 = fixture.s3.client()) {
            assertThat(s3.listObjectsV2(r -> r.bucket(fixture.bucket)).contents()).extracting(o -> o.key())
                    .filteredOn(k -> !k.endsWith("/")).isEmpty();
        }
    }

    @Test
    void unreachableS3FailsAfterBoundedRetries() throws Exception {
        BackupFixture fixture = new BackupFixture("nos3");
        Map<String, String> env = fixture.environment(source);
        env.put("BACKUP_S3_ENDPOINT", "http://127.0.0.1:" + PostgresServer.freePort());
        long started = System.nanoTime();
        Run backup = cli(env, at("2026-05-01T02:00:00Z"), "backup", "--trigger", "scheduled");
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        assertThat(backup.exitCode()).isEqualTo(1);
        assertThat(backup.stderr()).contains("S3 is unreachable at http://127.0.0.1:", "BACKUP_S3_MAX_ATTEMPTS")
                .contains("S3 ListObjectsV2: retrying, attempt 2 of 3", "S3 ListObjectsV2: retrying, attempt 3 of 3")
                .doesNotContain("attempt 4");
        assertThat(seconds).isLessThan(30);
        // It failed before taking the lock or a snapshot.
        assertThat(backup.jsonLines()).extracting(l -> l.path("step").asText()).doesNotContain("lock", "snapshot");
    }

    @Test
    void secondBackupStartedWhileOneRunsRefusesToStart() throws Exception {
        BackupFixture fixture = new BackupFixture("concurrent");
        // A pg_dump that starts 4 s late, so the first backup surely holds the lock when the second starts.
        Path bin = Files.createTempDirectory("slow-pg-dump");
        Path realBin = Path.of("/usr/lib/postgresql/15/bin");
        Path slowDump = bin.resolve("pg_dump");
        Files.writeString(slowDump, "#!/bin/sh\n[ \"$1\" = --version ] || sleep 4\nexec " + realBin.resolve("pg_dump") + " \"$@\"\n");
        Files.setPosixFilePermissions(slowDump, PosixFilePermissions.fromString("rwxr-xr-x"));
        Map<String, String> env = fixture.environment(source);
        env.put("BACKUP_PG_BIN_DIR", bin.toString());

        CompletableFuture<Run> first = CompletableFuture.supplyAsync(() -> cli(env, at("2026-05-01T02:00:00Z"), "backup", "--trigger", "scheduled"));
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!backupLockHeld() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(backupLockHeld()).as("first backup holds the advisory lock").isTrue();
        Run second = cli(env, at("2026-05-01T02:01:00Z"), "backup", "--trigger", "manual");
        assertThat(second.exitCode()).isEqualTo(BackupFailure.REFUSED);
        assertThat(second.stderr()).contains("another backup of", "is already running");

        Run firstRun = first.get();
        assertThat(firstRun.exitCode()).as(firstRun.stderr()).isZero();
        try (S3Client s3 = fixture.s3.client()) {
            // (S3Proxy's filesystem store also lists its directories)
            assertThat(s3.listObjectsV2(r -> r.bucket(fixture.bucket)).contents()).extracting(o -> o.key())
                    .filteredOn(k -> !k.endsWith("/")).containsExactlyInAnyOrder(KEY, MANIFEST);
        }
    }

    @Test
    void badSettingsNameTheVariableToFix() {
        Map<String, String> env = new HashMap<>(new BackupFixture("settings").environment(source));
        env.remove("BACKUP_S3_BUCKET");
        Run run = cli(env, at("2026-05-01T02:00:00Z"), "backup", "--trigger", "scheduled");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("BACKUP_S3_BUCKET is required");
        Run badTrigger = cli(new BackupFixture("trigger").environment(source), at("2026-05-01T02:00:00Z"), "backup", "--trigger", "nightly");
        assertThat(badTrigger.exitCode()).isEqualTo(2);
        assertThat(badTrigger.stderr()).contains("trigger must be scheduled, manual or predeploy");
    }

    private static boolean backupLockHeld() throws Exception {
        try (Connection c = postgres.connect("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                     + " AND ((classid::bigint << 32) | objid::bigint) = " + dev.notejam.backup.postgres.PostgresSession.BACKUP_LOCK_ID)) {
            rs.next();
            return rs.getInt(1) > 0;
        }
    }

    private static List<String> scratchDatabases() throws Exception {
        List<String> names = new ArrayList<>();
        try (Connection c = postgres.connect("postgres"); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE 'notejam_verify_%'")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        }
        return names;
    }

    private static String dbOf(Map<String, String> env) {
        String url = env.get("BACKUP_DATABASE_URL");
        return url.substring(url.lastIndexOf('/') + 1);
    }
}
