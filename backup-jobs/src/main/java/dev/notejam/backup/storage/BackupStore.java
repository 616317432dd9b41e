package dev.notejam.backup.storage;

import dev.notejam.backup.BackupFailure;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ObjectLockEnabled;
import software.amazon.awssdk.services.s3.model.ObjectLockMode;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The backup bucket: uploads, downloads, listing; S3 errors become messages a person can act on. */
public final class BackupStore implements AutoCloseable {

    /** A backup object with its listing facts. */
    public record StoredBackup(BackupName name, long sizeBytes, Instant lastModified, boolean hasManifest, String storageClass) {
    }

    /** Object-lock retention to apply to new objects, when the bucket supports it. */
    public record Retention(ObjectLockMode mode, Instant retainUntil) {
    }

    /**
     * What HEAD says about a stored object, for pinning the exact bytes between two reads, and whether it is archived:
     * {@code restore} is S3's x-amz-restore header (null: never requested; ongoing-request="true": in progress).
     */
    public record ObjectVersion(long sizeBytes, String eTag, String versionId, String storageClass, String restore) {

        /** In GLACIER or DEEP_ARCHIVE (not GLACIER_IR) and not restored yet: GET fails until a restore completes. */
        public boolean needsArchiveRestore() {
            boolean archived = "GLACIER".equals(storageClass) || "DEEP_ARCHIVE".equals(storageClass);
            return archived && (restore == null || restore.contains("ongoing-request=\"true\""));
        }

        public boolean archiveRestoreInProgress() {
            return restore != null && restore.contains("ongoing-request=\"true\"");
        }
    }

    private final S3Client s3;
    private final String bucket;
    private final String endpointDescription;

    public BackupStore(S3Client s3, String bucket, Optional<URI> endpoint) {
        this.s3 = s3;
        this.bucket = bucket;
        this.endpointDescription = endpoint.map(URI::toString).orElse("AWS S3");
    }

    public String bucket() {
        return bucket;
    }

    /**
     * Fails fast, before any database work, when the bucket cannot be reached, does not exist or may not be listed under
     * the environment's prefix (a prefix-limited listing: the IAM policy allows no bucket-wide call).
     */
    public void checkReachable(String environment) {
        call("list s3://" + bucket + "/" + BackupName.prefix(environment),
                () -> s3.listObjectsV2(r -> r.bucket(bucket).prefix(BackupName.prefix(environment)).maxKeys(1)));
    }

    /** True when the bucket has object lock enabled; S3-compatible servers without the API answer false. */
    public boolean objectLockEnabled() {
        try {
            var configuration = s3.getObjectLockConfiguration(r -> r.bucket(bucket)).objectLockConfiguration();
            return configuration != null && ObjectLockEnabled.ENABLED.equals(configuration.objectLockEnabled());
        } catch (S3Exception e) {
            return false; // ObjectLockConfigurationNotFoundError, NotImplemented, ...
        } catch (SdkClientException e) {
            throw unreachable("read the object lock configuration of " + bucket, e);
        }
    }

    /**
     * Whether an object with exactly this key exists, by listing with the key as prefix: HEAD of a missing key answers
     * 403 instead of 404 to a role whose s3:ListBucket is limited to prefixes.
     */
    public boolean exists(String key) {
        return call("list s3://" + bucket + "/" + key, () -> s3.listObjectsV2(r -> r.bucket(bucket).prefix(key).maxKeys(10)))
                .contents().stream().anyMatch(o -> o.key().equals(key));
    }

    public Optional<ObjectVersion> head(String key) {
        try {
            HeadObjectResponse head = s3.headObject(r -> r.bucket(bucket).key(key));
            return Optional.of(new ObjectVersion(head.contentLength(), head.eTag(), head.versionId(),
                    head.storageClassAsString(), head.restore()));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw failure("read s3://" + bucket + "/" + key, e);
        } catch (SdkClientException e) {
            throw unreachable("read s3://" + bucket + "/" + key, e);
        }
    }

    public MultipartUploadStream startUpload(String key, Optional<Retention> retention, int partSize, int uploadThreads) {
        CreateMultipartUploadRequest.Builder request = CreateMultipartUploadRequest.builder().bucket(bucket).key(key)
                .contentType("application/octet-stream");
        retention.ifPresent(r -> request.objectLockMode(r.mode()).objectLockRetainUntilDate(r.retainUntil()));
        String uploadId = call("start the upload of " + key, () -> s3.createMultipartUpload(request.build())).uploadId();
        return new MultipartUploadStream(s3, bucket, key, uploadId, partSize, uploadThreads);
    }

