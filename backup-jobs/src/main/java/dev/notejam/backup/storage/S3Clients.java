package dev.notejam.backup.storage;

import dev.notejam.backup.config.BackupSettings;
import java.io.PrintStream;
import java.time.Duration;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
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

    /** Tells on stderr when a request is retried, so a slow or failing S3 is visible while it happens. */
    static final class RetryReporter implements ExecutionInterceptor {
        private static final ExecutionAttribute<Integer> ATTEMPT = new ExecutionAttribute<>("notejam.attempt");
        private final int maxAttempts;
        private final PrintStream out;

        RetryReporter(int maxAttempts, PrintStream out) {
            this.maxAttempts = maxAttempts;
            this.out = out;
        }

        @Override
        public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
            Integer previous = attributes.getAttribute(ATTEMPT);
            int attempt = previous == null ? 1 : previous + 1;
            attributes.putAttribute(ATTEMPT, attempt);
            if (attempt > 1) {
                out.println("S3 " + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME) + ": retrying, attempt "
                        + attempt + " of " + maxAttempts);
            }
        }
    }

    public static S3Client create(BackupSettings settings, PrintStream progress) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .httpClientBuilder(ApacheHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(5))
                        .socketTimeout(Duration.ofSeconds(60))
                        .maxConnections(8))
                .overrideConfiguration(o -> o.retryStrategy(retryStrategy(settings.s3MaxAttempts()))
                        .addExecutionInterceptor(new RetryReporter(settings.s3MaxAttempts(), progress))
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
