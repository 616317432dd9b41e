package dev.notejam.app.config;

import org.junit.jupiter.api.Test;
import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.csrf.DefaultCsrfToken;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The session serializer reuses an authentication read from the same JSON, never a context. */
class SecurityContextReadCacheTest {

    private final SecurityContextReadCache serializer =
            (SecurityContextReadCache) new SessionSerializationConfig().springSessionDefaultRedisSerializer();

    private static SecurityContext signedIn(String email) {
        var roles = List.of(new SimpleGrantedAuthority("ROLE_USER"));
        var principal = User.withUsername(email).password("unused").authorities(roles).build();
        var token = UsernamePasswordAuthenticationToken.authenticated(principal, null, roles);
        return new SecurityContextImpl(token);
    }

    @Test
    void secondReadOfTheSameJsonReusesTheAuthenticationInAFreshContext() {
        byte[] json = serializer.serialize(signedIn("ann@example.com"));

        SecurityContext first = (SecurityContext) serializer.deserialize(json);
        SecurityContext second = (SecurityContext) serializer.deserialize(json);

        assertThat(second.getAuthentication().getName()).isEqualTo("ann@example.com");
        assertThat(second.getAuthentication().isAuthenticated()).isTrue();
        assertThat(second.getAuthentication()).isSameAs(first.getAuthentication());
        assertThat(second).isNotSameAs(first);
    }

    @Test
    void signingOutOneRequestsContextDoesNotSignOutTheNextRead() {
        byte[] json = serializer.serialize(signedIn("bob@example.com"));
        SecurityContext first = (SecurityContext) serializer.deserialize(json);

        first.setAuthentication(null); // what SecurityContextLogoutHandler does

        SecurityContext next = (SecurityContext) serializer.deserialize(json);
        assertThat(next.getAuthentication()).isNotNull();
        assertThat(next.getAuthentication().getName()).isEqualTo("bob@example.com");
    }

    @Test
    void differentUsersNeverShareAnAuthentication() {
        SecurityContext ann = (SecurityContext) serializer.deserialize(serializer.serialize(signedIn("ann@example.com")));
        SecurityContext bob = (SecurityContext) serializer.deserialize(serializer.serialize(signedIn("bob@example.com")));
        assertThat(ann.getAuthentication().getName()).isEqualTo("ann@example.com");
        assertThat(bob.getAuthentication().getName()).isEqualTo("bob@example.com");
    }

    @Test
    void otherAttributesAreReadByJacksonEachTime() {
        byte[] csrf = serializer.serialize(new DefaultCsrfToken("X-CSRF-TOKEN", "_csrf", "t0k3n"));
        Object first = serializer.deserialize(csrf);
        Object second = serializer.deserialize(csrf);
        assertThat(first).isInstanceOf(DefaultCsrfToken.class).isNotSameAs(second);
        assertThat(((DefaultCsrfToken) second).getToken()).isEqualTo("t0k3n");
        assertThat(serializer.deserialize(null)).isNull();
        assertThat(serializer.size()).isZero();
    }

    @Test
    void keepsAtMostItsCapacity() {
        for (int i = 0; i < SessionSerializationConfig.SECURITY_CONTEXTS_KEPT + 50; i++) {
            serializer.deserialize(serializer.serialize(signedIn("user" + i + "@example.com")));
        }
        assertThat(serializer.size()).isEqualTo(SessionSerializationConfig.SECURITY_CONTEXTS_KEPT);
    }
}
