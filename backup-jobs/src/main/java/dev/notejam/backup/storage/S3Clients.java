package dev.notejam.backup.storage;

import dev.notejam.backup.config.BackupSettings;
import java.time.Duration;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.retries.api.RetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Builds the S3 client. Credentials come only from the SDK's default chain (IRSA web identity in EKS); there is no
 * setting for static keys on purpose.
 */
public final class S3Clients {

    private S3Clients() {
    }

    /** Bounded retries with exponential backoff and jitter, so an unreachable S3 fails in seconds, not hours. */
    public static RetryStrategy retryStrategy(int maxAttempts) {
        return AwsRetryStrategy.standardRetryStrategy().toBuilder()
                .maxAttempts(maxAttempts)
                .backoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofMillis(200), Duration.ofSeconds(10)))
                .throttlingBackoffStrategy(BackoffStrategy.exponentialDelay(Duration.ofSeconds(1), Duration.ofSeconds(20)))
                .build();
    }

    public static S3Client create(BackupSettings settings) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .httpClientBuilder(ApacheHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(60))
                        .maxConnections(8))
                .overrideConfiguration(o -> o.retryStrategy(retryStrategy(settings.s3MaxAttempts()))
                        .apiCallAttemptTimeout(Duration.ofMinutes(5)))
                .forcePathStyle(settings.s3PathStyle());
        settings.s3Endpoint().ifPresent(endpoint -> builder
                .endpointOverride(endpoint)
                // S3-compatible servers often lack the newer flexible checksums; AWS keeps the SDK default.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED));
        return builder.build();
    }
}
