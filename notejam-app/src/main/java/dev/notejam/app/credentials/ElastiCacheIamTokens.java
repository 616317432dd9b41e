package dev.notejam.app.credentials;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;

import java.time.Clock;
import java.time.Duration;

/**
 * ElastiCache IAM authentication tokens: a SigV4 query-string signature (service {@code elasticache}, 15 minutes) of
 * {@code GET http://<replication group id>/?Action=connect&User=<user id>}, without the {@code http://}, as AWS's
 * ElastiCache guide describes. The SDK has no ready-made generator for it (unlike RDS), so this signs the request
 * with the SDK's own SigV4 signer. Loaded only when {@code NOTEJAM_REDIS_IAM_AUTH=true}.
 */
final class ElastiCacheIamTokens implements ConnectionTokens {

    static final Duration TOKEN_LIFETIME = Duration.ofSeconds(900);

    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final String replicationGroupId;
    private final String userId;
    private final String region;
    private final AwsCredentialsProvider credentials;
    private final Clock clock;

    ElastiCacheIamTokens(String replicationGroupId, String userId, String region, AwsCredentialsProvider credentials, Clock clock) {
        this.replicationGroupId = replicationGroupId;
        this.userId = userId;
        this.region = region;
        this.credentials = credentials;
        this.clock = clock;
    }

    @Override
    public String forNewConnection() {
        SdkHttpRequest connect = SdkHttpRequest.builder()
                .method(SdkHttpMethod.GET)
                .protocol("http")
                .host(replicationGroupId)
                .encodedPath("/")
                .putRawQueryParameter("Action", "connect")
                .putRawQueryParameter("User", userId)
                .build();
        SdkHttpRequest signed = signer.sign(request -> request
                        .identity(credentials.resolveCredentials())
                        .request(connect)
                        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "elasticache")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                        .putProperty(AwsV4FamilyHttpSigner.AUTH_LOCATION, AwsV4FamilyHttpSigner.AuthLocation.QUERY_STRING)
                        .putProperty(AwsV4FamilyHttpSigner.EXPIRATION_DURATION, TOKEN_LIFETIME)
                        .putProperty(HttpSigner.SIGNING_CLOCK, clock))
                .request();
        return signed.getUri().toString().replaceFirst("^http://", "");
    }
}
