package dev.notejam.backup.crypto;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.streamingaead.AesGcmHkdfStreamingKey;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;
import com.google.crypto.tink.util.SecretBytes;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Envelope encryption of a backup stream with Tink's streaming AEAD (AES256_GCM_HKDF_1MB), bound to the backup's name.
 *
 * <p>Each backup gets 64 fresh random bytes: the first 32 are the streaming AEAD key of the dump, the last 32 the
 * HMAC-SHA256 key that authenticates its manifest. They are wrapped by the {@link KeyEncryptionKey} with the backup's
 * {@link BackupBinding} (environment, object key, time) as associated data / KMS encryption context, and stored in a
 * header in front of the ciphertext, so an object is self-contained. The whole header is the associated data of the
 * stream. Every 1 MiB segment is authenticated and the last one is marked: a flipped byte, a truncated object, a
 * wrong key or a backup stored under another name fails before the affected plaintext is released.
 *
 * <pre>
 * "NJBK" | version 2 (1 byte) | key id length (u16) | key id (UTF-8) | binding length (u16) | binding (UTF-8)
 * | wrapped key length (u32) | wrapped key | Tink streaming AEAD ciphertext
 * </pre>
 */
public final class EnvelopeEncryption {

    public static final String SCHEME = "tink-streaming-aead/AES256_GCM_HKDF_1MB+manifest-hmac-sha256";
    public static final String MANIFEST_MAC = "HMAC-SHA256";
    private static final byte[] MAGIC = "NJBK".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 2;
    private static final int MAX_KEY_ID = 2048;
    private static final int MAX_BINDING = 2048;
    private static final int MAX_WRAPPED_KEY = 8 * 1024;
    /** Upper bound of a header: what a reader fetches to open a backup without downloading it. */
    public static final int MAX_HEADER_BYTES = MAGIC.length + 1 + 2 + MAX_KEY_ID + 2 + MAX_BINDING + 4 + MAX_WRAPPED_KEY;
    private static final int DATA_KEY_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyRing keys;

    public EnvelopeEncryption(KeyRing keys) {
        TinkSetup.register();
        this.keys = keys;
    }

    public EnvelopeEncryption(KeyEncryptionKey key) {
        this(KeyRing.of(key));
    }

    /** The key new backups are wrapped with. */
    public String keyId() {
        return keys.current().keyId();
    }

    /** The opened key of one backup: its header, stream cipher and manifest key. */
    public static final class OpenedBackup {
        private final byte[] header;
        private final BackupBinding binding;
        private final String keyId;
        private final StreamingAead stream;
        private final byte[] manifestKey;

        private OpenedBackup(byte[] header, BackupBinding binding, String keyId, StreamingAead stream, byte[] manifestKey) {
            this.header = header;
            this.binding = binding;
            this.keyId = keyId;
            this.stream = stream;
            this.manifestKey = manifestKey;
        }

        public BackupBinding binding() {
            return binding;
        }

        public String keyId() {
            return keyId;
        }

        public int headerLength() {
            return header.length;
        }

        /** Hex HMAC-SHA256 of a manifest's canonical bytes under this backup's manifest key. */
        public String manifestMac(byte[] canonicalManifest) {
            try {
                Mac mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(manifestKey, "HmacSHA256"));
                mac.update("notejam-backup manifest v2\0".getBytes(StandardCharsets.US_ASCII));
                return HexFormat.of().formatHex(mac.doFinal(canonicalManifest));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Constant-time comparison of a stored manifest MAC. */
        public boolean manifestMacMatches(byte[] canonicalManifest, String storedHex) {
            return storedHex != null && MessageDigest.isEqual(manifestMac(canonicalManifest).getBytes(StandardCharsets.US_ASCII),
                    storedHex.getBytes(StandardCharsets.US_ASCII));
        }

        /** Reads a header from {@code object} that must be this very header, then returns the plaintext stream. */
        public InputStream decrypt(InputStream object) throws IOException {
            byte[] again = new DataInputStream(object).readNBytes(header.length);
            if (!Arrays.equals(again, header)) {
                throw new CryptoFailure("the object's header changed since it was opened: it was replaced while reading");
            }
            try {
                return stream.newDecryptingStream(object, header);
            } catch (GeneralSecurityException e) {
                throw new CryptoFailure("cannot set up decryption: " + e.getMessage(), e);
            }
        }
    }

    /** Creates the data key of a new backup, wrapped for {@code binding}. */
    public OpenedBackup seal(BackupBinding binding) throws IOException {
        byte[] material = new byte[2 * DATA_KEY_BYTES];
        RANDOM.nextBytes(material);
        try {
            byte[] wrapped = keys.current().wrap(material, binding);
            byte[] header = header(keys.current().keyId(), binding.canonicalBytes(), wrapped);
            return open(material, header, binding, keys.current().keyId());
        } catch (GeneralSecurityException e) {
            throw new CryptoFailure("cannot create and wrap a data key with " + keys.current().keyId() + ": " + e.getMessage(), e);
        } finally {
            Arrays.fill(material, (byte) 0);
        }
    }

