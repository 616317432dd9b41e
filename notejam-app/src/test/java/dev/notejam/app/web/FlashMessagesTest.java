package dev.notejam.app.web;

import dev.notejam.app.testsupport.Browser;
import dev.notejam.app.testsupport.WebTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.session.data.redis.RedisIndexedSessionRepository;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Flash messages live in the (real Redis) session, and a client that never follows redirects cannot pile them up. */
class FlashMessagesTest extends WebTest {

    @Autowired
    RedisIndexedSessionRepository sessions;

    @Test
    void postsWhoseRedirectsAreNotFollowedKeepOnlyTheNewestMessages() {
        Browser user = signedInUser();
        String lastLocation = null;
        for (int i = 0; i < 20; i++) {
            Browser.Response created = user.submit("/notes/create/", "/notes/create/",
                    Map.of("name", "note " + i, "text", "x", "pad", ""));
            assertThat(created.status()).isEqualTo(302);
            lastLocation = created.location(); // not followed, as a script posting forms would do
        }
        String sessionId = user.sessionId().orElseThrow();
        Object stored = sessions.findById(sessionId).getAttribute(JsonSafeFlashMapManager.ATTRIBUTE);
        assertThat(stored).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST).hasSize(JsonSafeFlashMapManager.KEPT);

        Browser.Response newest = user.get(lastLocation);
        assertThat(newest.status()).isEqualTo(200);
        assertThat(newest.flash()).contains("Note is successfully created");
        assertThat(user.get(lastLocation).flash()).as("shown once").isNullOrEmpty();
    }

    @Test
    void aFollowedRedirectShowsItsMessageOnceAndLeavesNoneBehind() {
        Browser user = signedInUser();
        Browser.Response created = user.submit("/notes/create/", "/notes/create/", Map.of("name", "n", "text", "x", "pad", ""));
        assertThat(user.get(created.location()).flash()).contains("Note is successfully created");
        String sessionId = user.sessionId().orElseThrow();
        assertThat((List<?>) sessions.findById(sessionId).getAttribute(JsonSafeFlashMapManager.ATTRIBUTE)).isNullOrEmpty();
    }
}
