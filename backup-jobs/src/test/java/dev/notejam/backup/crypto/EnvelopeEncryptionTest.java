package dev.notejam.backup.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Real Tink streaming AEAD: any change to a stored backup must fail before its plaintext is released. */
class EnvelopeEncryptionTest {

    private static final SecureRandom RANDOM = new SecureRandom();

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

    private static byte[] encrypt(EnvelopeEncryption envelope, byte[] plaintext) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream encrypting = envelope.encrypt(out)) {
            encrypting.write(plaintext);
        }
        return out.toByteArray();
    }

    private static byte[] decrypt(EnvelopeEncryption envelope, byte[] ciphertext) throws IOException {
        try (InputStream in = envelope.decrypt(new ByteArrayInputStream(ciphertext))) {
            return in.readAllBytes();
        }
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
        for (int position : new int[] {2, 30, 200, ciphertext.length / 3, ciphertext.length - 1}) {
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
    void theKeyIdRevealsNothingOfTheKey() {
        byte[] raw = key();
        String keyId = new LocalKeyEncryptionKey(raw).keyId();
        assertThat(keyId).startsWith("local:").hasSize("local:".length() + 16);
        assertThat(keyId).doesNotContain(java.util.HexFormat.of().formatHex(raw).substring(0, 16));
        assertThat(new LocalKeyEncryptionKey(raw).keyId()).isEqualTo(keyId);
    }
}
