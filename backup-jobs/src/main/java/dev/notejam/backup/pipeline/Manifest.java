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
        String toolVersion,
        Authentication authentication) {

    /** 2: authenticated with the backup's own key and bound to its name (1 was neither). */
    public static final int FORMAT_VERSION = 2;

    /** HMAC of {@link #canonicalBytes()} under the manifest key that travels, wrapped, in the dump object's header. */
    public record Authentication(String algorithm, String value) {
    }

    /** The bytes the authentication covers: the manifest without its authentication, in compact JSON. */
    public byte[] canonicalBytes() {
        try {
            return CANONICAL.writeValueAsBytes(withAuthentication(null));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public Manifest withAuthentication(Authentication value) {
        return new Manifest(formatVersion, environment, trigger, objectKey, startedAt, finishedAt, database, postgres,
                flywaySchemaVersion, snapshotId, packing, sizes, sha256, objectLock, tables, toolVersion, value);
    }

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
    private static final ObjectMapper CANONICAL = new ObjectMapper();

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
            if (manifest.formatVersion() != FORMAT_VERSION) {
                throw new BackupFailure("manifest " + key + " has format version " + manifest.formatVersion() + "; this version of"
                        + " notejam-backup accepts only format " + FORMAT_VERSION + " (authenticated and bound to its name)");
            }
            if (manifest.sha256() == null || manifest.sizes() == null || manifest.tables() == null || manifest.packing() == null
                    || manifest.authentication() == null) {
                throw new BackupFailure("manifest " + key + " is incomplete (no digest, sizes, tables, packing or authentication)");
            }
            return manifest;
        } catch (JsonProcessingException e) {
            throw new BackupFailure("manifest " + key + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }
}
