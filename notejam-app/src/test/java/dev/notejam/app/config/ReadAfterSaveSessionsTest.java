package dev.notejam.app.config;

import dev.notejam.app.testsupport.Browser;
import dev.notejam.app.testsupport.RedisCommandCalls;
import dev.notejam.app.testsupport.WebTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.session.data.redis.RedisIndexedSessionRepository;

import static org.assertj.core.api.Assertions.assertThat;

/** Each signed-in page reads its session from (real) Redis once, and never from another request's saved copy. */
class ReadAfterSaveSessionsTest extends WebTest {

    @Autowired
    RedisConnectionFactory redis;

    @Autowired
    RedisIndexedSessionRepository redisSessions;

    private long sessionReads() {
        return RedisCommandCalls.of(redis, "hgetall");
    }

    @Test
    void theRedisSessionRepositoryIsWrapped() {
        assertThat(AopUtils.isCglibProxy(redisSessions)).isTrue();
    }

    @Test
    void aSignedInPageReadsItsSessionOnce() {
        Browser user = signedInUser();
        user.get("/"); // the first page after sign-in may also move the flash message
        long before = sessionReads();
        for (int i = 0; i < 10; i++) {
            assertThat(user.get("/").status()).isEqualTo(200);
        }
        assertThat(sessionReads() - before).as("HGETALL per page, 10 pages").isEqualTo(10);
    }

    @Test
    void aSessionDeletedBetweenRequestsIsNotServedFromTheSavedCopy() {
        for (int i = 0; i < 20; i++) { // Tomcat reuses its threads: the next request often runs where the save ran
            Browser user = signedInUser();
            assertThat(user.get("/").status()).isEqualTo(200);
            redisSessions.deleteById(user.sessionId().orElseThrow());
            Browser.Response afterDelete = user.get("/");
            assertThat(afterDelete.status()).as("round %d", i).isEqualTo(302);
            assertThat(afterDelete.location()).contains("/signin");
        }
    }
}
