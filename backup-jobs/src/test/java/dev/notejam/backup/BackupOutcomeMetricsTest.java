package dev.notejam.backup;

import static dev.notejam.backup.BackupFailureCasesTest.at;
import static dev.notejam.backup.BackupFailureCasesTest.cli;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.notejam.backup.BackupFailureCasesTest.Run;
import dev.notejam.backup.pipeline.Toolbox;
import dev.notejam.backup.report.CloudWatchMetricSink;
import dev.notejam.backup.report.MetricSink;
import dev.notejam.backup.support.BackupFixture;
import dev.notejam.backup.support.FakeCloudWatchEndpoint;
import dev.notejam.backup.support.NotejamData;
import dev.notejam.backup.support.PostgresServer;
import java.sql.Connection;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * Backup and verify publish their outcome, success and failure alike, under the names infra-terraform's
 * observability module alarms on (Notejam/Backup, dimension Environment). The real command line against real
 * PostgreSQL 15 and the S3-compatible test server; the CloudWatch sink talks to a fake CloudWatch endpoint (an AWS
 * API), the log sink writes the line dev's shipped-log alarms read.
 */
class BackupOutcomeMetricsTest {

    private static final String NS = MetricSink.NAMESPACE;
    private static PostgresServer postgres;
    private static String source;
    private FakeCloudWatchEndpoint cloudWatch;

    @BeforeAll
    static void sourceDatabase() throws Exception {
        postgres = PostgresServer.shared();
        source = postgres.createDatabase("notejam_metrics_src");
        NotejamData.migrate(postgres, source);
        try (Connection c = postgres.connect(source)) {
            NotejamData.generate(c, 20, 2, 5, 20);
        }
    }

    @BeforeEach
    void startFakeCloudWatch() throws Exception {
        cloudWatch = new FakeCloudWatchEndpoint();
    }

    @AfterEach
    void stopFakeCloudWatch() {
        cloudWatch.close();
    }

    /** The CLI as the pod runs it with BACKUP_METRICS_SINK=cloudwatch, its CloudWatch client pointed at the fake. */
    private Run cliWithCloudWatch(Map<String, String> env, String instant, String... args) {
        env.put("BACKUP_METRICS_SINK", "cloudwatch");
        Function<Toolbox, Toolbox> toFake = t -> {
            Toolbox tuned = BackupFixture.tune(t);
            return new Toolbox(tuned.settings(), tuned.store(), tuned.encryption(), tuned.pgTools(),
                    new CloudWatchMetricSink(cloudWatch.client()), tuned.log(), tuned.progressOut(), tuned.progressEvery(),
                    tuned.clock(), tuned.partSize(), tuned.uploadThreads(), tuned.zstdLevel(), tuned.tableChecksums(),
                    tuned.archivePollEvery());
        };
        return cli(env, at(instant), toFake, args);
    }

    @Test
    void successfulBackupAndVerifyPublishTimestampSizeDurationAndZeroFailuresToCloudWatch() {
        Map<String, String> env = new BackupFixture("metrics-ok").environment(source);
        Run backup = cliWithCloudWatch(env, "2026-05-01T02:15:00Z", "backup", "--trigger", "scheduled");
        assertThat(backup.exitCode()).as(backup.stderr()).isZero();
        assertThat(cloudWatch.data()).allSatisfy(d -> {
            assertThat(d.namespace()).isEqualTo("Notejam/Backup");
            assertThat(d.dimensions()).isEqualTo(Map.of("Environment", "dev"));
        });
        Map<String, Double> published = cloudWatch.values(NS);
        assertThat(published).containsOnlyKeys("LastSuccessTimestamp", "BackupSizeBytes", "BackupDurationSeconds", "BackupFailures");
        assertThat(published.get("LastSuccessTimestamp")).isEqualTo((double) Instant.parse("2026-05-01T02:15:00Z").getEpochSecond());
        assertThat(published.get("BackupSizeBytes")).isGreaterThan(1024);
        assertThat(published.get("BackupFailures")).isZero();
        assertThat(cloudWatch.data()).filteredOn(d -> d.name().equals("BackupSizeBytes")).singleElement()
                .satisfies(d -> assertThat(d.unit()).isEqualTo("Bytes"));

        Run verify = cliWithCloudWatch(env, "2026-05-02T04:30:00Z", "verify", "--latest");
        assertThat(verify.exitCode()).as(verify.stderr()).isZero();
        assertThat(cloudWatch.values(NS)).containsEntry("RestoreDrillLastSuccessTimestamp",
                (double) Instant.parse("2026-05-02T04:30:00Z").getEpochSecond())
                .containsEntry("RestoreDrillFailures", 0.0).containsKey("RestoreDrillDurationSeconds");
    }

