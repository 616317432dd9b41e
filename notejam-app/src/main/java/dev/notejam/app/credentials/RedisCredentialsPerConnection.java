package dev.notejam.app.credentials;

import io.lettuce.core.RedisCredentials;
import io.lettuce.core.RedisCredentialsProvider;
import reactor.core.publisher.Mono;

/**
 * Lettuce resolves this on every connection handshake (first connect and each reconnect) and sends
 * {@code AUTH <user> <token>} (or HELLO with them): a reconnect after a failover, or ElastiCache closing an
 * IAM-authenticated connection after 12 hours, gets a fresh token.
 */
final class RedisCredentialsPerConnection implements RedisCredentialsProvider {

    private final String username;
    private final ConnectionTokens tokens;

    RedisCredentialsPerConnection(String username, ConnectionTokens tokens) {
        this.username = username;
        this.tokens = tokens;
    }

    @Override
    public Mono<RedisCredentials> resolveCredentials() {
        return Mono.fromSupplier(() -> RedisCredentials.just(username, tokens.forNewConnection()));
    }
}
