package dev.notejam.backup.pipeline;

import dev.notejam.backup.BackupFailure;
import dev.notejam.backup.postgres.DatabaseAddress;
import dev.notejam.backup.postgres.PgTools.RunningTool;
import dev.notejam.backup.postgres.PostgresSession;
import dev.notejam.backup.postgres.TableStats;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * {@code restore}: nothing touches the target until the whole object has been downloaded, authenticated and checked
 * against its manifest. That first pass writes the authentic dump to a private local file (BACKUP_WORK_DIR), and
 * pg_restore then loads it from there: with {@code jobs} > 1 in parallel when the target is empty (if it fails, every
 * object it created is dropped again, so the target is left empty as it was), else in one transaction. Without room
 * for the file, the object is read twice instead: a checking pass to nowhere, then a pass pinned to the same version
 * streamed into {@code pg_restore --single-transaction}, killed before it commits on any failure.
 */
public final class RestoreJob {

    /** Free space kept beside the local dump, for the rest of the pod. */
    static final long WORK_DIR_RESERVE = 64L * 1024 * 1024;

    private final Toolbox tools;

    public RestoreJob(Toolbox tools) {
        this.tools = tools;
    }

    public record Result(String key, List<TableStats> tables, String mode) {
    }

    public Result run(BackupSelector selector, boolean force) {
        return run(selector, force, 1, BackupReader.ArchiveOptions.defaults());
    }

    public Result run(BackupSelector selector, boolean force, int jobs, BackupReader.ArchiveOptions archive) {
        var log = tools.log();
        DatabaseAddress target = tools.database();
        BackupReader reader = new BackupReader(tools);
        log.info("start", "restore of " + selector.describe() + " into " + target.describe(), Map.of("force", force, "jobs", jobs));
        BackupReader.Located backup = log.step("locate", () -> reader.locate(selector, archive),
                b -> Map.of("key", b.name().dumpKey(), "encryptedBytes", b.manifest().sizes().encryptedBytes()));

        try (PostgresSession session = log.step("connect", () -> tools.connect(target), s -> Map.of("database", target.describe()))) {
            List<String> existing = session.userRelations();
            if (!existing.isEmpty() && !force) {
                throw BackupFailure.refused("target database " + target.describe() + " is not empty (" + existing.size()
                        + " relations, e.g. " + String.join(", ", existing.subList(0, Math.min(5, existing.size())))
                        + "); refusing to restore over it without --force");
            }
            boolean clean = !existing.isEmpty();
            // Opt-in: a pod's /tmp is usually a small emptyDir whose size limit the free-space check cannot see.
            Path workDir = tools.settings().workDir().map(Path::of).orElse(null);
            String mode;
            if (workDir != null && hasRoomFor(workDir, backup.manifest().sizes().dumpBytes())) {
                int effectiveJobs = clean ? 1 : Math.max(1, jobs);
                mode = effectiveJobs > 1 ? "local file, pg_restore --jobs=" + effectiveJobs : "local file, one transaction";
                restoreFromLocalFile(reader, backup, target, session, workDir, effectiveJobs, clean);
            } else {
                mode = "streamed twice, one transaction";
                log.warn("work-dir", (workDir == null ? "BACKUP_WORK_DIR is not set" : "not enough space in " + workDir + " for the "
                        + backup.manifest().sizes().dumpBytes() + "-byte dump") + ": reading the backup twice and restoring in one"
                        + " stream (slower)", Map.of("workDir", String.valueOf(workDir)));
                log.step("verify-object", () -> { reader.stream(backup, OutputStream.nullOutputStream(), "restore: verifying"); return backup; },
                        b -> Map.of("sha256", b.manifest().sha256()));
                log.step("pg_restore", () -> { restoreInto(reader, backup, target, tools, clean); return backup; },
                        b -> Map.of("dumpBytes", b.manifest().sizes().dumpBytes(), "mode", "stream, one transaction"));
            }
            List<TableStats> restored = log.step("compare", () -> compareCounts(session, backup), t -> Map.of("tables", t.size()));
            log.info("done", "restored " + backup.name().dumpKey() + " into " + target.describe(), Map.of("key", backup.name().dumpKey(), "mode", mode));
            return new Result(backup.name().dumpKey(), restored, mode);
        }
    }

    private static boolean hasRoomFor(Path workDir, long dumpBytes) {
        try {
            return Files.isDirectory(workDir) && Files.getFileStore(workDir).getUsableSpace() > dumpBytes + WORK_DIR_RESERVE;
        } catch (IOException e) {
            return false;
        }
    }

