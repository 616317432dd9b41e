package dev.notejam.app.user;

import dev.notejam.app.web.RateLimiter;
import dev.notejam.app.web.RateLimiter.Decision;
import dev.notejam.app.web.RateLimiter.Limit;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Optional;

/** Failed sign-ins are limited per account and per client address, across all replicas (counters in Redis). */
@Component
class SignInThrottle {

    static final Limit PER_ACCOUNT = new Limit("signin-account", 5, Duration.ofMinutes(15));
    static final Limit PER_ADDRESS = new Limit("signin-address", 20, Duration.ofMinutes(15));

    private final RateLimiter limiter;

    SignInThrottle(RateLimiter limiter) {
        this.limiter = limiter;
    }

    /** The refusal message, when this account or address has failed too often recently. */
    Optional<String> refusal(String email, String address) {
        Decision account = limiter.check(PER_ACCOUNT, email);
        Decision client = limiter.check(PER_ADDRESS, address);
        if (account.allowed() && client.allowed()) {
            return Optional.empty();
        }
        long minutes = Math.max(account.allowed() ? 0 : account.retryAfterMinutes(), client.allowed() ? 0 : client.retryAfterMinutes());
        return Optional.of("Too many failed sign-in attempts. Try again in " + minutes + (minutes == 1 ? " minute." : " minutes."));
    }

    void failed(String email, String address) {
        limiter.hit(PER_ACCOUNT, email);
        limiter.hit(PER_ADDRESS, address);
    }

    void succeeded(String email) {
        limiter.reset(PER_ACCOUNT, email);
    }
}
