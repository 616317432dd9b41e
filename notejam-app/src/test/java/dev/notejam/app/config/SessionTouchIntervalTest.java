package dev.notejam.app.config;

import dev.notejam.app.testsupport.Browser;
import dev.notejam.app.testsupport.RedisCommandCalls;
import dev.notejam.app.testsupport.WebTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.RedisOperations;
import org.springframework.session.data.redis.RedisIndexedSessionRepository;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A session's access time is written to (real) Redis at most once per interval (1 minute, application.yml); every
 * other change of a session is still saved at once, and the session timeout still holds.
 */
class SessionTouchIntervalTest extends WebTest {

    private static final List<String> WRITE_COMMANDS = List.of("hset", "hmset", "append", "expire", "pexpire", "sadd",
            "srem", "rename", "del");

    @Autowired
    RedisConnectionFactory redis;

    @Autowired
    RedisIndexedSessionRepository redisSessions;

    @Autowired
    NotejamProperties properties;

    private long writes() {
        return RedisCommandCalls.of(redis, WRITE_COMMANDS.toArray(String[]::new));
    }

    private RedisOperations<String, Object> sessionStore() {
        return redisSessions.getSessionRedisOperations();
    }

    private static String sessionKey(Browser user) {
        return sessionKey(user.sessionId().orElseThrow());
    }

    private static String sessionKey(String sessionId) {
        return "notejam:session:sessions:" + sessionId;
    }

    private Instant storedLastAccess(Browser user) {
        Object millis = sessionStore().opsForHash().get(sessionKey(user), "lastAccessedTime");
        return Instant.ofEpochMilli(((Number) millis).longValue());
    }

    /** As if the session had last been written to Redis {@code ago} before now. */
    private void storeLastAccess(Browser user, Duration ago) {
        sessionStore().opsForHash().put(sessionKey(user), "lastAccessedTime", Instant.now().minus(ago).toEpochMilli());
    }

    @Test
    void theIntervalIsOneMinuteAndTheRepositoryFieldsItReadsExist() {
        assertThat(properties.sessionTouchInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(SessionTouchInterval.supported()).as("RedisSession fields read by SessionTouchInterval").isTrue();
    }

    @Test
    void pagesWithinTheIntervalOnlyReadTheSession() {
        Browser user = signedInUser();
        user.get("/"); // the first page after sign-in also removes the sign-in flash message: a real change
        Instant stored = storedLastAccess(user);
        long writesBefore = writes();
        long readsBefore = RedisCommandCalls.of(redis, "hgetall");
        for (int i = 0; i < 10; i++) {
            assertThat(user.get("/").status()).isEqualTo(200);
        }
        assertThat(writes() - writesBefore).as("Redis writes for 10 pages").isZero();
        assertThat(RedisCommandCalls.of(redis, "hgetall") - readsBefore).as("session reads for 10 pages").isEqualTo(10);
        assertThat(storedLastAccess(user)).isEqualTo(stored);
    }

    @Test
    void aPageAfterTheIntervalWritesTheAccessTimeAndRenewsTheExpiry() {
        Browser user = signedInUser();
        user.get("/");
        storeLastAccess(user, Duration.ofSeconds(61));
        sessionStore().expire(sessionKey(user), Duration.ofMinutes(10));

        long writesBefore = writes();
        assertThat(user.get("/").status()).isEqualTo(200);

        assertThat(writes() - writesBefore).as("Redis writes of one access-time save").isPositive();
        assertThat(storedLastAccess(user)).isCloseTo(Instant.now(), within(5, ChronoUnit.SECONDS));
        // the session timeout (2 h, application.yml) plus the repository's 5 minutes of grace
        assertThat(sessionStore().getExpire(sessionKey(user), TimeUnit.SECONDS))
                .isBetween(Duration.ofMinutes(124).toSeconds(), Duration.ofMinutes(125).toSeconds());
    }

    @Test
    void aChangeOfTheSessionWithinTheIntervalIsSavedAtOnce() {
        Browser user = signedInUser();
        user.get("/");
        Instant stored = storedLastAccess(user);
        long writesBefore = writes();

        // creating a pad puts a flash message in the session
        Browser.Response created = user.submit("/pads/create/", "/pads/create/", Map.of("name", "Touched"));
        assertThat(created.status()).isEqualTo(302);

        assertThat(writes() - writesBefore).isPositive();
        assertThat(sessionStore().opsForHash().keys(sessionKey(user)))
                .anySatisfy(field -> assertThat(field).asString().containsIgnoringCase("flash"));
        assertThat(storedLastAccess(user)).isAfterOrEqualTo(stored);
        assertThat(user.get(created.location()).flash()).isEqualTo("Pad is successfully created");
    }

    @Test
    void aSessionIdleForLongerThanItsTimeoutIsStillSignedOut() {
        Browser user = signedInUser();
        user.get("/");
        storeLastAccess(user, Duration.ofHours(2).plusSeconds(1));

        Browser.Response page = user.get("/");

        assertThat(page.status()).isEqualTo(302);
        assertThat(page.location()).contains("/signin");
    }

    @Test
    void signInWithinTheIntervalStillRotatesAndSavesTheSessionId() {
        String email = uniqueEmail();
        Browser user = browser();
        user.submit("/signup/", "/signup/", Map.of("email", email, "password", PASSWORD, "repeatPassword", PASSWORD));
        user.get("/signin/");
        String anonymous = user.sessionId().orElseThrow();

        Browser.Response signin = user.post("/signin/", Map.of("email", email, "password", PASSWORD));

        assertThat(signin.status()).isEqualTo(302);
        String signedIn = user.sessionId().orElseThrow();
        assertThat(signedIn).isNotEqualTo(anonymous);
        assertThat(sessionStore().hasKey(sessionKey(anonymous))).isFalse();
        assertThat(sessionStore().hasKey(sessionKey(signedIn))).isTrue();
        assertThat(user.get("/").status()).isEqualTo(200);
    }
}
