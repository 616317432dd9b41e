package dev.notejam.backup.pipeline;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.notejam.backup.BackupFailure;
import dev.notejam.backup.postgres.TableStats;
import java.util.List;

/**
 * The manifest stored beside each backup object: what was dumped, how it was packed, and what a restore must find.
 * A backup without a manifest never finished and is ignored by restore and verify.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Manifest(
        int formatVersion,
        String environment,
        String trigger,
        String objectKey,
        String startedAt,
        String finishedAt,
        String database,
        PostgresInfo postgres,
        String flywaySchemaVersion,
        String snapshotId,
        Packing packing,
        Sizes sizes,
        String sha256,
        ObjectLock objectLock,
        List<TableStats> tables,
        String toolVersion) {

    public static final int FORMAT_VERSION = 1;

    public record PostgresInfo(String serverVersion, int serverVersionNum, String pgDumpVersion) {
    }

    public record Packing(String dumpFormat, String compression, String encryption, String keyId) {
    }

    /** dumpBytes: pg_dump output; compressedBytes: after zstd; encryptedBytes: the stored object. */
    public record Sizes(long dumpBytes, long compressedBytes, long encryptedBytes) {
    }

    public record ObjectLock(String mode, String retainUntil) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static Manifest fromJson(String json, String key) {
        try {
            Manifest manifest = JSON.readValue(json, Manifest.class);
            if (manifest.formatVersion() != FORMAT_VERSION || manifest.sha256() == null || manifest.sizes() == null
                    || manifest.tables() == null) {
                throw new BackupFailure("manifest " + key + " is incomplete or of an unknown format version " + manifest.formatVersion());
            }
            return manifest;
        } catch (JsonProcessingException e) {
            throw new BackupFailure("manifest " + key + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
