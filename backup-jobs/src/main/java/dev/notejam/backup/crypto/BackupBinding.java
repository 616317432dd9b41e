package dev.notejam.backup.crypto;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a backup is: its environment, the object key it was written under and the minute it was taken. It is
 * authenticated together with the backup's data key (the associated data of a local key, the encryption context of
 * KMS), so an old genuine backup copied under a newer name or into another environment is refused before anything is
 * restored.
 */
public record BackupBinding(String environment, String objectKey, String takenAt) {

    private static final String PREFIX = "notejam-backup binding v2\n";

    public BackupBinding {
        for (String value : new String[] {environment, objectKey, takenAt}) {
            if (value == null || value.isEmpty() || value.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("binding values must be non-empty single lines");
            }
        }
    }

    /** The exact bytes stored in the header and authenticated with the data key. */
    public byte[] canonicalBytes() {
        return (PREFIX + "environment=" + environment + "\nobject=" + objectKey + "\ntaken=" + takenAt)
                .getBytes(StandardCharsets.UTF_8);
    }

    static BackupBinding parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (!text.startsWith(PREFIX)) {
            throw new IllegalArgumentException("not a backup binding");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : text.substring(PREFIX.length()).split("\n")) {
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("malformed backup binding");
            }
            fields.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return new BackupBinding(fields.get("environment"), fields.get("object"), fields.get("taken"));
    }

    /** The KMS encryption context: visible in CloudTrail and usable in IAM conditions (kms:EncryptionContext:*). */
    public Map<String, String> encryptionContext() {
        Map<String, String> context = new LinkedHashMap<>();
        context.put("purpose", "notejam-backup");
        context.put("environment", environment);
        context.put("object", objectKey);
        context.put("taken", takenAt);
        return context;
    }

    public String describe() {
        return objectKey + " (environment " + environment + ", taken " + takenAt + ")";
    }
}