    /** Writes the header of {@code backup} to {@code ciphertext} and returns the stream that encrypts into it. */
    public OutputStream encrypt(OpenedBackup backup, OutputStream ciphertext) throws IOException {
        ciphertext.write(backup.header);
        try {
            return backup.stream.newEncryptingStream(ciphertext, backup.header);
        } catch (GeneralSecurityException e) {
            throw new CryptoFailure("cannot set up encryption: " + e.getMessage(), e);
        }
    }

    /**
     * Reads a header from {@code object} and opens it for {@code expected}: a header written for another environment,
     * object key or time is refused (with both names in the message) before any key is unwrapped; a header whose
     * binding was edited to match fails to unwrap.
     */
    public OpenedBackup open(InputStream object, BackupBinding expected) throws IOException {
        DataInputStream in = new DataInputStream(object);
        try {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new CryptoFailure("not a notejam backup (bad header): the object is corrupted or is something else");
            }
            int version = in.readUnsignedByte();
            if (version != VERSION) {
                throw new CryptoFailure("backup format " + version + " is not authenticated and bound to its name (format "
                        + VERSION + " is); this version of notejam-backup refuses it");
            }
            int keyIdLength = in.readUnsignedShort();
            if (keyIdLength > MAX_KEY_ID) {
                throw new CryptoFailure("corrupted header: key id length " + keyIdLength);
            }
            byte[] keyIdBytes = in.readNBytes(keyIdLength);
            int bindingLength = in.readUnsignedShort();
            if (bindingLength > MAX_BINDING) {
                throw new CryptoFailure("corrupted header: binding length " + bindingLength);
            }
            byte[] bindingBytes = new byte[bindingLength];
            in.readFully(bindingBytes);
            int wrappedLength = in.readInt();
            if (wrappedLength <= 0 || wrappedLength > MAX_WRAPPED_KEY) {
                throw new CryptoFailure("corrupted header: wrapped key length " + wrappedLength);
            }
            byte[] wrapped = new byte[wrappedLength];
            in.readFully(wrapped);

            BackupBinding stored;
            try {
                stored = BackupBinding.parse(bindingBytes);
            } catch (IllegalArgumentException e) {
                throw new CryptoFailure("corrupted header: " + e.getMessage());
            }
            if (!stored.equals(expected)) {
                throw new CryptoFailure("the backup stored as " + expected.describe() + " was made as " + stored.describe()
                        + ": it was copied or renamed (a replayed or foreign backup), refusing it");
            }
            String keyId = new String(keyIdBytes, StandardCharsets.UTF_8);
            KeyEncryptionKey key = keys.forUnwrapping(keyId).orElseThrow(() -> new CryptoFailure(
                    "wrong key: the backup was encrypted with key " + keyId + " but the configured keys are " + keys.describe()));
            byte[] material;
            try {
                material = key.unwrap(wrapped, expected);
            } catch (GeneralSecurityException e) {
                throw new CryptoFailure("cannot unwrap the backup's data key (wrapped by " + keyId + ") with " + key.keyId()
                        + " for " + expected.describe() + ": wrong key, or the header was altered (" + e.getMessage() + ")", e);
            }
            try {
                if (material.length != 2 * DATA_KEY_BYTES) {
                    throw new CryptoFailure("corrupted data key: " + material.length + " bytes");
                }
                return open(material, header(keyId, bindingBytes, wrapped), stored, keyId);
            } finally {
                Arrays.fill(material, (byte) 0);
            }
        } catch (EOFException e) {
            throw new CryptoFailure("the object ends inside its header: it is truncated", e);
        }
    }

    private static OpenedBackup open(byte[] material, byte[] header, BackupBinding binding, String keyId) throws CryptoFailure {
        try {
            AesGcmHkdfStreamingKey key = AesGcmHkdfStreamingKey.create(PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB,
                    SecretBytes.copyFrom(Arrays.copyOfRange(material, 0, DATA_KEY_BYTES), InsecureSecretKeyAccess.get()));
            StreamingAead stream = KeysetHandle.newBuilder().addEntry(KeysetHandle.importKey(key).withRandomId().makePrimary())
                    .build().getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
            return new OpenedBackup(header, binding, keyId, stream, Arrays.copyOfRange(material, DATA_KEY_BYTES, 2 * DATA_KEY_BYTES));
        } catch (GeneralSecurityException e) {
            throw new CryptoFailure("cannot set up the backup's data key: " + e.getMessage(), e);
        }
    }

    private static byte[] header(String keyId, byte[] binding, byte[] wrapped) throws IOException {
        byte[] keyIdBytes = keyId.getBytes(StandardCharsets.UTF_8);
        if (keyIdBytes.length > MAX_KEY_ID || binding.length > MAX_BINDING || wrapped.length > MAX_WRAPPED_KEY) {
            throw new CryptoFailure("header field too long");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(MAGIC);
        out.writeByte(VERSION);
        out.writeShort(keyIdBytes.length);
        out.write(keyIdBytes);
        out.writeShort(binding.length);
        out.write(binding);
        out.writeInt(wrapped.length);
        out.write(wrapped);
        out.flush();
        return bytes.toByteArray();
    }

    /** Decryption or key problems; reported as integrity/authenticity failures. */
    public static final class CryptoFailure extends IOException {
        public CryptoFailure(String message) {
            super(message);
        }

        public CryptoFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
