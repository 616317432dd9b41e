package dev.notejam.app.user;

import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.server.ResponseStatusException;

import java.time.OffsetDateTime;
import java.util.Optional;

/**
 * The signed-in user of the current request, looked up once per request by the session's principal (the e-mail).
 * Every page does this, so it reads the row with a plain row mapper rather than through the repository's entity
 * conversion and events (see {@code PadService.listFor}).
 */
@Component
public class CurrentUser {

    private static final String CACHE_ATTRIBUTE = CurrentUser.class.getName();

    private final JdbcClient jdbc;

    CurrentUser(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<User> find() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth == null || !auth.isAuthenticated() || "anonymousUser".equals(auth.getPrincipal())) {
            return Optional.empty();
        }
        RequestAttributes request = RequestContextHolder.getRequestAttributes();
        if (request != null && request.getAttribute(CACHE_ATTRIBUTE, RequestAttributes.SCOPE_REQUEST) instanceof User cached) {
            return Optional.of(cached);
        }
        Optional<User> user = jdbc.sql("select id, email, password_hash, created_at from users where lower(email) = lower(?)")
                .param(auth.getName())
                .query((rs, i) -> new User(rs.getLong("id"), rs.getString("email"), rs.getString("password_hash"),
                        rs.getObject("created_at", OffsetDateTime.class).toInstant()))
                .optional();
        if (request != null) {
            user.ifPresent(u -> request.setAttribute(CACHE_ATTRIBUTE, u, RequestAttributes.SCOPE_REQUEST));
        }
        return user;
    }

    public User get() {
        return find().orElseThrow(() -> new ResponseStatusException(HttpStatus.UNAUTHORIZED));
    }

    public long id() {
        return get().id();
    }
}
