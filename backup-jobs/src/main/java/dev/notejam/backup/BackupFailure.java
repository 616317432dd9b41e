package dev.notejam.backup;

/**
 * A failure the operator must act on. The message is written for a person (what failed, what to check);
 * the exit code lets a CronJob or script tell a refusal from an error.
 */
public class BackupFailure extends RuntimeException {

    /** Something went wrong (database, S3, integrity, mismatch). */
    public static final int FAILED = 1;
    /** The job refused to run: another backup holds the lock, or the restore target is not empty. */
    public static final int REFUSED = 3;
    /** Waiting on something outside the job: a restore from the archive was requested, run again when it is done. */
    public static final int PENDING = 4;

    private final int exitCode;

    public BackupFailure(String message) {
        this(message, FAILED, null);
    }

    public BackupFailure(String message, Throwable cause) {
        this(message, FAILED, cause);
    }

    public BackupFailure(String message, int exitCode, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public static BackupFailure refused(String message) {
        return new BackupFailure(message, REFUSED, null);
    }

    public static BackupFailure pending(String message) {
        return new BackupFailure(message, PENDING, null);
    }

    public int exitCode() {
        return exitCode;
    }
}
