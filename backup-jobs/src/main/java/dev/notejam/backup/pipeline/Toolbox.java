package dev.notejam.backup.pipeline;

import dev.notejam.backup.config.BackupSettings;
import dev.notejam.backup.crypto.EnvelopeEncryption;
import dev.notejam.backup.postgres.DatabaseAddress;
import dev.notejam.backup.postgres.PgTools;
import dev.notejam.backup.postgres.PostgresSession;
import dev.notejam.backup.report.EventLog;
import dev.notejam.backup.report.MetricSink;
import dev.notejam.backup.storage.BackupStore;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;

/**
 * What every job works with. Built once by the CLI from the environment; tests build it with their own servers.
 *
 * @param partSize       multipart part size; memory use is about (uploadThreads + 1) x partSize
 * @param tableChecksums whether backup also digests every table's ordered rows (verify compares them)
 * @param archivePollEvery how often a restore waiting for S3 to bring a backup back from the archive checks again
 */
public record Toolbox(
        BackupSettings settings,
        BackupStore store,
        EnvelopeEncryption encryption,
        PgTools pgTools,
        MetricSink metrics,
        EventLog log,
        PrintStream progressOut,
        Duration progressEvery,
        Clock clock,
        int partSize,
        int uploadThreads,
        int zstdLevel,
        boolean tableChecksums,
        Duration archivePollEvery) {

    public static final int DEFAULT_PART_SIZE = 16 * 1024 * 1024;
    public static final Duration DEFAULT_ARCHIVE_POLL = Duration.ofMinutes(5);

    public Toolbox withTableChecksums(boolean checksums) {
        return new Toolbox(settings, store, encryption, pgTools, metrics, log, progressOut, progressEvery, clock, partSize,
                uploadThreads, zstdLevel, checksums, archivePollEvery);
    }
    static final int COPY_BUFFER = 256 * 1024;

    public DatabaseAddress database() {
        return DatabaseAddress.parse(settings.databaseUrl());
    }

    public PostgresSession connect(DatabaseAddress address) {
        return PostgresSession.connect(address, settings.databaseUsername(), databasePassword(address));
    }

    /** The password for one new connection to that address (a fresh IAM token in IAM mode). */
    public String databasePassword(DatabaseAddress address) {
        return settings.databasePassword().forNewConnection(address, settings.databaseUsername());
    }
}
