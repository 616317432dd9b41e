package dev.notejam.backup.crypto;

import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.StreamingAead;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.google.crypto.tink.streamingaead.PredefinedStreamingAeadParameters;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;

/**
 * Envelope encryption of a backup stream with Tink's streaming AEAD (AES256_GCM_HKDF_1MB).
 *
 * <p>Each backup gets a fresh data keyset, wrapped by the {@link KeyEncryptionKey} and stored in a small header in
 * front of the ciphertext, so an object is self-contained: the manifest is not needed to decrypt it. The whole header
 * is the associated data of the stream, so changing the key id or the wrapped key is detected like any other change.
 * Every 1 MiB segment is authenticated, and the last segment is marked, so a flipped byte, a truncated object or a
 * wrong key fails before the affected plaintext is released.
 *
 * <pre>
 * "NJBK" | version (1 byte) | key id length (u16) | key id (UTF-8) | wrapped keyset length (u32) | wrapped keyset
 * | Tink streaming AEAD ciphertext
 * </pre>
 */
public final class EnvelopeEncryption {

    public static final String SCHEME = "tink-streaming-aead/AES256_GCM_HKDF_1MB";
    private static final byte[] MAGIC = "NJBK".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;
    private static final int MAX_KEY_ID = 2048;
    private static final int MAX_WRAPPED_KEYSET = 64 * 1024;
    private static final byte[] KEYSET_ASSOCIATED_DATA = "notejam-backup data key v1".getBytes(StandardCharsets.US_ASCII);

    private final KeyEncryptionKey keyEncryptionKey;

    public EnvelopeEncryption(KeyEncryptionKey keyEncryptionKey) {
        TinkSetup.register();
        this.keyEncryptionKey = keyEncryptionKey;
    }

    public String keyId() {
        return keyEncryptionKey.keyId();
    }

    /** Writes the header to {@code ciphertext} and returns the stream that encrypts into it. */
    public OutputStream encrypt(OutputStream ciphertext) throws IOException {
        try {
            KeysetHandle dataKey = KeysetHandle.generateNew(PredefinedStreamingAeadParameters.AES256_GCM_HKDF_1MB);
            byte[] wrapped = TinkProtoKeysetFormat.serializeEncryptedKeyset(dataKey, keyEncryptionKey.aead(), KEYSET_ASSOCIATED_DATA);
            byte[] header = header(keyEncryptionKey.keyId(), wrapped);
            ciphertext.write(header);
            StreamingAead aead = dataKey.getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
            return aead.newEncryptingStream(ciphertext, header);
        } catch (GeneralSecurityException e) {
            throw new CryptoFailure("cannot create and wrap a data key with " + keyEncryptionKey.keyId() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads the header from {@code ciphertext} and returns the plaintext stream. Reads from it throw
     * {@link IOException} as soon as a segment fails authentication.
     */
    public InputStream decrypt(InputStream ciphertext) throws IOException {
        DataInputStream in = new DataInputStream(ciphertext);
        byte[] magic = new byte[MAGIC.length];
        try {
            in.readFully(magic);
            if (!Arrays.equals(magic, MAGIC) || in.readUnsignedByte() != VERSION) {
                throw new CryptoFailure("not a notejam backup (bad header): the object is corrupted or is something else");
            }
            int keyIdLength = in.readUnsignedShort();
            if (keyIdLength > MAX_KEY_ID) {
                throw new CryptoFailure("corrupted header: key id length " + keyIdLength);
            }
            byte[] keyIdBytes = in.readNBytes(keyIdLength);
            int wrappedLength = in.readInt();
            if (wrappedLength <= 0 || wrappedLength > MAX_WRAPPED_KEYSET) {
                throw new CryptoFailure("corrupted header: wrapped key length " + wrappedLength);
            }
            byte[] wrapped = new byte[wrappedLength];
            in.readFully(wrapped);
            String keyId = new String(keyIdBytes, StandardCharsets.UTF_8);
            if (!keyEncryptionKey.mayUnwrap(keyId)) {
                throw new CryptoFailure("wrong key: the backup was encrypted with key " + keyId
                        + " but the configured key is " + keyEncryptionKey.keyId());
            }
            KeysetHandle dataKey;
            try {
                dataKey = TinkProtoKeysetFormat.parseEncryptedKeyset(wrapped, keyEncryptionKey.aead(), KEYSET_ASSOCIATED_DATA);
            } catch (GeneralSecurityException e) {
                throw new CryptoFailure("cannot unwrap the backup's data key (wrapped by " + keyId + ") with "
                        + keyEncryptionKey.keyId() + ": wrong key or corrupted header (" + e.getMessage() + ")", e);
            }
            StreamingAead aead = dataKey.getPrimitive(RegistryConfiguration.get(), StreamingAead.class);
            return aead.newDecryptingStream(in, header(keyId, wrapped));
        } catch (EOFException e) {
            throw new CryptoFailure("the object ends inside its header: it is truncated", e);
        } catch (GeneralSecurityException e) {
            throw new CryptoFailure("cannot set up decryption: " + e.getMessage(), e);
        }
    }

    private static byte[] header(String keyId, byte[] wrapped) throws IOException {
        byte[] keyIdBytes = keyId.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write(MAGIC);
        out.writeByte(VERSION);
        out.writeShort(keyIdBytes.length);
        out.write(keyIdBytes);
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
