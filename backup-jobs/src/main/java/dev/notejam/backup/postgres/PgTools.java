package dev.notejam.backup.postgres;

import dev.notejam.backup.BackupFailure;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs pg_dump and pg_restore. They are taken from BACKUP_PG_BIN_DIR when set (to pin a major version), else from
 * PATH. Connection settings go through libpq environment variables only.
 */
public final class PgTools {

    private final String binDir;

    public PgTools(String binDir) {
        this.binDir = binDir;
    }

    String executable(String name) {
        if (binDir != null && !binDir.isBlank()) {
            return Path.of(binDir, name).toString();
        }
        return name;
    }

    public String version(String tool) {
        try {
            ProcessBuilder builder = new ProcessBuilder(executable(tool), "--version").redirectErrorStream(true);
            builder.environment().clear();
            builder.environment().putAll(toolEnvironment(System.getenv()));
            Process p = builder.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new BackupFailure(tool + " --version failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new BackupFailure(tool + " was not found (" + e.getMessage() + "): install the PostgreSQL client"
                    + " of the server's major version or set BACKUP_PG_BIN_DIR", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupFailure("interrupted", e);
        }
    }

    /** The major version in "pg_dump (PostgreSQL) 15.18 (Debian ...)". */
    public static int majorVersion(String versionLine) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\) (\\d+)").matcher(versionLine);
        if (!m.find()) {
            throw new IllegalArgumentException("unrecognised version: " + versionLine);
        }
        return Integer.parseInt(m.group(1));
    }

    /** pg_dump in custom format to stdout, in the given exported snapshot, uncompressed (we compress with zstd). */
    public RunningTool startDump(DatabaseAddress address, String user, String password, String snapshotId) {
        return start(List.of(executable("pg_dump"), "--format=custom", "--compress=0", "--snapshot=" + snapshotId,
                "--no-password", "--lock-wait-timeout=120000"), address, user, password, "pg_dump");
    }

    /**
     * pg_restore reading the archive from stdin, all in one transaction so that any failure leaves the target
     * untouched. Ownership and grants are not restored: the restoring role owns the objects, as in the source.
     */
    public RunningTool startRestore(DatabaseAddress address, String user, String password, boolean clean) {
        return start(restoreCommand(address, clean, List.of("--single-transaction")), address, user, password, "pg_restore");
    }

    /**
     * pg_restore from a local archive file: with {@code jobs} > 1 in parallel (tables loaded and indexes built by
     * several connections, so not in one transaction), else in one transaction.
     */
    public RunningTool startRestoreFromFile(DatabaseAddress address, String user, String password, Path archive, int jobs, boolean clean) {
        List<String> options = new ArrayList<>(jobs > 1 ? List.of("--jobs=" + jobs) : List.of("--single-transaction"));
        options.add(archive.toString());
        return start(restoreCommand(address, clean, options), address, user, password, "pg_restore");
    }

    private List<String> restoreCommand(DatabaseAddress address, boolean clean, List<String> options) {
        List<String> command = new ArrayList<>(List.of(executable("pg_restore"), "--dbname=" + address.database(),
                "--exit-on-error", "--no-owner", "--no-acl", "--no-password"));
        if (clean) {
            command.add("--clean");
            command.add("--if-exists");
        }
        command.addAll(options);
        return command;
    }

    /**
     * Starts a PostgreSQL tool with a scrubbed environment: PATH and libpq's own settings only, so the job's secrets
     * (encryption key, AWS credentials, anything else the pod has) never reach it. The password goes through a
     * private passfile (mode 0600, deleted when the tool exits) rather than PGPASSWORD, which other local processes
     * may be able to read from the process environment.
     */
    private RunningTool start(List<String> command, DatabaseAddress address, String user, String password, String name) {
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.clear();
        env.putAll(toolEnvironment(System.getenv()));
        env.putAll(address.libpqEnvironment(user, null));
        Path passfile = null;
        try {
            Path cwd = Path.of(System.getProperty("java.io.tmpdir"));
            if (Files.isDirectory(cwd)) {
                builder.directory(cwd.toFile());
            }
            if (password != null && !password.isEmpty()) {
                passfile = passfile(password);
                env.put("PGPASSFILE", passfile.toString());
            }
            RunningTool tool = new RunningTool(name, builder.start());
            Path created = passfile;
            if (created != null) {
                tool.process().onExit().thenRun(() -> deleteQuietly(created));
            }
            return tool;
        } catch (IOException e) {
            deleteQuietly(passfile);
            throw new BackupFailure(name + " could not be started (" + e.getMessage() + "): install the PostgreSQL client"
                    + " of the server's major version or set BACKUP_PG_BIN_DIR", e);
        }
    }

    /** The only variables of the job's environment a PostgreSQL tool gets: where programs are, and the locale. */
    static Map<String, String> toolEnvironment(Map<String, String> jobEnvironment) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String name : List.of("PATH", "LANG", "LC_ALL", "TZ")) {
            String value = jobEnvironment.get(name);
            if (value != null) {
                env.put(name, value);
            }
        }
        return env;
    }

    private static Path passfile(String password) throws IOException {
        Path file;
        try {
            file = Files.createTempFile("notejam-backup-", ".pgpass",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            file = Files.createTempFile("notejam-backup-", ".pgpass");
        }
        // hostname:port:database:username:password, with ':' and '\' escaped; '*' matches what PG* names.
        Files.writeString(file, "*:*:*:*:" + password.replace("\\", "\\\\").replace(":", "\\:") + "\n", StandardCharsets.UTF_8);
        return file;
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temp file left behind is removed with the pod's emptyDir
            }
        }
    }

    /** A running pg_dump/pg_restore whose stderr is drained (last lines kept for the error message). */
    public static final class RunningTool {
        private final String name;
        private final Process process;
        private final Deque<String> stderrTail = new ArrayDeque<>();
        private final Thread stderrReader;

        RunningTool(String name, Process process) {
            this.name = name;
            this.process = process;
            this.stderrReader = new Thread(this::drainStderr, name + "-stderr");
            stderrReader.setDaemon(true);
            stderrReader.start();
        }

        private void drainStderr() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (stderrTail) {
                        stderrTail.addLast(line);
                        if (stderrTail.size() > 20) {
                            stderrTail.removeFirst();
                        }
                    }
                }
            } catch (IOException ignored) {
                // process gone
            }
        }

        public Process process() {
            return process;
        }

        /** Waits for the exit; a non-zero exit becomes a failure with the tool's own last words. */
        public void awaitSuccess() {
            try {
                int code = process.waitFor();
                stderrReader.join(5000);
                if (code != 0) {
                    throw new BackupFailure(name + " failed with exit code " + code + ": " + stderr());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                kill();
                throw new BackupFailure("interrupted while waiting for " + name, e);
            }
        }

        public String stderr() {
            synchronized (stderrTail) {
                return String.join(" | ", stderrTail);
            }
        }

        /** Ends the process at once: for pg_restore this aborts its single transaction, so nothing is committed. */
        public void kill() {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
