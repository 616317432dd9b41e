package dev.notejam.app.credentials;

/**
 * The password of each new connection to PostgreSQL or Redis: with IAM authentication a fresh token signed by the
 * pod's AWS credentials ({@link RdsIamTokens}, {@link ElastiCacheIamTokens}), valid 15 minutes for opening a
 * connection. Connections already open are not affected when tokens (or passwords) change.
 */
@FunctionalInterface
public interface ConnectionTokens {

    /** Called once per new connection, on the thread opening it; must not return null. */
    String forNewConnection();
}
