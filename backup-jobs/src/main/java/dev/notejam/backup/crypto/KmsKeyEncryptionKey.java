package dev.notejam.backup.crypto;

import com.google.crypto.tink.Aead;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KmsException;

/**
 * An AWS KMS key as the key-encryption key: KMS wraps each backup's data key, so the key material never leaves KMS
 * and access is granted per role (IRSA). The associated data is bound through the KMS encryption context.
 * Use a multi-Region key so the DR region can unwrap copies of the backups.
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
    public Aead aead() {
        return new Aead() {
            @Override
            public byte[] encrypt(byte[] plaintext, byte[] associatedData) throws GeneralSecurityException {
                try {
                    return kms.encrypt(r -> r.keyId(keyArn).plaintext(SdkBytes.fromByteArray(plaintext))
                            .encryptionContext(context(associatedData))).ciphertextBlob().asByteArray();
                } catch (KmsException e) {
                    throw new GeneralSecurityException("KMS refused to wrap the data key with " + keyArn + ": "
                            + e.awsErrorDetails().errorMessage(), e);
                }
            }

            @Override
            public byte[] decrypt(byte[] ciphertext, byte[] associatedData) throws GeneralSecurityException {
                try {
                    return kms.decrypt(r -> r.keyId(keyArn).ciphertextBlob(SdkBytes.fromByteArray(ciphertext))
                            .encryptionContext(context(associatedData))).plaintext().asByteArray();
                } catch (KmsException e) {
                    throw new GeneralSecurityException("KMS could not unwrap the data key with " + keyArn + ": "
                            + e.awsErrorDetails().errorMessage(), e);
                }
            }
        };
    }

    private static Map<String, String> context(byte[] associatedData) {
        return Map.of("purpose", "notejam-backup",
                "header", Base64.getEncoder().encodeToString(associatedData == null ? new byte[0] : associatedData));
    }
}
