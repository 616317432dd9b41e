package dev.notejam.backup.report;

import java.time.Instant;

/** Where a successful backup reports itself: CloudWatch in AWS, a log line elsewhere. */
public interface MetricSink {

    String NAMESPACE = "Notejam/Backup";
    String LAST_SUCCESS = "LastSuccessTimestamp";
    String SIZE = "BackupSizeBytes";
    String DIMENSION = "Environment";

    void backupSucceeded(String environment, Instant finishedAt, long sizeBytes);
}
