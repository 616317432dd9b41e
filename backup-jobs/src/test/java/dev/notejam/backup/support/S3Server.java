package dev.notejam.backup.support;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server in-process: S3Proxy over jclouds' filesystem store, on 127.0.0.1, with SigV4
 * authentication. The jobs reach it with the real AWS SDK over HTTP; their credentials come from the SDK's default
 * chain (Java system properties set here), as in production.
 */
public final class S3Server {

    public static final String ACCESS_KEY = "test-access-key";
    public static final String SECRET_KEY = "test-secret-key";
    public static final String REGION = "us-east-1";

    private static S3Server shared;

    private final S3Proxy proxy;
    private final URI endpoint;

    private S3Server(S3Proxy proxy, URI endpoint) {
        this.proxy = proxy;
        this.endpoint = endpoint;
    }

    public static synchronized S3Server shared() {
        if (shared == null) {
            try {
                Path dir = Files.createTempDirectory("notejam-backup-s3");
                Properties properties = new Properties();
                properties.setProperty("jclouds.filesystem.basedir", dir.toString());
                BlobStoreContext context = ContextBuilder.newBuilder("filesystem").credentials("unused", "unused")
                        .overrides(properties).build(BlobStoreContext.class);
                URI endpoint = URI.create("http://127.0.0.1:" + PostgresServer.freePort());
                S3Proxy proxy = S3Proxy.builder().blobStore(context.getBlobStore()).endpoint(endpoint)
                        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY).build();
                proxy.start();
                for (int i = 0; i < 100 && !"STARTED".equals(proxy.getState()); i++) {
                    Thread.sleep(50);
                }
                System.setProperty("aws.accessKeyId", ACCESS_KEY);
                System.setProperty("aws.secretAccessKey", SECRET_KEY);
                shared = new S3Server(proxy, endpoint);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        proxy.stop();
                    } catch (Exception ignored) {
                        // JVM is exiting
                    }
                }));
            } catch (Exception e) {
                throw new IllegalStateException("could not start S3Proxy: " + e.getMessage(), e);
            }
        }
        return shared;
    }

    public URI endpoint() {
        return endpoint;
    }

    /** A client for the tests' own inspection and tampering (the jobs build theirs from settings). */
    public S3Client client() {
        return S3Client.builder().endpointOverride(endpoint).region(Region.of(REGION)).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .requestChecksumCalculation(software.amazon.awssdk.core.checksums.RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(software.amazon.awssdk.core.checksums.ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    public String createBucket(String prefix) {
        String bucket = prefix + "-" + Long.toHexString(System.nanoTime());
        try (S3Client s3 = client()) {
            s3.createBucket(r -> r.bucket(bucket));
        }
        return bucket;
    }
}
