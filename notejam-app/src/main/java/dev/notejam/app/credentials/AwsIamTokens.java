package dev.notejam.app.credentials;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

import java.time.Clock;

/**
 * The only class {@link IamAuthConfig} calls that touches the AWS SDK, and only once a flag is on: with both flags
 * off no AWS SDK class is loaded and start-up is unchanged. Credentials come from the SDK's default chain (EKS Pod
 * Identity, IRSA's web identity, environment, ...), which caches and refreshes them.
 */
final class AwsIamTokens {

    private static AwsCredentialsProvider credentials;

    private AwsIamTokens() {
    }

    private static synchronized AwsCredentialsProvider credentials() {
        if (credentials == null) {
            credentials = DefaultCredentialsProvider.builder().build();
        }
        return credentials;
    }

    static ConnectionTokens forDatabase(String jdbcUrl, String username, String region) {
        return new RdsIamTokens(jdbcUrl, username, region, credentials());
    }

    static ConnectionTokens forRedis(String replicationGroupId, String userId, String region) {
        return new ElastiCacheIamTokens(replicationGroupId, userId, region, credentials(), Clock.systemUTC());
    }
}
