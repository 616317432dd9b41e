package dev.notejam.backup.pipeline;

import dev.notejam.backup.BackupFailure;
import dev.notejam.backup.postgres.DatabaseAddress;
import dev.notejam.backup.postgres.PgTools.RunningTool;
import dev.notejam.backup.postgres.PostgresSession;
import dev.notejam.backup.postgres.TableStats;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Map;

/**
 * {@code restore}: nothing touches the target until the whole object has been downloaded, authenticated and checked
 * against its manifest (first streaming pass, to nowhere). The second pass, pinned to the same object version,
 * streams into {@code pg_restore --single-transaction}: a failure at any point kills pg_restore before it commits,
 * so the target is left as it was.
 */
public final class RestoreJob {

    private final Toolbox tools;

    public RestoreJob(Toolbox tools) {
        this.tools = tools;
    }

    public record Result(String key, List<TableStats> tables) {
    }

    public Result run(BackupSelector selector, boolean force) {
        var log = tools.log();
        DatabaseAddress target = tools.database();
        BackupReader reader = new BackupReader(tools);
        log.info("start", "restore of " + selector.describe() + " into " + target.describe(), Map.of("force", force));
        BackupReader.Located backup = log.step("locate", () -> reader.locate(selector),
                b -> Map.of("key", b.name().dumpKey(), "encryptedBytes", b.manifest().sizes().encryptedBytes()));

        try (PostgresSession session = log.step("connect", () -> tools.connect(target), s -> Map.of("database", target.describe()))) {
            List<String> existing = session.userRelations();
            if (!existing.isEmpty() && !force) {
                throw BackupFailure.refused("target database " + target.describe() + " is not empty (" + existing.size()
                        + " relations, e.g. " + String.join(", ", existing.subList(0, Math.min(5, existing.size())))
                        + "); refusing to restore over it without --force");
            }
            log.step("verify-object", () -> { reader.stream(backup, OutputStream.nullOutputStream(), "restore: verifying"); return backup; },
                    b -> Map.of("sha256", b.manifest().sha256()));
            log.step("pg_restore", () -> { restoreInto(reader, backup, target, !existing.isEmpty()); return backup; },
                    b -> Map.of("dumpBytes", b.manifest().sizes().dumpBytes()));
            List<TableStats> restored = log.step("compare", () -> compareCounts(session, backup), t -> Map.of("tables", t.size()));
            log.info("done", "restored " + backup.name().dumpKey() + " into " + target.describe(), Map.of("key", backup.name().dumpKey()));
            return new Result(backup.name().dumpKey(), restored);
        }
    }

    static void restoreInto(BackupReader reader, BackupReader.Located backup, DatabaseAddress target, Toolbox tools, boolean clean) {
        RunningTool restore = tools.pgTools().startRestore(target, tools.settings().databaseUsername(), tools.settings().databasePassword(), clean);
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

    private void restoreInto(BackupReader reader, BackupReader.Located backup, DatabaseAddress target, boolean clean) {
        restoreInto(reader, backup, target, tools, clean);
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
