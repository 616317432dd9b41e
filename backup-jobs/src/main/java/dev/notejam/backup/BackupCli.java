package dev.notejam.backup;

import dev.notejam.backup.config.BackupSettings;
import dev.notejam.backup.config.SettingsException;
import dev.notejam.backup.pipeline.BackupJob;
import dev.notejam.backup.pipeline.BackupReader;
import dev.notejam.backup.pipeline.BackupSelector;
import dev.notejam.backup.pipeline.ListJob;
import dev.notejam.backup.pipeline.RestoreJob;
import dev.notejam.backup.pipeline.Toolbox;
import dev.notejam.backup.pipeline.ToolboxFactory;
import dev.notejam.backup.pipeline.VerifyJob;
import dev.notejam.backup.report.JobOutcomes;
import dev.notejam.backup.storage.BackupName.Trigger;
import java.io.PrintStream;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The notejam-backup command line. Configuration comes from environment variables only (see README); the options
 * only say what to do. Exit codes: 0 success, 1 failure, 2 bad usage or settings, 3 refused (lock held, target not empty),
 * 4 pending (a restore from the archive was requested with --no-wait).
 */
@Command(name = "notejam-backup", mixinStandardHelpOptions = true, versionProvider = BackupCli.Version.class,
        description = "Streaming, encrypted PostgreSQL backups of Notejam to S3.",
        subcommands = {BackupCli.Backup.class, BackupCli.Restore.class, BackupCli.Verify.class, BackupCli.ListBackups.class,
                ProvisionRolesCommand.class})
public final class BackupCli {

    public static final int BAD_SETTINGS = 2;

    /** Lets tests run the real command line with their own environment and streams. */
    public record Runtime(Map<String, String> environment, PrintStream out, PrintStream err, Clock clock,
                          Function<Toolbox, Toolbox> customize) {
        public static Runtime system() {
            return new Runtime(System.getenv(), System.out, System.err, Clock.systemUTC(), Function.identity());
        }
    }

    public static void main(String[] args) {
        System.exit(run(Runtime.system(), args));
    }

