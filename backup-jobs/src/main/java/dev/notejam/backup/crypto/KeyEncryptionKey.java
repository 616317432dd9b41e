package dev.notejam.backup.crypto;

import java.security.GeneralSecurityException;

/**
 * The long-lived key that wraps each backup's own data key (envelope encryption). It never touches the dump itself:
 * the data key does, and only its wrapped form is stored in the object header. Wrapping authenticates the backup's
 * {@link BackupBinding}, so a wrapped key only opens under the name it was written for.
 */
public interface KeyEncryptionKey {

    /** A non-secret id recorded in the header and the manifest: the KMS key ARN, or a fingerprint of a local key. */
    String keyId();

    byte[] wrap(byte[] dataKey, BackupBinding binding) throws GeneralSecurityException;

    byte[] unwrap(byte[] wrapped, BackupBinding binding) throws GeneralSecurityException;

    /**
     * Whether a header naming {@code storedKeyId} can be for this key. A local key must match exactly; KMS decides for
     * itself (a DR region names the same multi-Region key by another ARN or alias).
     */
    default boolean mayUnwrap(String storedKeyId) {
        return keyId().equals(storedKeyId);
    }
}
