package dev.notejam.backup.pipeline;

import dev.notejam.backup.config.BackupSettings;
import dev.notejam.backup.crypto.EnvelopeEncryption;
import dev.notejam.backup.crypto.KeyEncryptionKey;
import dev.notejam.backup.crypto.KeyRing;
import dev.notejam.backup.crypto.KmsKeyEncryptionKey;
import dev.notejam.backup.crypto.LocalKeyEncryptionKey;
import dev.notejam.backup.postgres.PgTools;
import dev.notejam.backup.report.CloudWatchMetricSink;
import dev.notejam.backup.report.EventLog;
import dev.notejam.backup.report.LogMetricSink;
import dev.notejam.backup.report.MetricSink;
import dev.notejam.backup.storage.BackupStore;
import dev.notejam.backup.storage.S3Clients;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.kms.KmsClient;

/** Wires the real clients from the settings: S3, KMS or a local key, the metric sink. */
public final class ToolboxFactory {

    private ToolboxFactory() {
    }

    public static Toolbox create(BackupSettings settings, String command, PrintStream out, PrintStream progress, Clock clock) {
        EventLog log = new EventLog(out, clock, command);
        KeyEncryptionKey key = settings.kmsKeyArn()
                .<KeyEncryptionKey>map(arn -> new KmsKeyEncryptionKey(arn, KmsClient.builder()
                        .region(Region.of(regionOfArn(arn, settings.region())))
                        .overrideConfiguration(o -> o.retryStrategy(S3Clients.retryStrategy(settings.s3MaxAttempts())))
                        .build()))
                .orElseGet(() -> new LocalKeyEncryptionKey(settings.encryptionKey().orElseThrow()));
        KeyRing keys = new KeyRing(key, settings.previousEncryptionKeys().stream()
                .<KeyEncryptionKey>map(LocalKeyEncryptionKey::new).toList());
        MetricSink metrics = settings.metricsSink() == BackupSettings.MetricsSinkKind.CLOUDWATCH
                ? new CloudWatchMetricSink(CloudWatchClient.builder().region(Region.of(settings.region())).build())
                : new LogMetricSink(log);
        BackupStore store = new BackupStore(S3Clients.create(settings, progress), settings.bucket(), settings.s3Endpoint());
        return new Toolbox(settings, store, new EnvelopeEncryption(keys), new PgTools(settings.pgBinDir().orElse(null)), metrics, log, progress,
                Duration.ofSeconds(10), clock, Toolbox.DEFAULT_PART_SIZE, 2, 3, true, Toolbox.DEFAULT_ARCHIVE_POLL);
    }

    /** A KMS key ARN names its region (arn:aws:kms:REGION:...); a multi-Region replica ARN points at the local copy. */
    static String regionOfArn(String arn, String fallback) {
        String[] parts = arn.split(":");
        return parts.length > 3 && arn.startsWith("arn:") && !parts[3].isEmpty() ? parts[3] : fallback;
    }
}