    public static int run(Runtime runtime, String... args) {
        CommandLine cli = new CommandLine(new BackupCli(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                K instance = CommandLine.defaultFactory().create(type);
                if (instance instanceof Job job) {
                    job.runtime = runtime;
                } else if (instance instanceof ProvisionRolesCommand provision) {
                    provision.runtime = runtime;
                }
                return instance;
            }
        });
        cli.setOut(new java.io.PrintWriter(runtime.out(), true));
        cli.setErr(new java.io.PrintWriter(runtime.err(), true));
        return cli.execute(args);
    }

    abstract static class Job implements Callable<Integer> {
        Runtime runtime;

        abstract String name();

        abstract void run(Toolbox tools);

        /** Size of what the run stored, for its success metrics (backup only). */
        java.util.OptionalLong sizeBytes() {
            return java.util.OptionalLong.empty();
        }

        @Override
        public Integer call() {
            Toolbox tools;
            try {
                BackupSettings settings = BackupSettings.from(runtime.environment());
                tools = runtime.customize().apply(ToolboxFactory.create(settings, name(), runtime.out(), runtime.err(), runtime.clock()));
            } catch (SettingsException | IllegalArgumentException e) {
                runtime.err().println("notejam-backup " + name() + ": configuration error: " + e.getMessage());
                return BAD_SETTINGS;
            }
            java.time.Instant started = runtime.clock().instant();
            try (var store = tools.store()) {
                run(tools);
                JobOutcomes.succeeded(tools, name(), started, sizeBytes());
                return 0;
            } catch (BackupFailure e) {
                if (e.exitCode() != BackupFailure.PENDING) {
                    JobOutcomes.failed(tools, name(), started);
                }
                tools.log().error("failed", e.getMessage(), Map.of("exitCode", e.exitCode()));
                runtime.err().println("notejam-backup " + name() + " FAILED: " + e.getMessage());
                return e.exitCode();
            } catch (RuntimeException e) {
                JobOutcomes.failed(tools, name(), started);
                tools.log().error("failed", String.valueOf(e), Map.of("exitCode", BackupFailure.FAILED));
                runtime.err().println("notejam-backup " + name() + " FAILED unexpectedly: " + e);
                return BackupFailure.FAILED;
            }
        }
    }

    @Command(name = "backup", description = "Dump, compress, encrypt and upload the database as one stream, with a manifest.")
    static final class Backup extends Job {
        @Option(names = "--trigger", required = true, description = "scheduled, manual or predeploy")
        String trigger;

        @Option(names = "--no-checksums", description = "Record row counts only, not per-table checksums (faster on huge tables).")
        boolean noChecksums;

        @Override
        String name() {
            return "backup";
        }

        @Override
        public Integer call() {
            try {
                Trigger.parse(trigger);
            } catch (IllegalArgumentException e) {
                runtime.err().println("notejam-backup backup: " + e.getMessage());
                return BAD_SETTINGS;
            }
            return super.call();
        }

        private BackupJob.Result stored;

        @Override
        void run(Toolbox tools) {
            stored = new BackupJob(noChecksums ? tools.withTableChecksums(false) : tools).run(Trigger.parse(trigger));
        }

        @Override
        java.util.OptionalLong sizeBytes() {
            return stored == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(stored.manifest().sizes().encryptedBytes());
        }
    }

    static final class Which {
        @Option(names = "--latest", description = "The newest complete backup.")
        boolean latest;

        @Option(names = "--at", paramLabel = "YYYYMMDD[HHMM]", description = "Latest backup of that UTC day, or that exact run.")
        String at;

        BackupSelector selector() {
            return at == null ? BackupSelector.latest() : BackupSelector.at(at);
        }
    }

    /** For backups the bucket's lifecycle has moved to GLACIER or DEEP_ARCHIVE. */
    static final class ArchiveOptions {
        @Option(names = "--archive-tier", defaultValue = "Standard", description = "S3 restore tier for an archived backup: Standard or Bulk (Deep Archive), also Expedited (Glacier). Default: ${DEFAULT-VALUE}.")
        String tier;

        @Option(names = "--archive-days", defaultValue = "7", description = "Days S3 keeps the restored copy readable. Default: ${DEFAULT-VALUE}.")
        int days;

        @Option(names = "--archive-wait-hours", defaultValue = "48", description = "How long to wait for S3 to restore it. Default: ${DEFAULT-VALUE}.")
        int waitHours;

        @Option(names = "--no-wait", description = "Only request the restore from the archive and exit with code 4; run again later.")
        boolean noWait;

        BackupReader.ArchiveOptions options() {
            if (!java.util.Set.of("Standard", "Bulk", "Expedited").contains(tier)) {
                throw new IllegalArgumentException("--archive-tier must be Standard, Bulk or Expedited, got '" + tier + "'");
            }
            if (days < 1 || days > 365 || waitHours < 1) {
                throw new IllegalArgumentException("--archive-days must be 1-365 and --archive-wait-hours at least 1");
            }
            return new BackupReader.ArchiveOptions(tier, days, !noWait, java.time.Duration.ofHours(waitHours));
        }
    }

    @Command(name = "restore", description = "Verify a backup, then restore it into BACKUP_DATABASE_URL (must be empty unless --force).")
    static final class Restore extends Job {
        @ArgGroup(exclusive = true, multiplicity = "1")
        Which which;

        @Option(names = "--force", description = "Restore over a non-empty database (objects in the backup are dropped and recreated).")
        boolean force;

        @Option(names = "--jobs", description = "Parallel pg_restore connections when the target is empty (1: one transaction). Default: min(4, CPUs).")
        Integer jobs;

        @picocli.CommandLine.Mixin
        ArchiveOptions archive = new ArchiveOptions();

        int jobs() {
            int value = jobs == null ? Math.min(4, java.lang.Runtime.getRuntime().availableProcessors()) : jobs;
            if (value < 1 || value > 32) {
                throw new IllegalArgumentException("--jobs must be between 1 and 32, got " + value);
            }
            return value;
        }

        @Override
        String name() {
            return "restore";
        }

        @Override
        public Integer call() {
            try {
                which.selector();
                jobs();
                archive.options();
            } catch (IllegalArgumentException e) {
                runtime.err().println("notejam-backup restore: " + e.getMessage());
                return BAD_SETTINGS;
            }
            return super.call();
        }

        @Override
        void run(Toolbox tools) {
            new RestoreJob(tools).run(which.selector(), force, jobs(), archive.options());
        }
    }

    @Command(name = "verify", description = "Restore a backup into a scratch database and compare it with its manifest.")
    static final class Verify extends Job {
        @ArgGroup(exclusive = true, multiplicity = "0..1")
        Which which;

        @picocli.CommandLine.Mixin
        ArchiveOptions archive = new ArchiveOptions();

        @Override
        String name() {
            return "verify";
        }

        @Override
        public Integer call() {
            try {
                selector();
                archive.options();
            } catch (IllegalArgumentException e) {
                runtime.err().println("notejam-backup verify: " + e.getMessage());
                return BAD_SETTINGS;
            }
            return super.call();
        }

        private BackupSelector selector() {
            return which == null ? BackupSelector.latest() : which.selector();
        }

        @Override
        void run(Toolbox tools) {
            new VerifyJob(tools).run(selector(), archive.options());
        }
    }

    @Command(name = "list", description = "Backups in a date range (UTC days, inclusive) with size, age and trigger.")
    static final class ListBackups extends Job {
        @Option(names = "--from", paramLabel = "YYYYMMDD")
        String from;

        @Option(names = "--to", paramLabel = "YYYYMMDD")
        String to;

        @Override
        String name() {
            return "list";
        }

        @Override
        void run(Toolbox tools) {
            new ListJob(tools).run(day(from), day(to), runtime.out());
        }

        private static Optional<LocalDate> day(String value) {
            return Optional.ofNullable(value).map(v -> LocalDate.parse(v, DateTimeFormatter.BASIC_ISO_DATE));
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = BackupCli.class.getPackage().getImplementationVersion();
            return new String[] {"notejam-backup " + (version == null ? "dev" : version)};
        }
    }
}
