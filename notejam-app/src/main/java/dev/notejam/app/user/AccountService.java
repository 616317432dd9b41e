package dev.notejam.app.user;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** Sign-up, credentials and the sessions of a user. */
@Service
public class AccountService {

    private final UserRepository users;
    private final PasswordEncoder passwordEncoder;
    private final ObjectProvider<FindByIndexNameSessionRepository<? extends Session>> sessions;
    private final Clock clock;

    AccountService(UserRepository users, PasswordEncoder passwordEncoder,
                   ObjectProvider<FindByIndexNameSessionRepository<? extends Session>> sessions, Clock clock) {
        this.users = users;
        this.passwordEncoder = passwordEncoder;
        this.sessions = sessions;
        this.clock = clock;
    }

    /** Creates the account, or returns empty when the e-mail is already registered (ignoring case). */
    @Transactional
    public Optional<User> signUp(String email, String rawPassword) {
        String normalized = email.strip();
        if (users.existsByEmailIgnoreCase(normalized)) {
            return Optional.empty();
        }
        try {
            return Optional.of(users.save(new User(null, normalized, passwordEncoder.encode(rawPassword), Instant.now(clock))));
        } catch (DuplicateKeyException raceWithAnotherSignup) {
            return Optional.empty();
        }
    }

    public Optional<User> findByEmail(String email) {
        return users.findByEmailIgnoreCase(email.strip());
    }

    public boolean passwordMatches(User user, String rawPassword) {
        return passwordEncoder.matches(rawPassword, user.passwordHash());
    }

    /** Sets a new password and signs the user out everywhere except in {@code keepSessionId} (may be null). */
    @Transactional
    public void changePassword(User user, String newRawPassword, String keepSessionId) {
        users.save(user.withPasswordHash(passwordEncoder.encode(newRawPassword)));
        invalidateSessions(user.email(), keepSessionId);
    }

    /** Deletes the user's sessions in Redis, all of them when {@code keepSessionId} is null. */
    public void invalidateSessions(String principalName, String keepSessionId) {
        // Absent only in the migrate-only mode, which has no web sessions.
        FindByIndexNameSessionRepository<? extends Session> repository = sessions.getObject();
        repository.findByPrincipalName(principalName).keySet().stream()
                .filter(id -> !id.equals(keepSessionId))
                .forEach(repository::deleteById);
    }
}
