package dev.notejam.app.credentials;

import com.zaxxer.hikari.HikariCredentialsProvider;
import com.zaxxer.hikari.util.Credentials;

/**
 * HikariCP asks this for the user name and password of every connection it opens (HikariCP's own extension point,
 * no DataSource wrapper): pooled connections keep working when the token or password changes, new ones use the
 * current one.
 */
final class DatabaseCredentialsPerConnection implements HikariCredentialsProvider {

    private final String username;
    private final ConnectionTokens tokens;

    DatabaseCredentialsPerConnection(String username, ConnectionTokens tokens) {
        this.username = username;
        this.tokens = tokens;
    }

    @Override
    public Credentials getCredentials() {
        return Credentials.of(username, tokens.forNewConnection());
    }
}
