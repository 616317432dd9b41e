package dev.notejam.app.outage;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Drops Lettuce's shared connection after a command timed out, at most once per interval.
 * <p>
 * When the Redis primary vanishes without closing its connections (a zone lost, a node frozen), the TCP connection
 * stays "connected" until the kernel gives up on it (about 15 minutes), and every command on it waits for its
 * timeout. Lettuce does not reconnect on timeouts by itself. A new connection resolves the endpoint again and
 * reaches the replica that was promoted behind it.
 */
public class StuckRedisConnections {

    private static final Logger log = LoggerFactory.getLogger(StuckRedisConnections.class);

    private final LettuceConnectionFactory connections;
    private final long minNanosBetweenResets;
    private final AtomicLong lastReset = new AtomicLong();

    public StuckRedisConnections(LettuceConnectionFactory connections, Duration minIntervalBetweenResets) {
        this.connections = connections;
        this.minNanosBetweenResets = minIntervalBetweenResets.toNanos();
        this.lastReset.set(System.nanoTime() - minNanosBetweenResets);
    }

    public void commandTimedOut() {
        long now = System.nanoTime();
        long last = lastReset.get();
        if (now - last >= minNanosBetweenResets && lastReset.compareAndSet(last, now)) {
            log.warn("A Redis command timed out: dropping the shared Redis connection so that the next command opens a new one");
            connections.resetConnection();
        }
    }
}
