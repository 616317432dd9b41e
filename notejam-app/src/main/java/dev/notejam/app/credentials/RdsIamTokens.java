package dev.notejam.app.credentials;

import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsUtilities;

import java.net.URI;

/**
 * RDS IAM authentication tokens for one database user at one endpoint, made by the AWS SDK's own
 * {@link RdsUtilities#generateAuthenticationToken} (signed locally with the pod's credentials, no call to AWS).
 * Chosen over the AWS Advanced JDBC Wrapper's IAM plugin: that one wraps the driver and its URL, while HikariCP's
 * credentials provider needs only the token. Loaded only when {@code NOTEJAM_DATABASE_IAM_AUTH=true}.
 */
final class RdsIamTokens implements ConnectionTokens {

    private final RdsUtilities rds;
    private final String host;
    private final int port;
    private final String username;

    RdsIamTokens(String jdbcUrl, String username, String region, AwsCredentialsProvider credentials) {
        URI endpoint = endpointOf(jdbcUrl);
        this.host = endpoint.getHost();
        this.port = endpoint.getPort() > 0 ? endpoint.getPort() : 5432;
        this.username = username;
        this.rds = RdsUtilities.builder().region(Region.of(region)).credentialsProvider(credentials).build();
    }

    @Override
    public String forNewConnection() {
        return rds.generateAuthenticationToken(request -> request.hostname(host).port(port).username(username));
    }

    /** {@code jdbc:postgresql://host:port/db?...}: the token is signed for exactly this host and port. */
    static URI endpointOf(String jdbcUrl) {
        String prefix = "jdbc:postgresql://";
        if (jdbcUrl == null || !jdbcUrl.startsWith(prefix) || jdbcUrl.substring(prefix.length()).matches("[^/]*,.*")) {
            throw new IllegalArgumentException("NOTEJAM_DATABASE_IAM_AUTH needs SPRING_DATASOURCE_URL of one host, like "
                    + "jdbc:postgresql://<rds endpoint>:5432/notejam?sslmode=verify-full");
        }
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("NOTEJAM_DATABASE_IAM_AUTH: SPRING_DATASOURCE_URL names no host");
        }
        return uri;
    }
}
