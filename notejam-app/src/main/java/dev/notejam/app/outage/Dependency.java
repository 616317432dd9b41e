package dev.notejam.app.outage;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisReadOnlyException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;

import java.io.IOException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The data stores a page needs, and which failures mean "that store is unreachable right now" (not a bug). */
public enum Dependency {
    DATABASE, REDIS;

    /**
     * PostgreSQL SQLSTATEs of an unreachable or changing server: class 08 (connection exception), 57P01-57P03
     * (shut down by an administrator, crash shutdown, cannot connect now: starting or in recovery) and 25006
     * (read-only transaction: a connection to a server that is a standby, e.g. just after a failover).
     */
    private static final Set<String> DATABASE_STATES = Set.of("57P01", "57P02", "57P03", "25006");

    /** Lettuce's message when a command is refused while its connection is down (disconnectedBehavior REJECT). */
    private static final String LETTUCE_NOT_CONNECTED = "Currently not connected";
    /** Lettuce's messages for a command that was in flight on a connection that closed or dropped. */
    private static final Set<String> LETTUCE_CONNECTION_LOST = Set.of("Connection closed", "Connection disconnected");

    /** The unreachable dependency behind this failure, if any: anything else stays a server error. */
    public static Optional<Dependency> unavailableIn(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.put(t, true) == null; t = t.getCause()) {
            if (isDatabaseOutage(t)) {
                return Optional.of(DATABASE);
            }
            if (isRedisOutage(t)) {
                return Optional.of(REDIS);
            }
        }
        return Optional.empty();
    }

    /** True for a Redis command that timed out: the connection may be stuck (a peer gone without a reset). */
    public static boolean isRedisTimeout(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.put(t, true) == null; t = t.getCause()) {
            if (t instanceof RedisCommandTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private static boolean isDatabaseOutage(Throwable t) {
        if (t instanceof CannotGetJdbcConnectionException || t instanceof CannotCreateTransactionException
                || t instanceof SQLTransientConnectionException || t instanceof SQLNonTransientConnectionException
                || t instanceof SQLRecoverableException) {
            return true;
        }
        if (t instanceof SQLException sql && sql.getSQLState() != null) {
            String state = sql.getSQLState();
            return state.startsWith("08") || DATABASE_STATES.contains(state);
        }
        return false;
    }

    private static boolean isRedisOutage(Throwable t) {
        return t instanceof RedisConnectionFailureException || t instanceof RedisConnectionException
                || t instanceof RedisCommandTimeoutException || t instanceof RedisReadOnlyException
                || t instanceof RedisLoadingException
                || (t instanceof RedisException && t.getMessage() != null
                    && (t.getMessage().startsWith(LETTUCE_NOT_CONNECTED) || t.getMessage().startsWith("MASTERDOWN")))
                // a command in flight when the server went away: its connection was reset or closed under it
                || (t instanceof RedisException && (t.getCause() instanceof IOException || LETTUCE_CONNECTION_LOST.contains(String.valueOf(t.getMessage()))));
    }

    /** Lower-case name, as in metrics and logs. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
