package dev.notejam.backup.crypto;

import java.security.GeneralSecurityException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * An AWS KMS key as the key-encryption key: KMS wraps each backup's data key, so the key material never leaves KMS
 * and access is granted per role (IRSA). The backup's binding is the KMS encryption context: KMS refuses to unwrap
 * under any other environment, object key or time, CloudTrail shows which backup was opened, and IAM can limit a
 * role to its own environment (kms:EncryptionContext:environment). KMS rotates the key material itself; old
 * backups keep opening. Use a multi-Region key so the DR region can unwrap copies of the backups.
 */
public final class KmsKeyEncryptionKey implements KeyEncryptionKey {

    private final String keyArn;
    private final KmsClient kms;

    public KmsKeyEncryptionKey(String keyArn, KmsClient kms) {
        this.keyArn = keyArn;
        this.kms = kms;
    }

    @Override
    public String keyId() {
        return keyArn;
    }

    @Override
    public boolean mayUnwrap(String storedKeyId) {
        return true;
    }

    @Override
    public byte[] wrap(byte[] dataKey, BackupBinding binding) throws GeneralSecurityException {
        try {
            return kms.encrypt(r -> r.keyId(keyArn).plaintext(SdkBytes.fromByteArray(dataKey))
                    .encryptionContext(binding.encryptionContext())).ciphertextBlob().asByteArray();
        } catch (KmsException e) {
            throw new GeneralSecurityException("KMS refused to wrap the data key with " + keyArn + ": "
                    + e.awsErrorDetails().errorMessage(), e);
        }
    }

    @Override
    public byte[] unwrap(byte[] wrapped, BackupBinding binding) throws GeneralSecurityException {
        try {
            return kms.decrypt(r -> r.keyId(keyArn).ciphertextBlob(SdkBytes.fromByteArray(wrapped))
                    .encryptionContext(binding.encryptionContext())).plaintext().asByteArray();
        } catch (KmsException e) {
            throw new GeneralSecurityException("KMS could not unwrap the data key with " + keyArn + ": "
                    + e.awsErrorDetails().errorMessage(), e);
        }
    }
}
