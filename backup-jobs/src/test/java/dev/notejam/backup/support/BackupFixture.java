package dev.notejam.backup.support;

import dev.notejam.backup.config.BackupSettings;
import dev.notejam.backup.pipeline.Toolbox;
import dev.notejam.backup.pipeline.ToolboxFactory;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/** A bucket, a key and a database for one test, plus the environment the CLI would get in a pod. */
public final class BackupFixture {

    public final PostgresServer postgres = PostgresServer.shared();
    public final S3Server s3 = S3Server.shared();
    public final String bucket;
    public final String encryptionKey;
    public final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    public final ByteArrayOutputStream stderr = new ByteArrayOutputStream();

    public BackupFixture(String name) {
        this.bucket = s3.createBucket(name);
        this.encryptionKey = newKey();
    }

    public static String newKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    public Map<String, String> environment(String database) {
        Map<String, String> env = new HashMap<>();
        env.put("BACKUP_DATABASE_URL", postgres.jdbcUrl(database));
        env.put("BACKUP_DATABASE_USERNAME", PostgresServer.ADMIN_USER);
        env.put("BACKUP_DATABASE_PASSWORD", PostgresServer.ADMIN_PASSWORD);
        env.put("BACKUP_ENVIRONMENT", "dev");
        env.put("BACKUP_S3_BUCKET", bucket);
        env.put("BACKUP_S3_REGION", S3Server.REGION);
        env.put("BACKUP_S3_ENDPOINT", s3.endpoint().toString());
        env.put("BACKUP_S3_PATH_STYLE", "true");
        env.put("BACKUP_S3_MAX_ATTEMPTS", "3");
        env.put("BACKUP_ENCRYPTION_KEY", encryptionKey);
        env.put("BACKUP_OBJECT_LOCK_DAYS", "1095");
        env.put("BACKUP_WORK_DIR", System.getProperty("java.io.tmpdir"));
        return env;
    }

    /** The jobs' real wiring, with small parts so that test data spans several multipart parts. */
    public Toolbox toolbox(Map<String, String> env, String command, Clock clock) {
        Toolbox t = ToolboxFactory.create(BackupSettings.from(env), command,
                new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8), clock);
        return tune(t);
    }

    public static Toolbox tune(Toolbox t) {
        return new Toolbox(t.settings(), t.store(), t.encryption(), t.pgTools(), t.metrics(), t.log(), t.progressOut(),
                Duration.ofMillis(200), t.clock(), 5 * 1024 * 1024, 2, t.zstdLevel(), t.tableChecksums(), Duration.ofMillis(200));
    }

    public String stdout() {
        return stdout.toString(StandardCharsets.UTF_8);
    }

    public String stderr() {
        return stderr.toString(StandardCharsets.UTF_8);
    }
}
