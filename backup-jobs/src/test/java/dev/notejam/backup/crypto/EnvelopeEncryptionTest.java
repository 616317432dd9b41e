package dev.notejam.backup.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Real Tink streaming AEAD: any change to a stored backup, or storing it under another name, must fail before its plaintext is released. */
class EnvelopeEncryptionTest {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final BackupBinding BINDING = new BackupBinding("dev", "dev/postgres/2026/05/202605010200-scheduled.dump.zst.enc", "202605010200");
    private static final BackupBinding NEWER_NAME = new BackupBinding("dev", "dev/postgres/2026/06/202606010200-scheduled.dump.zst.enc", "202606010200");

    private static byte[] key() {
        byte[] key = new byte[32];
        RANDOM.nextBytes(key);
        return key;
    }

    private static byte[] plaintext() {
        byte[] data = new byte[3 * 1024 * 1024 + 12345]; // spans several 1 MiB segments
        new Random(1).nextBytes(data);
        return data;
    }

    private static byte[] encrypt(EnvelopeEncryption envelope, byte[] plaintext, BackupBinding binding) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream encrypting = envelope.encrypt(envelope.seal(binding), out)) {
            encrypting.write(plaintext);
        }
        return out.toByteArray();
    }

    private static byte[] encrypt(EnvelopeEncryption envelope, byte[] plaintext) throws IOException {
        return encrypt(envelope, plaintext, BINDING);
    }

    private static byte[] decrypt(EnvelopeEncryption envelope, byte[] ciphertext, BackupBinding expected) throws IOException {
        EnvelopeEncryption.OpenedBackup opened = envelope.open(new ByteArrayInputStream(ciphertext), expected);
        try (InputStream in = opened.decrypt(new ByteArrayInputStream(ciphertext))) {
            return in.readAllBytes();
        }
    }

    private static byte[] decrypt(EnvelopeEncryption envelope, byte[] ciphertext) throws IOException {
        return decrypt(envelope, ciphertext, BINDING);
    }

    @Test
    void roundTripsAndUsesAFreshDataKeyEachTime() throws IOException {
        EnvelopeEncryption envelope = new EnvelopeEncryption(new LocalKeyEncryptionKey(key()));
        byte[] plaintext = plaintext();
        byte[] first = encrypt(envelope, plaintext);
        byte[] second = encrypt(envelope, plaintext);
        assertThat(decrypt(envelope, first)).isEqualTo(plaintext);
        assertThat(Arrays.copyOfRange(first, first.length - 1000, first.length))
                .isNotEqualTo(Arrays.copyOfRange(second, second.length - 1000, second.length));
    }

    @Test
    void aFlippedByteAnywhereIsDetected() throws IOException {
        EnvelopeEncryption envelope = new EnvelopeEncryption(new LocalKeyEncryptionKey(key()));
        byte[] ciphertext = encrypt(envelope, plaintext());
        for (int position : new int[] {2, 30, 100, 200, ciphertext.length / 3, ciphertext.length - 1}) {
            byte[] tampered = ciphertext.clone();
            tampered[position] ^= 0x10;
            assertThatThrownBy(() -> decrypt(envelope, tampered)).as("flip at " + position).isInstanceOf(IOException.class);
        }
    }

    @Test
    void truncationIsDetectedEvenAtASegmentBoundary() throws IOException {
        EnvelopeEncryption envelope = new EnvelopeEncryption(new LocalKeyEncryptionKey(key()));
        byte[] ciphertext = encrypt(envelope, plaintext());
        for (int cut : new int[] {1, 16, 1024 * 1024, ciphertext.length - 100}) {
            byte[] truncated = Arrays.copyOf(ciphertext, ciphertext.length - cut);
            assertThatThrownBy(() -> decrypt(envelope, truncated)).as("cut " + cut).isInstanceOf(IOException.class);
        }
    }

    @Test
    void aWrongKeyIsNamedAsSuch() throws IOException {
        byte[] ciphertext = encrypt(new EnvelopeEncryption(new LocalKeyEncryptionKey(key())), plaintext());
        EnvelopeEncryption other = new EnvelopeEncryption(new LocalKeyEncryptionKey(key()));
        assertThatThrownBy(() -> decrypt(other, ciphertext)).isInstanceOf(EnvelopeEncryption.CryptoFailure.class)
                .hasMessageContaining("wrong key").hasMessageContaining(other.keyId());
    }

    @Test
    void aBackupOpenedUnderAnotherNameOrEnvironmentIsRefusedAndNamesBoth() throws IOException {
        EnvelopeEncryption envelope = new EnvelopeEncryption(new LocalKeyEncryptionKey(key()));
        byte[] ciphertext = encrypt(envelope, plaintext());
        assertThatThrownBy(() -> decrypt(envelope, ciphertext, NEWER_NAME)).isInstanceOf(EnvelopeEncryption.CryptoFailure.class)
                .hasMessageContaining("stored as " + NEWER_NAME.objectKey()).hasMessageContaining("was made as " + BINDING.objectKey());
        BackupBinding otherEnvironment = new BackupBinding("prod", BINDING.objectKey(), BINDING.takenAt());
        assertThatThrownBy(() -> decrypt(envelope, ciphertext, otherEnvironment)).hasMessageContaining("environment dev");
    }

    @Test
    void rewritingTheHeaderToTheNewNameDoesNotHelp() throws IOException {
        EnvelopeEncryption envelope = new EnvelopeEncryption(new LocalKeyEncryptionKey(key()));
        byte[] ciphertext = encrypt(envelope, plaintext());
        // Same length names, so the forged header has the same layout: only the binding text differs.
        byte[] forged = replace(ciphertext, BINDING.canonicalBytes(), NEWER_NAME.canonicalBytes());
        assertThatThrownBy(() -> decrypt(envelope, forged, NEWER_NAME)).isInstanceOf(EnvelopeEncryption.CryptoFailure.class)
                .hasMessageContaining("cannot unwrap the backup's data key");
    }

    @Test
    void aRotatedLocalKeyStillOpensOldBackupsWhileNewOnesUseTheNewKey() throws IOException {
        LocalKeyEncryptionKey oldKey = new LocalKeyEncryptionKey(key());
        LocalKeyEncryptionKey newKey = new LocalKeyEncryptionKey(key());
        byte[] plaintext = plaintext();
        byte[] old = encrypt(new EnvelopeEncryption(oldKey), plaintext);

        EnvelopeEncryption rotated = new EnvelopeEncryption(new KeyRing(newKey, List.of(oldKey)));
        assertThat(rotated.keyId()).isEqualTo(newKey.keyId());
        assertThat(decrypt(rotated, old)).isEqualTo(plaintext);
        byte[] fresh = encrypt(rotated, plaintext);
        assertThat(rotated.open(new ByteArrayInputStream(fresh), BINDING).keyId()).isEqualTo(newKey.keyId());
        // Once the old key is dropped from the ring, its backups no longer open, and the message names the keys.
        assertThatThrownBy(() -> decrypt(new EnvelopeEncryption(newKey), old)).hasMessageContaining("wrong key")
                .hasMessageContaining(oldKey.keyId()).hasMessageContaining(newKey.keyId() + " (current)");
    }

    @Test
    void theManifestKeyAuthenticatesOnlyTheManifestItWasComputedFor() throws IOException {
        EnvelopeEncryption envelope = new EnvelopeEncryption(new LocalKeyEncryptionKey(key()));
        byte[] ciphertext = encrypt(envelope, plaintext());
        EnvelopeEncryption.OpenedBackup opened = envelope.open(new ByteArrayInputStream(ciphertext), BINDING);
        byte[] manifest = "{\"sha256\":\"abc\"}".getBytes(StandardCharsets.UTF_8);
        String mac = opened.manifestMac(manifest);
        assertThat(opened.manifestMacMatches(manifest, mac)).isTrue();
        assertThat(opened.manifestMacMatches("{\"sha256\":\"abd\"}".getBytes(StandardCharsets.UTF_8), mac)).isFalse();
        // Another backup's key gives another MAC for the same manifest.
        byte[] other = encrypt(envelope, plaintext());
        assertThat(envelope.open(new ByteArrayInputStream(other), BINDING).manifestMacMatches(manifest, mac)).isFalse();
    }

    @Test
    void theKeyIdRevealsNothingOfTheKey() {
        byte[] raw = key();
        String keyId = new LocalKeyEncryptionKey(raw).keyId();
        assertThat(keyId).startsWith("local:").hasSize("local:".length() + 16);
        assertThat(keyId).doesNotContain(java.util.HexFormat.of().formatHex(raw).substring(0, 16));
        assertThat(new LocalKeyEncryptionKey(raw).keyId()).isEqualTo(keyId);
    }

    private static byte[] replace(byte[] data, byte[] from, byte[] to) {
        assertThat(to).hasSameSizeAs(from);
        for (int i = 0; i <= data.length - from.length; i++) {
            if (Arrays.equals(data, i, i + from.length, from, 0, from.length)) {
                byte[] copy = data.clone();
                System.arraycopy(to, 0, copy, i, to.length);
                return copy;
            }
        }
        throw new AssertionError("binding not found in the header");
    }
}
