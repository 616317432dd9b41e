package dev.notejam.app.user;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.server.ResponseStatusException;

import java.util.Optional;

/** The signed-in user of the current request, looked up once per request by the session's principal (the e-mail). */
@Component
public class CurrentUser {

    private static final String CACHE_ATTRIBUTE = CurrentUser.class.getName();

    private final UserRepository users;

    CurrentUser(UserRepository users) {
        this.users = users;
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
        Optional<User> user = users.findByEmailIgnoreCase(auth.getName());
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
