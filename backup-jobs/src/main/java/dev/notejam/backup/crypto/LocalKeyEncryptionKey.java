package dev.notejam.backup.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.aead.AesGcmKey;
import com.google.crypto.tink.aead.AesGcmParameters;
import com.google.crypto.tink.util.SecretBytes;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A 256-bit AES-GCM key handed in through a secret (BACKUP_ENCRYPTION_KEY), for environments without KMS. The
 * backup's binding is the associated data of the wrapped data key.
 */
public final class LocalKeyEncryptionKey implements KeyEncryptionKey {

    private static final byte[] WRAP_CONTEXT = "notejam-backup data key v2\0".getBytes(StandardCharsets.US_ASCII);

    private final String keyId;
    private final Aead aead;

    public LocalKeyEncryptionKey(byte[] rawKey) {
        TinkSetup.register();
        try {
            AesGcmParameters parameters = AesGcmParameters.builder()
                    .setKeySizeBytes(32).setIvSizeBytes(12).setTagSizeBytes(16)
                    .setVariant(AesGcmParameters.Variant.NO_PREFIX).build();
            AesGcmKey key = AesGcmKey.builder().setParameters(parameters)
                    .setKeyBytes(SecretBytes.copyFrom(rawKey, InsecureSecretKeyAccess.get())).build();
            KeysetHandle handle = KeysetHandle.newBuilder()
                    .addEntry(KeysetHandle.importKey(key).withRandomId().makePrimary()).build();
            this.aead = handle.getPrimitive(RegistryConfiguration.get(), Aead.class);
            this.keyId = "local:" + fingerprint(rawKey);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot use BACKUP_ENCRYPTION_KEY as an AES-256-GCM key", e);
        }
    }

    /** A one-way, domain-separated fingerprint: names the key without revealing it. */
    private static String fingerprint(byte[] rawKey) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("notejam-backup key id\0".getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest(rawKey), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String keyId() {
        return keyId;
    }

    @Override
    public byte[] wrap(byte[] dataKey, BackupBinding binding) throws GeneralSecurityException {
        return aead.encrypt(dataKey, associatedData(binding));
    }

    @Override
    public byte[] unwrap(byte[] wrapped, BackupBinding binding) throws GeneralSecurityException {
        return aead.decrypt(wrapped, associatedData(binding));
    }

    private static byte[] associatedData(BackupBinding binding) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(WRAP_CONTEXT);
        out.writeBytes(binding.canonicalBytes());
        return out.toByteArray();
    }
}
