package dev.notejam.app.user;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Sign-up, credentials and the sessions of a user. */
@Service
public class AccountService {

    /**
     * Removes from a user's session index (a Redis set kept by Spring Session) the ids whose session is gone. Spring
     * Session removes an id when a session is deleted, but on expiry only if Redis sends keyspace notifications,
     * which the app never switches on (managed Redis forbids CONFIG), so the set would only grow. Its members are
     * the ids as JSON strings (the session serializer), hence the quotes taken off.
     */
    private static final RedisScript<Long> FORGET_EXPIRED = RedisScript.of("""
            local removed = 0
            for _, id in ipairs(redis.call('SMEMBERS', KEYS[1])) do
              local sessionId = string.match(id, '^"(.*)"$') or id
              if redis.call('EXISTS', ARGV[1] .. sessionId) == 0 then
                redis.call('SREM', KEYS[1], id)
                removed = removed + 1
              end
            end
            return removed""", Long.class);

    private final UserRepository users;
    private final JdbcClient jdbc;
    private final PasswordEncoder passwordEncoder;
    private final ObjectProvider<FindByIndexNameSessionRepository<? extends Session>> sessions;
    private final StringRedisTemplate redis;
    private final String sessionNamespace;
    private final Clock clock;

    AccountService(UserRepository users, JdbcClient jdbc, PasswordEncoder passwordEncoder,
                   ObjectProvider<FindByIndexNameSessionRepository<? extends Session>> sessions, StringRedisTemplate redis,
                   @Value("${spring.session.data.redis.namespace}") String sessionNamespace, Clock clock) {
        this.users = users;
        this.jdbc = jdbc;
        this.passwordEncoder = passwordEncoder;
        this.sessions = sessions;
        this.redis = redis;
        this.sessionNamespace = sessionNamespace;
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
            return Optional.of(users.insert(normalized, passwordEncoder.encode(rawPassword), Instant.now(clock)));
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

    /**
     * Sets a new password, retires the user's open reset links (they were meant to replace the old password), and once
     * that is committed signs the user out everywhere except in {@code keepSessionId} (null: everywhere). Joins the
     * caller's transaction, if any.
     */
    @Transactional
    public void changePassword(User user, String newRawPassword, String keepSessionId) {
        users.updatePasswordHash(user.id(), passwordEncoder.encode(newRawPassword));
        jdbc.sql("update password_reset_tokens set used_at = ? where user_id = ? and used_at is null")
                .param(Timestamp.from(Instant.now(clock))).param(user.id()).update();
        // Only after the commit: a password change that fails must not have signed anyone out.
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                invalidateSessions(user.email(), keepSessionId);
            }
        });
    }

    /** Deletes the user's sessions in Redis, all of them when {@code keepSessionId} is null. */
    public void invalidateSessions(String principalName, String keepSessionId) {
        // Absent only in the migrate-only mode, which has no web sessions.
        FindByIndexNameSessionRepository<? extends Session> repository = sessions.getObject();
        repository.findByPrincipalName(principalName).keySet().stream()
                .filter(id -> !id.equals(keepSessionId))
                .forEach(repository::deleteById);
    }

    /** Drops the ids of sessions that expired from the user's session index; run at each sign-in. */
    public void forgetExpiredSessions(String principalName) {
        String index = sessionNamespace + ":index:" + FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME + ":" + principalName;
        redis.execute(FORGET_EXPIRED, List.of(index), sessionNamespace + ":sessions:");
    }
}
