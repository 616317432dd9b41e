package dev.notejam.app.config;

import dev.notejam.app.testsupport.Browser;
import dev.notejam.app.testsupport.WebTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.security.core.context.SecurityContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Sessions are JSON in Redis, and a session written by an earlier build stays readable. */
class SessionJsonTest extends WebTest {

    /** Attributes of a signed-in session as written by build 1.0.0 (captured from Redis). */
    static final Path RECORDED_SESSION = Path.of("src/test/resources/sessions/signed-in-session-1.0.0.json");

    @Autowired
    RedisConnectionFactory redis;

    @Autowired
    RedisSerializer<Object> springSessionDefaultRedisSerializer;

    private final RedisSerializer<Object> nextBuildSerializer = new SessionSerializationConfig().springSessionDefaultRedisSerializer();

    @Test
    void signedInSessionIsStoredAsJsonAndReadableByAFreshSerializer() {
        String email = uniqueEmail();
        Browser user = signedInUser(email);
        user.get("/pads/create/"); // a page with a form (its CSRF token is in a cookie, not the session)

        Map<String, byte[]> attributes = sessionAttributes(user);
        assertThat(attributes).containsKeys("sessionAttr:SPRING_SECURITY_CONTEXT");
        attributes.forEach((name, value) -> {
            String text = new String(value, StandardCharsets.UTF_8);
            assertThat(text).as(name).matches("(?s)^[\\[{\"0-9tfn].*");
            assertThat(value[0]).as("%s is not Java serialization", name).isNotEqualTo((byte) 0xAC);
            assertThat(nextBuildSerializer.deserialize(value)).as(name).isNotNull();
        });
        SecurityContext context = (SecurityContext) nextBuildSerializer.deserialize(attributes.get("sessionAttr:SPRING_SECURITY_CONTEXT"));
        assertThat(context.getAuthentication().getName()).isEqualTo(email);
        assertThat(context.getAuthentication().getCredentials()).as("password is never stored").isNull();
    }

    @Test
    void sessionRecordedByAnEarlierBuildIsStillReadable() throws Exception {
        JsonNode recorded = JsonMapper.builder().build().readTree(Files.readString(RECORDED_SESSION));
        assertThat(recorded.propertyNames()).contains("sessionAttr:SPRING_SECURITY_CONTEXT");
        for (String name : recorded.propertyNames()) {
            byte[] value = recorded.get(name).asString().getBytes(StandardCharsets.UTF_8);
            if (value.length == 0) {
                continue; // a removed attribute
            }
            assertThat(springSessionDefaultRedisSerializer.deserialize(value)).as(name).isNotNull();
        }
        SecurityContext context = (SecurityContext) springSessionDefaultRedisSerializer.deserialize(
                recorded.get("sessionAttr:SPRING_SECURITY_CONTEXT").asString().getBytes(StandardCharsets.UTF_8));
        assertThat(context.getAuthentication().getName()).isEqualTo("recorded@example.com");
        assertThat(context.getAuthentication().isAuthenticated()).isTrue();
    }

    @Test
    void onlyTheTypesTheAppStoresAreReadBack() {
        for (String json : new String[]{"{\"@class\":\"java.util.Timer\"}", "{\"@class\":\"java.lang.Thread\"}",
                "[\"java.util.concurrent.ThreadPoolExecutor\",{}]", "{\"@class\":\"java.util.logging.FileHandler\"}"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> nextBuildSerializer.deserialize(json.getBytes(StandardCharsets.UTF_8)))
                    .as(json).isInstanceOf(org.springframework.data.redis.serializer.SerializationException.class);
        }
    }

    @Test
    void everySignInOfAUserStoresTheSameSecurityContextSoReadsShareOneCachedAuthentication() {
        String email = uniqueEmail();
        Browser laptop = signedInUser(email);
        Browser phone = browser();
        phone.submit("/signin/", "/signin/", Map.of("email", email, "password", PASSWORD));

        assertThat(new String(sessionAttributes(phone).get("sessionAttr:SPRING_SECURITY_CONTEXT"), StandardCharsets.UTF_8))
                .isEqualTo(new String(sessionAttributes(laptop).get("sessionAttr:SPRING_SECURITY_CONTEXT"), StandardCharsets.UTF_8));
    }

    private Map<String, byte[]> sessionAttributes(Browser user) {
        String sessionId = new String(Base64.getDecoder().decode(user.sessionCookie().orElseThrow()), StandardCharsets.UTF_8);
        byte[] key = ("notejam:session:sessions:" + sessionId).getBytes(StandardCharsets.UTF_8);
        Map<String, byte[]> attributes = new LinkedHashMap<>();
        try (var connection = redis.getConnection()) {
            connection.hashCommands().hGetAll(key).forEach((field, value) -> {
                String name = new String(field, StandardCharsets.UTF_8);
                if (name.startsWith("sessionAttr:") && value.length > 0) {
                    attributes.put(name, value);
                }
            });
        }
        return attributes;
    }
}
