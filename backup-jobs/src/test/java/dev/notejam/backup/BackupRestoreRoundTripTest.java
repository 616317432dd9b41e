package dev.notejam.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.notejam.backup.pipeline.BackupJob;
import dev.notejam.backup.pipeline.BackupSelector;
import dev.notejam.backup.pipeline.Manifest;
import dev.notejam.backup.pipeline.RestoreJob;
import dev.notejam.backup.pipeline.Toolbox;
import dev.notejam.backup.pipeline.VerifyJob;
import dev.notejam.backup.postgres.DatabaseAddress;
import dev.notejam.backup.postgres.PostgresSession;
import dev.notejam.backup.postgres.TableStats;
import dev.notejam.backup.storage.BackupName.Trigger;
import dev.notejam.backup.support.BackupFixture;
import dev.notejam.backup.support.NotejamData;
import dev.notejam.backup.support.PostgresServer;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/** backup → restore → compare, on a real PostgreSQL 15 and a real S3-compatible server, through the real AWS SDK. */
class BackupRestoreRoundTripTest {

    private static BackupFixture fixture;
    private static String source;

    @BeforeAll
    static void notejamDatabase() throws Exception {
        fixture = new BackupFixture("roundtrip");
        source = fixture.postgres.createDatabase("notejam");
        NotejamData.migrate(fixture.postgres, source);
        try (Connection c = fixture.postgres.connect(source)) {
            // 15,000 notes of ~100 words: a ~10 MB dump that spans several 1 MiB encryption segments.
            NotejamData.generate(c, 300, 3, 50, 100);
        }
    }

    private static Clock at(String instant) {
        return Clock.fixed(Instant.parse(instant), ZoneOffset.UTC);
    }

    @Test
    void backupThenRestoreIntoAnEmptyDatabaseGivesIdenticalTables() throws Exception {
        Map<String, String> env = fixture.environment(source);
        Toolbox backupTools = fixture.toolbox(env, "backup", at("2026-03-04T05:06:30Z"));
        BackupJob.Result result = new BackupJob(backupTools).run(Trigger.MANUAL);

        assertThat(result.name().dumpKey()).isEqualTo("dev/postgres/2026/03/202603040506-manual.dump.zst.enc");
        Manifest manifest = result.manifest();
        assertThat(manifest.postgres().serverVersion()).startsWith("15.");
        assertThat(manifest.postgres().pgDumpVersion()).contains("pg_dump (PostgreSQL)");
        assertThat(manifest.flywaySchemaVersion()).isEqualTo(latestMigrationVersion());
        assertThat(manifest.packing().keyId()).startsWith("local:").doesNotContain(fixture.encryptionKey);
        assertThat(manifest.tables()).extracting(TableStats::qualifiedName)
                .contains("public.users", "public.pads", "public.notes", "public.flyway_schema_history");
        assertThat(manifest.tables()).filteredOn(t -> t.table().equals("notes")).singleElement()
                .satisfies(t -> assertThat(t.rowCount()).isEqualTo(300 * 50));

        try (S3Client s3 = fixture.s3.client()) {
            byte[] stored = s3.getObjectAsBytes(r -> r.bucket(fixture.bucket).key(result.name().dumpKey())).asByteArray();
            assertThat((long) stored.length).isEqualTo(manifest.sizes().encryptedBytes());
            assertThat(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(stored))).isEqualTo(manifest.sha256());
            JsonNode storedManifest = new ObjectMapper().readTree(
                    s3.getObjectAsBytes(r -> r.bucket(fixture.bucket).key(result.name().manifestKey())).asUtf8String());
            assertThat(storedManifest.path("sha256").asText()).isEqualTo(manifest.sha256());
            assertThat(storedManifest.path("tables").size()).isEqualTo(manifest.tables().size());
        }
        assertThat(manifest.sizes().dumpBytes()).isGreaterThan(manifest.sizes().compressedBytes());

