package dev.notejam.app.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Fixed-window counters in Redis, shared by every replica, for abuse limits (sign-in failures, reset requests).
 * Keys hold a hash of the subject, never an e-mail address in clear.
 */
@Component
public class RateLimiter {

    private static final Logger log = LoggerFactory.getLogger(RateLimiter.class);

    /** INCR and set the window's expiry on first use, atomically; returns the count and the seconds left. */
    private static final RedisScript<List> HIT = RedisScript.of("""
            local count = redis.call('INCR', KEYS[1])
            if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
            return {count, redis.call('TTL', KEYS[1])}""", List.class);
    private static final RedisScript<List> PEEK = RedisScript.of("""
            local count = redis.call('GET', KEYS[1])
            return {tonumber(count) or 0, redis.call('TTL', KEYS[1])}""", List.class);

    /** Gives back one counted event, if its window is still open (a DECR on a missing key would outlive the window). */
    private static final RedisScript<Long> UNDO = RedisScript.of("""
            if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('DECR', KEYS[1]) end
            return 0""", Long.class);

    private final StringRedisTemplate redis;

    public RateLimiter(StringRedisTemplate redis) {
        this.redis = redis;
    }

    /** A limit: at most {@code max} events per {@code window} for one subject of one kind. */
    public record Limit(String kind, int max, Duration window) {
    }

    /** Result of a check: allowed or not, and when the window ends. */
    public record Decision(boolean allowed, long retryAfterSeconds) {

        public long retryAfterMinutes() {
            return Math.max(1, (retryAfterSeconds + 59) / 60);
        }
    }

    /** Counts one event and tells whether it is still within the limit. */
    public Decision hit(Limit limit, String subject) {
        return run(HIT, limit, subject, true);
    }

    /** Tells whether the subject is already over the limit, without counting. */
    public Decision check(Limit limit, String subject) {
        return run(PEEK, limit, subject, false);
    }

    /** Gives back one event counted by {@link #hit}, for events that turned out fine (a successful sign-in). */
    public void undo(Limit limit, String subject) {
        try {
            redis.execute(UNDO, List.of(key(limit, subject)));
        } catch (DataAccessException e) {
            log.warn("Could not give back rate limit {}: {}", limit.kind(), e.getMessage());
        }
    }

    /**
     * One turn per interval for a subject, across replicas: true for the first caller in each interval
     * ({@code SET NX PX}), false for every other caller until it ends.
     */
    public boolean takeTurn(String kind, String subject, Duration interval) {
        try {
            return Boolean.TRUE.equals(redis.opsForValue().setIfAbsent(key(new Limit(kind, 1, interval), subject), "1", interval));
        } catch (DataAccessException e) {
            log.warn("Rate limit {} not checked, Redis unavailable: {}", kind, e.getMessage());
            return true;
        }
    }

    public void reset(Limit limit, String subject) {
        try {
            redis.delete(key(limit, subject));
        } catch (DataAccessException e) {
            log.warn("Could not reset rate limit {}: {}", limit.kind(), e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private Decision run(RedisScript<List> script, Limit limit, String subject, boolean counting) {
        try {
            List<Long> result = redis.execute(script, List.of(key(limit, subject)), String.valueOf(limit.window().toSeconds()));
            long count = result.get(0);
            long ttl = Math.max(0, result.get(1));
            boolean allowed = counting ? count <= limit.max() : count < limit.max();
            return new Decision(allowed, ttl);
        } catch (DataAccessException e) {
            // Without Redis there are no sessions either (readiness is DOWN); do not lock everyone out on top.
            log.warn("Rate limit {} not checked, Redis unavailable: {}", limit.kind(), e.getMessage());
            return new Decision(true, 0);
        }
    }

    private static String key(Limit limit, String subject) {
        return "notejam:ratelimit:" + limit.kind() + ":" + sha256(subject.strip().toLowerCase(Locale.ROOT));
    }

    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
