package dev.notejam.backup.pipeline;

import dev.notejam.backup.BackupFailure;
import dev.notejam.backup.postgres.DatabaseAddress;
import dev.notejam.backup.postgres.PostgresSession;
import dev.notejam.backup.postgres.TableStats;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code verify}: the restore drill. Restores a backup into a scratch database on the same server, compares every
 * table's row count and ordered-row checksum with the manifest, and drops the scratch database whatever happens.
 * The database role needs CREATEDB.
 */
public final class VerifyJob {

    private static final DateTimeFormatter SCRATCH_STAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private final Toolbox tools;

    public VerifyJob(Toolbox tools) {
        this.tools = tools;
    }

    public record Result(String key, String scratchDatabase, List<TableStats> tables) {
    }

    public Result run(BackupSelector selector) {
        return run(selector, BackupReader.ArchiveOptions.defaults());
    }

    public Result run(BackupSelector selector, BackupReader.ArchiveOptions archive) {
        var log = tools.log();
        DatabaseAddress home = tools.database();
        BackupReader reader = new BackupReader(tools);
        log.info("start", "verify of " + selector.describe(), Map.of());
        BackupReader.Located backup = log.step("locate", () -> reader.locate(selector, archive),
                b -> Map.of("key", b.name().dumpKey(), "encryptedBytes", b.manifest().sizes().encryptedBytes()));
        String scratch = "notejam_verify_" + SCRATCH_STAMP.format(tools.clock().instant().atZone(ZoneOffset.UTC))
                + "_" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
        DatabaseAddress scratchAddress = home.withDatabase(scratch);

        try (PostgresSession admin = log.step("connect", () -> tools.connect(home), s -> Map.of("database", home.describe()))) {
            log.step("create-scratch", () -> { admin.execute("CREATE DATABASE " + PostgresSession.quote(scratch) + " TEMPLATE template0"); return scratch; },
                    s -> Map.of("scratchDatabase", s));
            try {
                // The scratch database is disposable, so one pass is enough: any integrity failure fails the drill.
                log.step("restore-scratch", () -> { RestoreJob.restoreInto(reader, backup, scratchAddress, tools, false); return backup; },
                        b -> Map.of("dumpBytes", b.manifest().sizes().dumpBytes()));
                List<TableStats> restored;
                try (PostgresSession check = tools.connect(scratchAddress)) {
                    restored = log.step("compare", () -> check.tableStats(true), t -> Map.of("tables", t.size()));
                }
                boolean checksums = backup.manifest().tables().stream().allMatch(t -> t.rowsSha256() != null);
                if (!checksums) {
                    log.warn("compare", "the manifest has no row checksums (backup taken without them): comparing row counts only", Map.of());
                }
                List<String> differences = BackupReader.compare(backup.manifest().tables(), restored, checksums);
                if (!differences.isEmpty()) {
                    throw new BackupFailure("verify failed: backup " + backup.name().dumpKey() + " does not match its manifest: "
                            + String.join("; ", differences));
                }
                log.info("done", "backup " + backup.name().dumpKey() + " verified: " + restored.size()
                        + " tables match their row counts" + (checksums ? " and checksums" : ""), Map.of("key", backup.name().dumpKey()));
                return new Result(backup.name().dumpKey(), scratch, restored);
            } catch (BackupFailure e) {
                throw e.getMessage().startsWith("verify failed") ? e
                        : new BackupFailure("verify failed: " + e.getMessage(), e.exitCode(), e);
            } finally {
                log.step("drop-scratch", () -> { admin.execute("DROP DATABASE IF EXISTS " + PostgresSession.quote(scratch) + " WITH (FORCE)"); return scratch; },
                        s -> Map.of("scratchDatabase", s));
            }
        }
    }
}
