package dev.notejam.backup;

import static dev.notejam.backup.BackupFailureCasesTest.at;
import static dev.notejam.backup.BackupFailureCasesTest.cli;
import static org.assertj.core.api.Assertions.assertThat;

import dev.notejam.backup.BackupFailureCasesTest.Run;
import dev.notejam.backup.support.BackupFixture;
import dev.notejam.backup.support.FakeArchiveS3Endpoint;
import dev.notejam.backup.support.NotejamData;
import dev.notejam.backup.support.PostgresServer;
import java.sql.Connection;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Restoring a backup older than a year, which the bucket's lifecycle has moved to DEEP_ARCHIVE (issue 18 item 3).
 * S3's archive behaviour cannot run here and S3Proxy lacks it, so the CLI talks to a FAKE archive endpoint
 * ({@link FakeArchiveS3Endpoint}) that serves the real S3Proxy's objects with DEEP_ARCHIVE semantics; PostgreSQL is real.
 */
class DeepArchiveRestoreAgainstFakeArchiveEndpointTest {

    static final String DUMP = "dev/postgres/2026/05/202605010200-scheduled.dump.zst.enc";
    static final String MANIFEST = "dev/postgres/2026/05/202605010200-scheduled.manifest.json";

    static long notes(PostgresServer postgres, String database) throws Exception {
        try (Connection c = postgres.connect(database); var s = c.createStatement(); var rs = s.executeQuery("SELECT count(*) FROM notes")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void restoreRequestsTheArchiveRestoreWaitsWithProgressThenRestores() throws Exception {
        PostgresServer postgres = PostgresServer.shared();
        BackupFixture fixture = new BackupFixture("archive");
        String source = postgres.createDatabase("notejam_archive");
        NotejamData.migrate(postgres, source);
        try (Connection c = postgres.connect(source)) {
            NotejamData.generate(c, 20, 1, 10, 30);
        }
        Map<String, String> env = fixture.environment(source);
        Run backup = cli(env, at("2026-05-01T02:00:00Z"), "backup", "--trigger", "scheduled");
        assertThat(backup.exitCode()).as(backup.stderr()).isZero();

        try (S3Client s3 = fixture.s3.client(); FakeArchiveS3Endpoint archive = new FakeArchiveS3Endpoint(s3, 3)) {
            archive.archive(DUMP);
            archive.archive(MANIFEST);
            Map<String, String> later = new HashMap<>(env);
            later.put("BACKUP_S3_ENDPOINT", archive.endpoint().toString());

            Run list = cli(later, at("2027-06-01T00:00:00Z"), "list");
            assertThat(list.stdout()).contains("DEEP_ARCHIVE", DUMP);

            // --no-wait: only the request, exit code 4, nothing restored.
            String target = postgres.createDatabase("target_archive");
            later.put("BACKUP_DATABASE_URL", postgres.jdbcUrl(target));
            Run request = cli(later, at("2027-06-01T00:00:00Z"), "restore", "--latest", "--archive-tier", "Bulk", "--no-wait");
            assertThat(request.exitCode()).as(request.stderr()).isEqualTo(BackupFailure.PENDING);
            assertThat(request.stderr()).contains("restore from the archive requested", "DEEP_ARCHIVE", "tier Bulk", "up to 48 hours");
            assertThat(archive.restoreRequests).extracting(FakeArchiveS3Endpoint.RestoreRequest::key).containsExactlyInAnyOrder(DUMP, MANIFEST);
            assertThat(archive.restoreRequests).allSatisfy(r -> {
                assertThat(r.tier()).isEqualTo("Bulk");
                assertThat(r.days()).isEqualTo(7);
            });

            // Run again: the request is in progress, so it is not repeated; the job waits, printing progress, then restores.
            Run restore = cli(later, at("2027-06-01T06:00:00Z"), "restore", "--latest");
            assertThat(restore.exitCode()).as(restore.stderr()).isZero();
            assertThat(archive.restoreRequests).hasSize(2);
            assertThat(restore.stderr()).containsPattern("restore: waiting for S3 to restore backup 202605010200 \\(2 objects in DEEP_ARCHIVE"
                    + ", tier Standard, AWS documents up to 12 hours\\): [01] of 2 objects ready, elapsed 00:00:0[0-9], next check in 0 s");
            assertThat(restore.stdout()).contains("already in progress", "is readable again");
            assertThat(notes(postgres, target)).isEqualTo(notes(postgres, source)).isEqualTo(20L * 10);
        }
    }
}