    public void putJson(String key, String json, Optional<Retention> retention) {
        PutObjectRequest.Builder request = PutObjectRequest.builder().bucket(bucket).key(key).contentType("application/json");
        retention.ifPresent(r -> request.objectLockMode(r.mode()).objectLockRetainUntilDate(r.retainUntil()));
        call("write " + key, () -> s3.putObject(request.build(), RequestBody.fromString(json, StandardCharsets.UTF_8)));
    }

    public String getText(String key) {
        return call("read " + key, () -> s3.getObjectAsBytes(r -> r.bucket(bucket).key(key)).asUtf8String());
    }

    /** Opens the object pinned to the version HEAD saw, so two reads of a restore see the very same bytes. */
    public ResponseInputStream<GetObjectResponse> open(String key, ObjectVersion version) {
        GetObjectRequest.Builder request = pinned(GetObjectRequest.builder().bucket(bucket).key(key), version);
        return call("download " + key, () -> s3.getObject(request.build()));
    }

    private static GetObjectRequest.Builder pinned(GetObjectRequest.Builder request, ObjectVersion version) {
        if (version.versionId() != null && !"null".equals(version.versionId())) {
            request.versionId(version.versionId());
        } else if (version.eTag() != null) {
            request.ifMatch(version.eTag());
        }
        return request;
    }

    /** The first bytes of the object (its header), pinned to the version HEAD saw. */
    public byte[] readPrefix(String key, ObjectVersion version, int maxBytes) {
        GetObjectRequest.Builder request = pinned(GetObjectRequest.builder().bucket(bucket).key(key), version)
                .range("bytes=0-" + (Math.min(maxBytes, version.sizeBytes()) - 1));
        return call("read the header of " + key, () -> s3.getObjectAsBytes(request.build()).asByteArray());
    }

    /** Asks S3 to restore an archived object (GLACIER / DEEP_ARCHIVE) for {@code days} days at {@code tier}. */
    public void requestArchiveRestore(String key, int days, String tier) {
        call("request the restore of " + key + " from the archive", () -> s3.restoreObject(r -> r.bucket(bucket).key(key)
                .restoreRequest(q -> q.days(days).glacierJobParameters(g -> g.tier(tier)))));
    }

    /** All backups of an environment, oldest first. Objects without a manifest are uploads that never finished. */
    public List<StoredBackup> list(String environment) {
        List<S3Object> objects = new ArrayList<>();
        call("list s3://" + bucket + "/" + BackupName.prefix(environment),
                () -> { s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(BackupName.prefix(environment)))
                        .contents().forEach(objects::add); return null; });
        Set<String> keys = new HashSet<>();
        objects.forEach(o -> keys.add(o.key()));
        List<StoredBackup> backups = new ArrayList<>();
        for (S3Object object : objects) {
            BackupName.parseDumpKey(object.key())
                    .filter(name -> name.environment().equals(environment))
                    .ifPresent(name -> backups.add(new StoredBackup(name, object.size(), object.lastModified(),
                            keys.contains(name.manifestKey()), object.storageClassAsString())));
        }
        backups.sort((a, b) -> a.name().compareTo(b.name()));
        return backups;
    }

    private <T> T call(String what, Supplier<T> request) {
        try {
            return request.get();
        } catch (S3Exception e) {
            throw failure(what, e);
        } catch (SdkClientException e) {
            throw unreachable(what, e);
        }
    }

    private BackupFailure failure(String what, S3Exception e) {
        String code = e.awsErrorDetails() == null ? "" : e.awsErrorDetails().errorCode();
        String hint = "InvalidObjectState".equals(code) ? " (the object is in GLACIER/DEEP_ARCHIVE and not restored yet)" : switch (e.statusCode()) {
            case 403 -> " (access denied: check the job's IAM role / IRSA and the bucket policy)";
            case 404 -> " (not found: check BACKUP_S3_BUCKET and the object key)";
            default -> "";
        };
        return new BackupFailure("S3 could not " + what + ": HTTP " + e.statusCode() + " " + code + hint, e);
    }

    private BackupFailure unreachable(String what, SdkClientException e) {
        return new BackupFailure("S3 is unreachable at " + endpointDescription + ": could not " + what
                + " after the retries allowed by BACKUP_S3_MAX_ATTEMPTS (" + e.getMessage() + ")", e);
    }

    @Override
    public void close() {
        s3.close();
    }
}
