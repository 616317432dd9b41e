package dev.notejam.backup.config;

import dev.notejam.backup.postgres.DatabasePassword;
import dev.notejam.backup.postgres.RdsIamTokens;
import java.net.URI;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static dev.notejam.backup.config.EnvironmentVariables.optional;
import static dev.notejam.backup.config.EnvironmentVariables.required;

/**
 * Everything the jobs need, read from environment variables only (12-factor). Secrets are kept out of
 * {@link #toString()} so a settings object can never leak into a log line.
 */
public record BackupSettings(
        String databaseUrl,
        String databaseUsername,
        DatabasePassword databasePassword,
        String environment,
        String bucket,
        String region,
        Optional<URI> s3Endpoint,
        boolean s3PathStyle,
        int s3MaxAttempts,
        Optional<String> kmsKeyArn,
        Optional<byte[]> encryptionKey,
        List<byte[]> previousEncryptionKeys,
        MetricsSinkKind metricsSink,
        Optional<Integer> objectLockDays,
        ObjectLockMode objectLockMode,
        Optional<String> pgBinDir,
        Optional<String> workDir) {

    public enum MetricsSinkKind { CLOUDWATCH, LOG }

    public enum ObjectLockMode { GOVERNANCE, COMPLIANCE }

    private static final Pattern ENVIRONMENT_NAME = Pattern.compile("[a-z][a-z0-9-]{0,31}");

    public static BackupSettings fromEnvironment() {
        return from(System.getenv());
    }

    /** Reads and validates the settings; every problem names the variable to fix. */
    public static BackupSettings from(Map<String, String> env) {
        String databaseUrl = required(env, "BACKUP_DATABASE_URL");
        if (!databaseUrl.startsWith("jdbc:postgresql://")) {
            throw new SettingsException("BACKUP_DATABASE_URL must look like jdbc:postgresql://host:5432/notejam");
        }
        String environment = required(env, "BACKUP_ENVIRONMENT");
        if (!ENVIRONMENT_NAME.matcher(environment).matches()) {
            throw new SettingsException("BACKUP_ENVIRONMENT must be a short lower-case name such as dev, test, prod or prod-dr");
        }
        Optional<String> kmsKeyArn = optional(env, "BACKUP_KMS_KEY_ARN");
        Optional<byte[]> encryptionKey = optional(env, "BACKUP_ENCRYPTION_KEY").map(v -> decodeKey("BACKUP_ENCRYPTION_KEY", v));
        if (kmsKeyArn.isPresent() == encryptionKey.isPresent()) {
            throw new SettingsException("set exactly one of BACKUP_KMS_KEY_ARN (AWS KMS) or BACKUP_ENCRYPTION_KEY (base64 of 32 random bytes)");
        }
        List<byte[]> previousKeys = optional(env, "BACKUP_PREVIOUS_ENCRYPTION_KEYS")
                .map(v -> java.util.Arrays.stream(v.split("[,\\s]+")).filter(k -> !k.isBlank())
                        .map(k -> decodeKey("BACKUP_PREVIOUS_ENCRYPTION_KEYS", k)).toList())
                .orElse(List.of());
        if (!previousKeys.isEmpty() && kmsKeyArn.isPresent()) {
            throw new SettingsException("BACKUP_PREVIOUS_ENCRYPTION_KEYS is for local keys only: KMS rotates its key material itself");
        }
        MetricsSinkKind sink = switch (optional(env, "BACKUP_METRICS_SINK").orElse("log").toLowerCase()) {
            case "log" -> MetricsSinkKind.LOG;
            case "cloudwatch" -> MetricsSinkKind.CLOUDWATCH;
            default -> throw new SettingsException("BACKUP_METRICS_SINK must be cloudwatch or log");
        };
        Optional<Integer> lockDays = optional(env, "BACKUP_OBJECT_LOCK_DAYS").map(v -> positiveInt("BACKUP_OBJECT_LOCK_DAYS", v));
        ObjectLockMode lockMode;
        try {
            lockMode = ObjectLockMode.valueOf(optional(env, "BACKUP_OBJECT_LOCK_MODE").orElse("GOVERNANCE").toUpperCase());
        } catch (IllegalArgumentException e) {
            throw new SettingsException("BACKUP_OBJECT_LOCK_MODE must be GOVERNANCE or COMPLIANCE");
        }
        Optional<URI> endpoint = optional(env, "BACKUP_S3_ENDPOINT").map(URI::create);
        return new BackupSettings(
                databaseUrl,
                required(env, "BACKUP_DATABASE_USERNAME"),
                databasePassword(env),
                environment,
                required(env, "BACKUP_S3_BUCKET"),
                optional(env, "BACKUP_S3_REGION").or(() -> optional(env, "AWS_REGION")).orElse("us-east-1"),
                endpoint,
                optional(env, "BACKUP_S3_PATH_STYLE").map(Boolean::parseBoolean).orElse(false),
                optional(env, "BACKUP_S3_MAX_ATTEMPTS").map(v -> positiveInt("BACKUP_S3_MAX_ATTEMPTS", v)).orElse(5),
                kmsKeyArn,
                encryptionKey,
                previousKeys,
                sink,
                lockDays,
                lockMode,
                optional(env, "BACKUP_PG_BIN_DIR"),
                optional(env, "BACKUP_WORK_DIR"));
    }

    /**
     * BACKUP_DATABASE_PASSWORD, or with NOTEJAM_DATABASE_IAM_AUTH=true an RDS IAM token per connection, signed for
     * AWS_REGION (the database's region; the bucket's may differ in the DR region).
     */
    private static DatabasePassword databasePassword(Map<String, String> env) {
        String iam = optional(env, "NOTEJAM_DATABASE_IAM_AUTH").orElse("false").toLowerCase();
        if (!iam.equals("true") && !iam.equals("false")) {
            throw new SettingsException("NOTEJAM_DATABASE_IAM_AUTH must be true or false");
        }
        if (iam.equals("false")) {
            return DatabasePassword.fixed(optional(env, "BACKUP_DATABASE_PASSWORD").orElse(""));
        }
        if (optional(env, "BACKUP_DATABASE_PASSWORD").isPresent()) {
            throw new SettingsException("NOTEJAM_DATABASE_IAM_AUTH=true: unset BACKUP_DATABASE_PASSWORD, the job logs in with IAM tokens only");
        }
        String region = optional(env, "AWS_REGION").orElseThrow(() -> new SettingsException(
                "NOTEJAM_DATABASE_IAM_AUTH=true needs AWS_REGION (the database's region)"));
        return new RdsIamTokens(region);
    }

    /** The same settings with another source of database passwords (tests: a fixed stand-in for the IAM signer). */
    public BackupSettings withDatabasePassword(DatabasePassword password) {
        return new BackupSettings(databaseUrl, databaseUsername, password, environment, bucket, region, s3Endpoint,
                s3PathStyle, s3MaxAttempts, kmsKeyArn, encryptionKey, previousEncryptionKeys, metricsSink, objectLockDays, objectLockMode,
                pgBinDir, workDir);
    }

    /** The same settings pointing at another database (used for the scratch database of verify). */
    public BackupSettings withDatabaseUrl(String url) {
        return new BackupSettings(url, databaseUsername, databasePassword, environment, bucket, region, s3Endpoint,
                s3PathStyle, s3MaxAttempts, kmsKeyArn, encryptionKey, previousEncryptionKeys, metricsSink, objectLockDays, objectLockMode,
                pgBinDir, workDir);
    }

    private static byte[] decodeKey(String variable, String value) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(value.trim());
        } catch (IllegalArgumentException e) {
            throw new SettingsException(variable + " is not valid base64 (create one with: openssl rand -base64 32)");
        }
        if (key.length != 32) {
            throw new SettingsException(variable + " must decode to 32 bytes, got " + key.length + " (create one with: openssl rand -base64 32)");
        }
        return key;
    }

    private static int positiveInt(String name, String value) {
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new SettingsException(name + " must be a positive whole number, got '" + value + "'");
    }

    @Override
    public String toString() {
        return "BackupSettings[database=" + databaseUrl + ", user=" + databaseUsername + ", environment=" + environment
                + ", password=" + databasePassword + ", bucket=" + bucket + ", region=" + region + ", endpoint=" + s3Endpoint.map(URI::toString).orElse("aws")
                + ", key=" + (kmsKeyArn.isPresent() ? "kms" : "secret") + ", previousKeys=" + previousEncryptionKeys.size() + "]";
    }
}