    private void restoreFromLocalFile(BackupReader reader, BackupReader.Located backup, DatabaseAddress target, PostgresSession session,
                                      Path workDir, int jobs, boolean clean) {
        var log = tools.log();
        Path dump = null;
        try {
            dump = createPrivateFile(workDir);
            Path file = dump;
            // The one download: authenticated segment by segment, then SHA-256 and sizes against the manifest.
            log.step("verify-object", () -> {
                try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), Toolbox.COPY_BUFFER)) {
                    reader.stream(backup, out, "restore: downloading and verifying");
                } catch (IOException e) {
                    throw new BackupFailure("cannot write the dump to " + file + ": " + e.getMessage(), e);
                }
                return backup;
            }, b -> Map.of("sha256", b.manifest().sha256(), "localFile", file.toString()));
            PostgresSession.UserObjects before = jobs > 1 ? session.userObjects() : null;
            log.step("pg_restore", () -> {
                RunningTool restore = tools.pgTools().startRestoreFromFile(target, tools.settings().databaseUsername(),
                        tools.databasePassword(target), file, jobs, clean);
                try {
                    restore.process().getOutputStream().close();
                    restore.awaitSuccess();
                } catch (IOException | RuntimeException e) {
                    restore.kill();
                    if (before == null) {
                        throw new BackupFailure("pg_restore failed and rolled back its single transaction, the target is unchanged: "
                                + (e instanceof BackupFailure ? e.getMessage() : restore.stderr()), e);
                    }
                    session.dropEverythingCreatedSince(before);
                    throw new BackupFailure("parallel pg_restore failed; everything it had created was dropped, the target is empty"
                            + " again: " + (e instanceof BackupFailure ? e.getMessage() : restore.stderr()), e);
                }
                return backup;
            }, b -> Map.of("dumpBytes", b.manifest().sizes().dumpBytes(), "mode", jobs > 1 ? "parallel, jobs=" + jobs : "one transaction"));
        } catch (IOException e) {
            throw new BackupFailure("cannot create a private file in " + workDir + " (BACKUP_WORK_DIR): " + e.getMessage(), e);
        } finally {
            if (dump != null) {
                try {
                    Files.deleteIfExists(dump);
                } catch (IOException ignored) {
                    // the pod's emptyDir goes with the pod
                }
            }
        }
    }

    private static Path createPrivateFile(Path dir) throws IOException {
        try {
            return Files.createTempFile(dir, "notejam-restore-", ".dump",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            return Files.createTempFile(dir, "notejam-restore-", ".dump");
        }
    }

    static void restoreInto(BackupReader reader, BackupReader.Located backup, DatabaseAddress target, Toolbox tools, boolean clean) {
        RunningTool restore = tools.pgTools().startRestore(target, tools.settings().databaseUsername(), tools.databasePassword(target), clean);
        try {
            OutputStream stdin = restore.process().getOutputStream();
            reader.stream(backup, stdin, "restore: loading");
            // Everything was authentic and matched the manifest: let pg_restore finish and commit.
            stdin.close();
            restore.awaitSuccess();
        } catch (BackupReader.SinkFailure e) {
            try {
                restore.process().waitFor(java.util.concurrent.TimeUnit.SECONDS.toMillis(30), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            restore.kill();
            throw new BackupFailure("pg_restore failed and rolled back its single transaction, the target is unchanged: "
                    + restore.stderr(), e);
        } catch (IOException | RuntimeException e) {
            restore.kill();
            if (e instanceof BackupFailure failure) {
                throw new BackupFailure(failure.getMessage() + "; pg_restore was stopped before committing, the target is unchanged"
                        + (restore.stderr().isEmpty() ? "" : " (pg_restore said: " + restore.stderr() + ")"), failure.exitCode(), failure);
            }
            throw new BackupFailure("restore failed: " + e.getMessage() + "; the target is unchanged", e);
        }
    }

    private List<TableStats> compareCounts(PostgresSession session, BackupReader.Located backup) {
        List<TableStats> restored = session.tableStats(false);
        List<String> differences = BackupReader.compare(backup.manifest().tables(), restored, false);
        if (!differences.isEmpty()) {
            throw new BackupFailure("restored data does not match the manifest of " + backup.name().dumpKey() + ": "
                    + String.join("; ", differences));
        }
        return restored;
    }
}