    @Test
    void failedBackupPublishesTheFailureMetricAndNoSuccess() throws Exception {
        Map<String, String> env = new BackupFixture("metrics-nodb").environment(source);
        env.put("BACKUP_DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + PostgresServer.freePort() + "/notejam");
        Run backup = cliWithCloudWatch(env, "2026-05-01T02:15:00Z", "backup", "--trigger", "scheduled");
        assertThat(backup.exitCode()).isEqualTo(1);
        Map<String, Double> published = cloudWatch.values(NS);
        assertThat(published).containsEntry("BackupFailures", 1.0)
                .containsEntry("BackupLastFailureTimestamp", (double) Instant.parse("2026-05-01T02:15:00Z").getEpochSecond())
                .containsKey("BackupDurationSeconds")
                .doesNotContainKeys("LastSuccessTimestamp", "BackupSizeBytes");
        // The run still ends with its failure line, which the log-metric alarms read.
        assertThat(last(backup).path("step").asText()).isEqualTo("failed");
    }

    @Test
    void failedRestoreDrillPublishesTheDrillFailureMetric() throws Exception {
        BackupFixture fixture = new BackupFixture("metrics-tampered");
        Map<String, String> env = fixture.environment(source);
        Run backup = cliWithCloudWatch(env, "2026-05-01T02:15:00Z", "backup", "--trigger", "scheduled");
        assertThat(backup.exitCode()).as(backup.stderr()).isZero();
        String key = "dev/postgres/2026/05/202605010215-scheduled.dump.zst.enc";
        try (S3Client s3 = fixture.s3.client()) {
            byte[] object = s3.getObjectAsBytes(r -> r.bucket(fixture.bucket).key(key)).asByteArray();
            object[object.length / 2] ^= 0x01;
            s3.putObject(r -> r.bucket(fixture.bucket).key(key), RequestBody.fromBytes(object));
        }

        Run verify = cliWithCloudWatch(env, "2026-05-03T04:30:00Z", "verify", "--latest");
        assertThat(verify.exitCode()).isEqualTo(1);
        assertThat(verify.stderr()).contains("verify failed");
        assertThat(cloudWatch.values(NS)).containsEntry("RestoreDrillFailures", 1.0)
                .containsEntry("RestoreDrillLastFailureTimestamp", (double) Instant.parse("2026-05-03T04:30:00Z").getEpochSecond())
                .doesNotContainKey("RestoreDrillLastSuccessTimestamp");
    }

    @Test
    void cloudWatchDownNeitherFailsAStoredBackupNorHidesItInTheLog() {
        cloudWatch.failing(true);
        Map<String, String> env = new BackupFixture("metrics-cwdown").environment(source);
        Run backup = cliWithCloudWatch(env, "2026-05-01T02:15:00Z", "backup", "--trigger", "scheduled");
        assertThat(backup.exitCode()).as("a stored backup stays a success").isZero();
        assertThat(cloudWatch.data()).isEmpty();
        assertThat(lines(backup)).filteredOn(l -> l.path("step").asText().equals("metrics")).singleElement()
                .satisfies(l -> {
                    assertThat(l.path("level").asText()).isEqualTo("WARN");
                    assertThat(l.path("message").asText()).contains("backup outcome not published");
                });
        assertThat(lines(backup)).filteredOn(l -> l.path("step").asText().equals("done")).hasSize(1);
    }

    @Test
    void logSinkWritesFailureMetricsBeforeTheFailedLine() throws Exception {
        Map<String, String> env = new BackupFixture("metrics-log").environment(source);
        env.put("BACKUP_DATABASE_URL", "jdbc:postgresql://127.0.0.1:" + PostgresServer.freePort() + "/notejam");
        Run backup = cli(env, at("2026-05-01T02:15:00Z"), "backup", "--trigger", "scheduled");
        assertThat(backup.exitCode()).isEqualTo(1);
        List<JsonNode> lines = lines(backup);
        JsonNode metrics = lines.get(lines.size() - 2);
        assertThat(metrics.path("step").asText()).isEqualTo("metrics");
        assertThat(metrics.path("namespace").asText()).isEqualTo("Notejam/Backup");
        assertThat(metrics.path("Environment").asText()).isEqualTo("dev");
        assertThat(metrics.path("BackupFailures").asLong()).isEqualTo(1);
        assertThat(metrics.has("LastSuccessTimestamp")).isFalse();
        assertThat(last(backup).path("step").asText()).isEqualTo("failed");
        assertThat(last(backup).path("command").asText()).isEqualTo("backup");
    }

    private static List<JsonNode> lines(Run run) {
        try {
            return run.jsonLines();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode last(Run run) {
        List<JsonNode> lines = lines(run);
        return lines.get(lines.size() - 1);
    }
}
