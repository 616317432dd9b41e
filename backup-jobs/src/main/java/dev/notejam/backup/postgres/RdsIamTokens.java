package dev.notejam.backup.postgres;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.RdsUtilities;

/**
 * RDS IAM authentication tokens from the AWS SDK's own generator, signed locally with the job's credentials (Pod
 * Identity in the cluster) for the database host, port and user at hand.
 */
public final class RdsIamTokens implements DatabasePassword {

    private final String region;
    private RdsUtilities rds;

    public RdsIamTokens(String region) {
        this.region = region;
    }

    @Override
    public synchronized String forNewConnection(DatabaseAddress address, String user) {
        if (rds == null) {
            rds = RdsUtilities.builder().region(Region.of(region)).credentialsProvider(DefaultCredentialsProvider.builder().build()).build();
        }
        return rds.generateAuthenticationToken(r -> r.hostname(address.host()).port(address.port()).username(user));
    }

    @Override
    public String toString() {
        return "RDS IAM tokens (" + region + ")";
    }
}
