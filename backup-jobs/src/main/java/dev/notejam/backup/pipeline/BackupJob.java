package dev.notejam.backup.pipeline;

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import dev.notejam.backup.BackupFailure;
import dev.notejam.backup.crypto.BackupBinding;
import dev.notejam.backup.crypto.EnvelopeEncryption;
import dev.notejam.backup.postgres.DatabaseAddress;
import dev.notejam.backup.postgres.PgTools;
import dev.notejam.backup.postgres.PgTools.RunningTool;
import dev.notejam.backup.postgres.PostgresSession;
import dev.notejam.backup.postgres.TableStats;
import dev.notejam.backup.report.Progress;
import dev.notejam.backup.storage.BackupName;
import dev.notejam.backup.storage.BackupName.Trigger;
import dev.notejam.backup.storage.BackupStore.Retention;
import dev.notejam.backup.storage.MultipartUploadStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;

/**
 * {@code backup}: one streaming pipeline with its stages running at the same time:
 * pg_dump (its own process) → zstd → envelope encryption → SHA-256 → S3 multipart upload (upload threads),
 * while the row counts and checksums are read in the same snapshot on the side. Nothing is kept in full in memory or
 * on disk; a failure anywhere aborts the upload, so no object is left without its manifest.
 */
public final class BackupJob {

    private final Toolbox tools;

    public BackupJob(Toolbox tools) {
        this.tools = tools;
    }

    public record Result(BackupName name, Manifest manifest) {
    }

    public Result run(Trigger trigger) {
        var log = tools.log();
        var store = tools.store();
        DatabaseAddress source = tools.database();
        Instant started = tools.clock().instant();
        BackupName name = BackupName.of(tools.settings().environment(), ZonedDateTime.ofInstant(started, tools.clock().getZone()), trigger);
        log.info("start", "backup of " + source.describe() + " to s3://" + store.bucket() + "/" + name.dumpKey(),
                Map.of("trigger", trigger.label(), "key", name.dumpKey()));

        log.step("check-s3", () -> { store.checkReachable(tools.settings().environment()); return store.bucket(); }, b -> Map.of("bucket", b));
        try (PostgresSession session = log.step("connect", () -> tools.connect(source), s -> Map.of("database", source.describe()))) {
            log.step("lock", () -> { session.lockForBackup(); return PostgresSession.BACKUP_LOCK_ID; }, id -> Map.of("advisoryLock", id));
            if (store.exists(name.dumpKey()) || store.exists(name.manifestKey())) {
                throw BackupFailure.refused("a backup named " + name.dumpKey() + " already exists; wait a minute and run again");
            }
            String serverVersion = session.serverVersion();
            int serverVersionNum = session.serverVersionNum();
            String pgDumpVersion = tools.pgTools().version("pg_dump");
            if (PgTools.majorVersion(pgDumpVersion) < serverVersionNum / 10000) {
                throw new BackupFailure(pgDumpVersion + " cannot dump PostgreSQL " + serverVersion
                        + ": use the image whose pg_dump matches the server's major version");
            }
            Optional<Retention> retention = retention(started);

            String snapshot = log.step("snapshot", session::exportSnapshot, id -> Map.of("snapshotId", id));
            Optional<String> flywayVersion = session.flywaySchemaVersion();
            CompletableFuture<List<TableStats>> stats = CompletableFuture.supplyAsync(() -> session.tableStats(tools.tableChecksums()));

            Streamed streamed = log.step("dump-and-upload", () -> dumpAndUpload(source, snapshot, name, retention),
                    s -> Map.of("dumpBytes", s.dumpBytes, "compressedBytes", s.compressedBytes, "encryptedBytes", s.encryptedBytes,
                            "sha256", s.sha256, "parts", s.parts, "mbPerSecond", s.mbPerSecond));
            List<TableStats> tables = log.step("table-stats", () -> join(stats), t -> Map.of("tables", t.size(),
                    "rows", t.stream().mapToLong(TableStats::rowCount).sum()));
            session.endSnapshot();

            Instant finished = tools.clock().instant();
            Manifest unsigned = new Manifest(Manifest.FORMAT_VERSION, tools.settings().environment(), trigger.label(),
                    name.dumpKey(), started.toString(), finished.toString(), source.database(),
                    new Manifest.PostgresInfo(serverVersion, serverVersionNum, pgDumpVersion),
                    flywayVersion.orElse(null), snapshot,
                    new Manifest.Packing("pg_dump custom (-Fc, uncompressed)", "zstd-" + tools.zstdLevel(),
                            EnvelopeEncryption.SCHEME, tools.encryption().keyId()),
                    new Manifest.Sizes(streamed.dumpBytes, streamed.compressedBytes, streamed.encryptedBytes),
                    streamed.sha256,
                    retention.map(r -> new Manifest.ObjectLock(r.mode().toString(), r.retainUntil().toString())).orElse(null),
                    tables, BackupJob.class.getPackage().getImplementationVersion(), null);
            // Authenticated with the backup's own manifest key, which only the key-encryption key can unwrap.
            Manifest manifest = unsigned.withAuthentication(new Manifest.Authentication(EnvelopeEncryption.MANIFEST_MAC,
                    streamed.sealed.manifestMac(unsigned.canonicalBytes())));
            log.step("manifest", () -> { store.putJson(name.manifestKey(), manifest.toJson(), retention); return name.manifestKey(); },
                    k -> Map.of("key", k));
            // Success and failure metrics are published by the command line (BackupCli, report.JobOutcomes).
            log.info("done", "backup " + name.dumpKey() + " finished", Map.of("key", name.dumpKey(),
                    "encryptedBytes", streamed.encryptedBytes, "durationMs", finished.toEpochMilli() - started.toEpochMilli()));
            return new Result(name, manifest);
        }
    }

