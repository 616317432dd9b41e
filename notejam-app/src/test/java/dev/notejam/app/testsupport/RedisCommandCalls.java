package dev.notejam.app.testsupport;

import org.springframework.data.redis.connection.RedisConnectionFactory;

import java.util.Properties;

/** How many times the (real) Redis server has run given commands, from {@code INFO commandstats}. */
public final class RedisCommandCalls {

    private RedisCommandCalls() {
    }

    /** Calls of all the given commands (lower case, e.g. {@code hgetall}) since the server started. */
    public static long of(RedisConnectionFactory redis, String... commands) {
        try (var connection = redis.getConnection()) {
            Properties stats = connection.serverCommands().info("commandstats");
            long total = 0;
            for (String command : commands) {
                String stat = stats.getProperty("cmdstat_" + command, "calls=0,");
                total += Long.parseLong(stat.substring("calls=".length(), stat.indexOf(',')));
            }
            return total;
        }
    }
}
