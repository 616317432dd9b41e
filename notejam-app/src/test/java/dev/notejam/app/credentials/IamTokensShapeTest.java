package dev.notejam.app.credentials;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4PresignerParams;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.regions.Region;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The IAM tokens the app signs, with static credentials and a fixed clock (no AWS account here: whether AWS accepts
 * them is proven only on AWS). The ElastiCache token is compared with what the SDK's older presigner, the one behind
 * {@code RdsUtilities} and AWS's ElastiCache example, makes of the same request.
 */
class IamTokensShapeTest {

    private static final AwsBasicCredentials KEYS = AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-05T01:02:03Z"), ZoneOffset.UTC);

    @Test
    void elastiCacheTokenIsAPresignedConnectOfTheReplicationGroupForTheUser() {
        String token = new ElastiCacheIamTokens("notejam-prod", "notejam-app", "eu-west-1",
                StaticCredentialsProvider.create(KEYS), CLOCK).forNewConnection();

        assertThat(token).startsWith("notejam-prod/?").doesNotContain("http://", " ");
        Map<String, String> query = query(token);
        assertThat(query).containsEntry("Action", "connect")
                .containsEntry("User", "notejam-app")
                .containsEntry("X-Amz-Algorithm", "AWS4-HMAC-SHA256")
                .containsEntry("X-Amz-Credential", "AKIDEXAMPLE/20261205/eu-west-1/elasticache/aws4_request")
                .containsEntry("X-Amz-Date", "20261205T010203Z")
                .containsEntry("X-Amz-Expires", "900")
                .containsEntry("X-Amz-SignedHeaders", "host")
                .doesNotContainKey("X-Amz-Security-Token");
        assertThat(query.get("X-Amz-Signature")).matches("[0-9a-f]{64}");

        assertThat(query).as("same parameters and signature as the SDK's older presigner")
                .isEqualTo(query(legacyPresign("notejam-prod", "notejam-app", "eu-west-1")));
    }

    @Test
    void elastiCacheTokenCarriesTheSessionTokenOfTemporaryCredentials() {
        // Pod Identity and IRSA hand out temporary credentials: the session token must travel in the token.
        var temporary = AwsSessionCredentials.create("ASIAEXAMPLE", "secret", "session-token/with+chars=");
        Map<String, String> query = query(new ElastiCacheIamTokens("notejam-prod", "notejam-app", "eu-west-1",
                StaticCredentialsProvider.create(temporary), CLOCK).forNewConnection());
        assertThat(query).containsEntry("X-Amz-Security-Token", "session-token/with+chars=")
                .containsEntry("X-Amz-Credential", "ASIAEXAMPLE/20261205/eu-west-1/elasticache/aws4_request");
    }

    @Test
    void rdsTokenIsAPresignedConnectOfTheEndpointForTheDatabaseUser() {
        String token = new RdsIamTokens("jdbc:postgresql://notejam.abc123.eu-west-1.rds.amazonaws.com:5432/notejam?sslmode=verify-full",
                "notejam_app", "eu-west-1", StaticCredentialsProvider.create(KEYS)).forNewConnection();

        assertThat(token).startsWith("notejam.abc123.eu-west-1.rds.amazonaws.com:5432/?").doesNotContain("https://");
        Map<String, String> query = query(token);
        assertThat(query).containsEntry("Action", "connect")
                .containsEntry("DBUser", "notejam_app")
                .containsEntry("X-Amz-SignedHeaders", "host");
        // RdsUtilities takes "now + 15 minutes" before signing, on the real clock: 900 s, or 899 when a second ticked.
        assertThat(query.get("X-Amz-Expires")).isIn("899", "900");
        assertThat(query.get("X-Amz-Credential")).startsWith("AKIDEXAMPLE/").endsWith("/eu-west-1/rds-db/aws4_request");
    }

    @Test
    void rdsTokensNeedOneHostInTheJdbcUrl() {
        assertThat(RdsIamTokens.endpointOf("jdbc:postgresql://db.internal/notejam").getPort()).isEqualTo(-1);
        assertThatThrownBy(() -> RdsIamTokens.endpointOf("jdbc:postgresql://a:5432,b:5432/notejam"))
                .hasMessageContaining("SPRING_DATASOURCE_URL of one host");
        assertThatThrownBy(() -> RdsIamTokens.endpointOf("jdbc:mysql://db:3306/notejam"))
                .hasMessageContaining("SPRING_DATASOURCE_URL of one host");
    }

    @SuppressWarnings("deprecation")
    private static String legacyPresign(String replicationGroupId, String userId, String region) {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.GET).protocol("http")
                .host(replicationGroupId).encodedPath("/")
                .putRawQueryParameter("Action", "connect").putRawQueryParameter("User", userId).build();
        Aws4PresignerParams params = Aws4PresignerParams.builder()
                .awsCredentials(KEYS).signingName("elasticache").signingRegion(Region.of(region))
                .expirationTime(CLOCK.instant().plusSeconds(900)).signingClockOverride(CLOCK).build();
        return Aws4Signer.create().presign(request, params).getUri().toString().replaceFirst("^http://", "");
    }

    private static Map<String, String> query(String token) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : URI.create("http://" + token).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            values.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return values;
    }
}