    private Optional<Retention> retention(Instant now) {
        Optional<Integer> days = tools.settings().objectLockDays();
        if (days.isEmpty()) {
            return Optional.empty();
        }
        if (!tools.store().objectLockEnabled()) {
            tools.log().warn("object-lock", "BACKUP_OBJECT_LOCK_DAYS is set but bucket " + tools.store().bucket()
                    + " has no object lock: backups are stored without a retention date", Map.of());
            return Optional.empty();
        }
        Retention retention = new Retention(ObjectLockMode.fromValue(tools.settings().objectLockMode().name()),
                now.plus(days.get(), ChronoUnit.DAYS));
        tools.log().info("object-lock", "retention set", Map.of("mode", retention.mode().toString(), "retainUntil", retention.retainUntil().toString()));
        return Optional.of(retention);
    }

    private record Streamed(long dumpBytes, long compressedBytes, long encryptedBytes, String sha256, int parts, double mbPerSecond,
                            EnvelopeEncryption.OpenedBackup sealed) {
    }

    /** What the backup's key is bound to: its environment, object key and minute (see {@link BackupBinding}). */
    public static BackupBinding binding(BackupName name) {
        return new BackupBinding(name.environment(), name.dumpKey(), name.takenAt().format(BackupName.MINUTE));
    }

    private Streamed dumpAndUpload(DatabaseAddress source, String snapshot, BackupName name, Optional<Retention> retention) {
        RunningTool dump = tools.pgTools().startDump(source, tools.settings().databaseUsername(), tools.databasePassword(source), snapshot);
        MultipartUploadStream upload;
        try {
            upload = tools.store().startUpload(name.dumpKey(), retention, tools.partSize(), tools.uploadThreads());
        } catch (RuntimeException e) {
            dump.kill();
            throw e;
        }
        MessageDigest sha256 = sha256();
        try (Progress progress = new Progress(tools.progressOut(), "backup " + name.stamp() + " dumped", tools.progressEvery())) {
            CountingOutputStream encrypted = new CountingOutputStream(upload, sha256, n -> { });
            EnvelopeEncryption.OpenedBackup sealed = tools.encryption().seal(binding(name));
            OutputStream encrypting = tools.encryption().encrypt(sealed, encrypted);
            CountingOutputStream compressed = new CountingOutputStream(encrypting, null, n -> { });
            ZstdOutputStreamNoFinalizer zstd = new ZstdOutputStreamNoFinalizer(compressed, tools.zstdLevel());
            CountingOutputStream plain = new CountingOutputStream(zstd, null, progress::add);
            try (InputStream dumpOut = dump.process().getInputStream()) {
                dumpOut.transferTo(plain);
            }
            dump.awaitSuccess();
            // Only now may the upload complete: closing writes the last authenticated segment and completes the object.
            plain.close();
            double seconds = Math.max(progress.elapsed().toMillis(), 1) / 1000.0;
            return new Streamed(plain.count(), compressed.count(), encrypted.count(), HexFormat.of().formatHex(sha256.digest()),
                    upload.partsUploaded(), Math.round(plain.count() / seconds / 1e4) / 100.0, sealed);
        } catch (IOException | RuntimeException e) {
            dump.kill();
            upload.abort();
            if (e instanceof BackupFailure failure) {
                throw failure;
            }
            String detail = dump.stderr().isEmpty() ? "" : " (pg_dump said: " + dump.stderr() + ")";
            throw new BackupFailure("backup stream failed, upload aborted: " + e.getMessage() + detail, e);
        }
    }

    private static <T> T join(CompletableFuture<T> future) {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new BackupFailure("table statistics failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupFailure("interrupted", e);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
