package dev.notejam.app.user;

import dev.notejam.app.config.NotejamProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/** Password reset by e-mailed link: single use, expiring, stored only as a hash. */
@Service
public class PasswordResetService {

    static final Duration TOKEN_LIFETIME = Duration.ofHours(1);
    private static final Logger log = LoggerFactory.getLogger(PasswordResetService.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final UserRepository users;
    private final JdbcClient jdbc;
    private final AccountService accounts;
    private final PasswordResetMailer mailer;
    private final NotejamProperties properties;
    private final Clock clock;

    PasswordResetService(UserRepository users, JdbcClient jdbc, AccountService accounts,
                         PasswordResetMailer mailer, NotejamProperties properties, Clock clock) {
        this.users = users;
        this.jdbc = jdbc;
        this.accounts = accounts;
        this.mailer = mailer;
        this.properties = properties;
        this.clock = clock;
    }

    /** Mails a reset link when the address is registered; does nothing visible otherwise (no enumeration). */
    public void requestReset(String email) {
        users.findByEmailIgnoreCase(email.strip()).ifPresent(user -> {
            String token = newToken();
            Instant now = Instant.now(clock);
            jdbc.sql("insert into password_reset_tokens (user_id, token_hash, created_at, expires_at) values (?, ?, ?, ?)")
                    .param(user.id()).param(hash(token)).param(Timestamp.from(now)).param(Timestamp.from(now.plus(TOKEN_LIFETIME)))
                    .update();
            mailer.sendResetLink(user.email(), properties.baseUrl() + "/reset-password/" + token + "/", TOKEN_LIFETIME);
            log.info("Password reset link issued for user {}", user.id());
        });
    }

    /** True when the token is known, unused and not expired. */
    public boolean isUsable(String token) {
        return isWellFormed(token) && jdbc.sql("""
                        select count(*) from password_reset_tokens
                        where token_hash = ? and used_at is null and expires_at > ?""")
                .param(hash(token)).param(Timestamp.from(Instant.now(clock)))
                .query(Long.class).single() > 0;
    }

    /**
     * Uses the token up and sets the new password; every session of the user is signed out.
     *
     * @return false when the token is unknown, used or expired (nothing changes then)
     */
    @Transactional
    public boolean resetPassword(String token, String newRawPassword) {
        if (!isWellFormed(token)) {
            return false;
        }
        Instant now = Instant.now(clock);
        // The update is the single-use check: two concurrent submits cannot both succeed.
        Optional<Long> userId = jdbc.sql("""
                        update password_reset_tokens set used_at = ?
                        where token_hash = ? and used_at is null and expires_at > ?
                        returning user_id""")
                .param(Timestamp.from(now)).param(hash(token)).param(Timestamp.from(now))
                .query(Long.class).optional();
        if (userId.isEmpty()) {
            return false;
        }
        User user = users.findById(userId.get()).orElseThrow();
        accounts.changePassword(user, newRawPassword, null);
        log.info("Password reset completed for user {}", user.id());
        return true;
    }

    static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static boolean isWellFormed(String token) {
        return token != null && token.length() == 43 && token.chars().allMatch(c ->
                Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_');
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
