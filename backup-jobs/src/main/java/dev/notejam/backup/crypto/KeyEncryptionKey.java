package dev.notejam.backup.crypto;

import com.google.crypto.tink.Aead;

/**
 * The long-lived key that wraps each backup's own data key (envelope encryption). It never touches the dump itself:
 * the data key does, and only its wrapped form is stored in the object header.
 */
public interface KeyEncryptionKey {

    /** A non-secret id recorded in the header and the manifest: the KMS key ARN, or a fingerprint of a local key. */
    String keyId();

    /** Wraps and unwraps data keys. */
    Aead aead();

    /**
     * Whether a header naming {@code storedKeyId} can be for this key. A local key must match exactly; KMS decides for
     * itself (a DR region names the same multi-Region key by another ARN or alias).
     */
    default boolean mayUnwrap(String storedKeyId) {
        return keyId().equals(storedKeyId);
    }
}
