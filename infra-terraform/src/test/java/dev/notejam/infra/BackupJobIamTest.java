package dev.notejam.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.notejam.infra.PolicyEvaluator.Call;
import tools.jackson.databind.JsonNode;

/**
 * The backup job's calls, taken from its code (backup-jobs: BackupStore, KmsKeyEncryptionKey with BackupBinding's
 * encryption context, CloudWatchMetricSink), replayed against the backup role's policy as each environment's stack
 * renders it (mocked provider). The job reaches the bucket by listing one key of {@code <env>/postgres/} (HeadBucket
 * would need ListBucket without a prefix), reads the bucket's object-lock setting, uploads in parts with a retention
 * date, may request a Deep Archive restore, and wraps its data key with the backup KMS key bound to its environment.
 */
class BackupJobIamTest {

    @Test
    void prodBackupCallsPass() {
        checkBackupCalls("prod", "prod", List.of());
    }

    @Test
    void prodDrRestoresProdsReplicatedBackups() {
        // prod-dr writes its own prefix and restores prod's (read only).
        checkBackupCalls("prod-dr", "prod-dr", List.of("prod"));
    }

    private static void checkBackupCalls(String env, String writePrefix, List<String> readPrefixes) {
        JsonNode backup = StackOutputs.output(env, "backup");
        JsonNode policy = StackOutputs.output(env, "iam_policies").path("backup");
        String region = StackOutputs.output(env, "region").asString();
        String bucket = "arn:aws:s3:::" + backup.path("bucket").asString();
        String key = backup.path("kms_key_arn").asString();
        String objectKey = writePrefix + "/postgres/2026/12/202612040200-scheduled.dump.zst.enc";
        String object = bucket + "/" + objectKey;
        Map<String, String> ownContext = Map.of("kms:EncryptionContext:purpose", "notejam-backup",
                "kms:EncryptionContext:environment", writePrefix, "kms:EncryptionContext:object", objectKey,
                "kms:EncryptionContext:taken", "202612040200");
        Map<String, String> viaS3 = Map.of("kms:ViaService", "s3." + region + ".amazonaws.com");
        List<Call> allowed = new ArrayList<>(List.of(
                new Call("reach the bucket: ListObjectsV2 of its prefix, one key", "s3:ListBucket", bucket, Map.of("s3:prefix", writePrefix + "/postgres/")),
                new Call("GetObjectLockConfiguration: is the bucket locked", "s3:GetBucketObjectLockConfiguration", bucket),
                new Call("CreateMultipartUpload / UploadPart / CompleteMultipartUpload", "s3:PutObject", object),
                new Call("SSE-KMS of the bucket on upload", "kms:GenerateDataKey", key, viaS3),
                new Call("object-lock retention on upload", "s3:PutObjectRetention", object),
                new Call("AbortMultipartUpload after a failed part", "s3:AbortMultipartUpload", object),
                new Call("PutObject of the manifest", "s3:PutObject", object.replace(".dump.zst.enc", ".manifest.json")),
                new Call("GetObject to verify", "s3:GetObject", object),
                new Call("SSE-KMS of the bucket on download", "kms:Decrypt", key, viaS3),
                new Call("RestoreObject of a backup in Deep Archive", "s3:RestoreObject", object),
                new Call("wrap the data key, bound to its environment and name", "kms:Encrypt", key, ownContext),
                new Call("unwrap the data key", "kms:Decrypt", key, ownContext),
                new Call("publish backup metrics", "cloudwatch:PutMetricData", "*", Map.of("cloudwatch:namespace", "Notejam/Backup")),
                new Call("IAM auth token for pg_dump / pg_restore as the read-only role", "rds-db:connect", dbUser(env, "notejam_backup"))));
        for (String prefix : readPrefixes) {
            String restoredKey = prefix + "/postgres/2026/12/202612040200-scheduled.dump.zst.enc";
            allowed.add(new Call("list " + prefix + "'s backups", "s3:ListBucket", bucket, Map.of("s3:prefix", prefix + "/postgres/")));
            allowed.add(new Call("download " + prefix + "'s backup", "s3:GetObject", bucket + "/" + restoredKey));
            allowed.add(new Call("unwrap " + prefix + "'s data key", "kms:Decrypt", key, Map.of("kms:EncryptionContext:purpose", "notejam-backup",
                    "kms:EncryptionContext:environment", prefix, "kms:EncryptionContext:object", restoredKey)));
        }
        List<Call> denied = List.of(
                new Call("delete a backup", "s3:DeleteObject", object),
                new Call("delete a version", "s3:DeleteObjectVersion", object),
                new Call("bypass governance retention", "s3:BypassGovernanceRetention", object),
                new Call("write another environment's prefix", "s3:PutObject", bucket + "/test/postgres/x.dump.zst.enc"),
                new Call("wrap a key for another environment", "kms:Encrypt", key, Map.of("kms:EncryptionContext:purpose", "notejam-backup",
                        "kms:EncryptionContext:environment", "test")),
                new Call("use the key directly without a context", "kms:Decrypt", key),
                new Call("use another key", "kms:Decrypt", "arn:aws:kms:" + region + ":111122223333:key/00000000-0000-0000-0000-000000000000"),
                new Call("log in as the app's role (it may write)", "rds-db:connect", dbUser(env, "notejam_app")),
                new Call("log in as the master user", "rds-db:connect", dbUser(env, "notejam")),
                new Call("log in to another instance", "rds-db:connect",
                        "arn:aws:rds-db:" + region + ":111122223333:dbuser:db-ZZZZZZZZZZZZZZZZZZZZZZZZZZ/notejam_backup"));
        AddOnIamTest.check(policy, "backup (" + env + ")", allowed, denied);
    }

    /** rds-db:connect resource of a database role on this environment's instance (its DbiResourceId). */
    static String dbUser(String env, String role) {
        return "arn:aws:rds-db:" + StackOutputs.output(env, "region").asString() + ":"
                + StackOutputs.output(env, "irsa_role_arns").path("backup").asString().split(":")[4] + ":dbuser:"
                + StackOutputs.output(env, "database").path("resource_id").asString() + "/" + role;
    }
}
