package dev.notejam.backup.report;

/**
 * Where backup and verify runs report their outcome, success and failure alike: CloudWatch in AWS, a JSON log line
 * elsewhere. infra-terraform's observability module alarms on these names (namespace, metric, dimension).
 */
public interface MetricSink {

    String NAMESPACE = "Notejam/Backup";
    String DIMENSION = "Environment";

    // backup
    String LAST_SUCCESS = "LastSuccessTimestamp";
    String SIZE = "BackupSizeBytes";
    String BACKUP_DURATION = "BackupDurationSeconds";
    String BACKUP_FAILURES = "BackupFailures";
    String BACKUP_LAST_FAILURE = "BackupLastFailureTimestamp";
    // verify (the restore drill)
    String DRILL_LAST_SUCCESS = "RestoreDrillLastSuccessTimestamp";
    String DRILL_DURATION = "RestoreDrillDurationSeconds";
    String DRILL_FAILURES = "RestoreDrillFailures";
    String DRILL_LAST_FAILURE = "RestoreDrillLastFailureTimestamp";

    void publish(JobOutcome outcome);
}
