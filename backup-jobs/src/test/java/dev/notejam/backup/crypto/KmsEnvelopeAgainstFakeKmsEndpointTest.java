package dev.notejam.backup.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * AWS KMS cannot run here, so this test uses a FAKE KMS endpoint (a tiny HTTP server speaking KMS's JSON protocol
 * for Encrypt/Decrypt) reached by the real AWS SDK KMS client. It proves the envelope wiring: the data key is wrapped
 * by KMS with the backup's encryption context, unwrapped on restore, and a KMS refusal is reported as a key problem.
 */
class KmsEnvelopeAgainstFakeKmsEndpointTest {

    private static final String KEY_ARN = "arn:aws:kms:eu-west-1:123456789012:key/mrk-0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final BackupBinding BINDING = new BackupBinding("prod", "prod/postgres/2026/05/202605010200-scheduled.dump.zst.enc", "202605010200");

    private HttpServer server;
    private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    private byte[] masterKey = random(32);

    @BeforeEach
    void startFakeKms() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private KmsKeyEncryptionKey kmsKey() {
        KmsClient kms = KmsClient.builder().region(Region.EU_WEST_1)
                .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("fake", "fake")))
                .build();
        return new KmsKeyEncryptionKey(KEY_ARN, kms);
    }

    @Test
    void dataKeyIsWrappedAndUnwrappedByKmsWithTheBackupContext() throws Exception {
        EnvelopeEncryption envelope = new EnvelopeEncryption(kmsKey());
        byte[] plaintext = random(2_500_000);
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        try (OutputStream out = envelope.encrypt(envelope.seal(BINDING), stored)) {
            out.write(plaintext);
        }
        byte[] decrypted;
        EnvelopeEncryption.OpenedBackup opened = envelope.open(new ByteArrayInputStream(stored.toByteArray()), BINDING);
        try (InputStream in = opened.decrypt(new ByteArrayInputStream(stored.toByteArray()))) {
            decrypted = in.readAllBytes();
        }
        assertThat(decrypted).isEqualTo(plaintext);
        assertThat(requests).extracting(r -> r.path("target").asText()).containsExactly("TrentService.Encrypt", "TrentService.Decrypt");
        assertThat(requests).allSatisfy(r -> {
            assertThat(r.path("body").path("KeyId").asText()).isEqualTo(KEY_ARN);
            assertThat(r.path("body").path("EncryptionContext").path("purpose").asText()).isEqualTo("notejam-backup");
            // The backup's binding is the encryption context: KMS opens the key only for this environment, key and time.
            assertThat(r.path("body").path("EncryptionContext").path("environment").asText()).isEqualTo("prod");
            assertThat(r.path("body").path("EncryptionContext").path("object").asText()).isEqualTo(BINDING.objectKey());
            assertThat(r.path("body").path("EncryptionContext").path("taken").asText()).isEqualTo("202605010200");
        });
        // Only the wrapped data key travels to KMS, never the backup data.
        assertThat(requests.get(0).path("body").path("Plaintext").asText().length()).isLessThan(1000);
        assertThat(envelope.keyId()).isEqualTo(KEY_ARN);
    }

    @Test
    void kmsRefusalIsReportedAsAKeyProblem() throws Exception {
        EnvelopeEncryption envelope = new EnvelopeEncryption(kmsKey());
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        try (OutputStream out = envelope.encrypt(envelope.seal(BINDING), stored)) {
            out.write(random(1000));
        }
        masterKey = random(32); // as if another key (or a key the role may not use)
        assertThatThrownBy(() -> envelope.open(new ByteArrayInputStream(stored.toByteArray()), BINDING))
                .isInstanceOf(EnvelopeEncryption.CryptoFailure.class)
                .hasMessageContaining("cannot unwrap the backup's data key")
                .hasMessageContaining("KMS could not unwrap the data key with " + KEY_ARN);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        JsonNode body = JSON.readTree(exchange.getRequestBody());
        ObjectNode seen = JSON.createObjectNode().put("target", target);
        seen.set("body", body);
        requests.add(seen);
        ObjectNode response = JSON.createObjectNode();
        int status = 200;
        try {
            byte[] context = JSON.writeValueAsBytes(body.path("EncryptionContext"));
            if ("TrentService.Encrypt".equals(target)) {
                byte[] iv = random(12);
                byte[] sealed = gcm(Cipher.ENCRYPT_MODE, iv, context, Base64.getDecoder().decode(body.path("Plaintext").asText()));
                byte[] blob = new byte[12 + sealed.length];
                System.arraycopy(iv, 0, blob, 0, 12);
                System.arraycopy(sealed, 0, blob, 12, sealed.length);
                response.put("CiphertextBlob", Base64.getEncoder().encodeToString(blob)).put("KeyId", KEY_ARN);
            } else {
                byte[] blob = Base64.getDecoder().decode(body.path("CiphertextBlob").asText());
                byte[] iv = java.util.Arrays.copyOf(blob, 12);
                byte[] opened = gcm(Cipher.DECRYPT_MODE, iv, context, java.util.Arrays.copyOfRange(blob, 12, blob.length));
                response.put("Plaintext", Base64.getEncoder().encodeToString(opened)).put("KeyId", KEY_ARN);
            }
        } catch (Exception e) {
            status = 400;
            response = JSON.createObjectNode().put("__type", "InvalidCiphertextException").put("message", "fake KMS: cannot decrypt");
        }
        byte[] bytes = JSON.writeValueAsBytes(response);
        exchange.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private byte[] gcm(int mode, byte[] iv, byte[] aad, byte[] input) throws Exception {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, new SecretKeySpec(masterKey, "AES"), new GCMParameterSpec(128, iv));
        cipher.updateAAD(aad);
        return cipher.doFinal(input);
    }

    private static byte[] random(int size) {
        byte[] bytes = new byte[size];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