        String target = fixture.postgres.createDatabase("restored");
        Toolbox restoreTools = fixture.toolbox(fixture.environment(target), "restore", at("2026-03-04T06:00:00Z"));
        new RestoreJob(restoreTools).run(BackupSelector.at("202603040506"), false);

        assertThat(statsOf(target)).isEqualTo(statsOf(source));
        // Metrics are the command line's (BackupOutcomeMetricsTest), not the job's.
        assertThat(fixture.stdout()).contains("\"step\":\"dump-and-upload\"", "\"step\":\"pg_restore\"");
    }

    @Test
    void backupWhileWritesContinueIsConsistentWithItsManifest() throws Exception {
        String busy = fixture.postgres.createDatabase("busy");
        NotejamData.migrate(fixture.postgres, busy);
        try (Connection c = fixture.postgres.connect(busy)) {
            NotejamData.generate(c, 200, 2, 40, 100);
        }
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong written = new AtomicLong();
        Thread writer = new Thread(() -> {
            try (Connection c = fixture.postgres.connect(busy);
                 PreparedStatement insert = c.prepareStatement(
                         "INSERT INTO notes (owner_id, name, text) VALUES (1 + (? % 200), 'written during backup', repeat('x', 500))")) {
                long deadline = System.nanoTime() + 60_000_000_000L;
                for (long i = 0; writing.get() && System.nanoTime() < deadline && i < 200_000; i++) {
                    insert.setLong(1, i);
                    insert.executeUpdate();
                    written.incrementAndGet();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        while (written.get() < 50) {
            Thread.sleep(10);
        }
        BackupJob.Result result;
        try {
            result = new BackupJob(fixture.toolbox(fixture.environment(busy), "backup", at("2026-03-05T01:00:00Z"))).run(Trigger.SCHEDULED);
        } finally {
            writing.set(false);
            writer.join();
        }
        long notesInManifest = result.manifest().tables().stream().filter(t -> t.table().equals("notes")).findFirst().orElseThrow().rowCount();
        assertThat(notesInManifest).isGreaterThan(200L * 40).isLessThan(200L * 40 + written.get());

        String target = fixture.postgres.createDatabase("busyrestored");
        Map<String, String> targetEnv = fixture.environment(target);
        new RestoreJob(fixture.toolbox(targetEnv, "restore", at("2026-03-05T02:00:00Z")))
                .run(BackupSelector.at("202603050100"), false);
        List<TableStats> restored = statsOf(target);
        assertThat(restored).filteredOn(t -> t.table().equals("notes")).singleElement()
                .satisfies(t -> assertThat(t.rowCount()).isEqualTo(notesInManifest));
        // Checksums of the restored rows equal those taken in the backup's snapshot.
        assertThat(restored).containsAll(result.manifest().tables());

        VerifyJob.Result verified = new VerifyJob(fixture.toolbox(fixture.environment(busy), "verify", at("2026-03-05T03:00:00Z")))
                .run(BackupSelector.at("20260305"));
        assertThat(verified.key()).isEqualTo(result.name().dumpKey());
        assertThat(databaseExists(verified.scratchDatabase())).isFalse();
    }

    static List<TableStats> statsOf(String database) {
        try (PostgresSession s = PostgresSession.connect(DatabaseAddress.parse(fixture.postgres.jdbcUrl(database)),
                PostgresServer.ADMIN_USER, PostgresServer.ADMIN_PASSWORD)) {
            return s.tableStats(true);
        }
    }

    static boolean databaseExists(String name) throws Exception {
        try (Connection c = fixture.postgres.connect("postgres");
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static String latestMigrationVersion() throws Exception {
        try (var files = java.nio.file.Files.list(NotejamData.migrationsDir())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .map(n -> n.substring(1, n.indexOf("__"))).max(java.util.Comparator.comparingInt(Integer::parseInt)).orElseThrow();
        }
    }
}
