package dev.notejam.app.user;

import dev.notejam.app.web.RateLimiter;
import dev.notejam.app.web.RateLimiter.Decision;
import dev.notejam.app.web.RateLimiter.Limit;
import org.springframework.stereotype.Component;

import dev.notejam.app.config.NotejamProperties;
import java.util.Optional;

/** Failed sign-ins are limited per account and per client address, across all replicas (counters in Redis). */
@Component
class SignInThrottle {

    private final RateLimiter limiter;
    private final Limit perAccount;
    private final Limit perAddress;

    SignInThrottle(RateLimiter limiter, NotejamProperties properties) {
        this.limiter = limiter;
        NotejamProperties.Limits limits = properties.limits();
        this.perAccount = new Limit("signin-account", limits.signInFailuresPerAccount(), limits.signInWindow());
        this.perAddress = new Limit("signin-address", limits.signInFailuresPerAddress(), limits.signInWindow());
    }

    /** The refusal message, when this account or address has failed too often recently. */
    Optional<String> refusal(String email, String address) {
        Decision account = limiter.check(perAccount, email);
        Decision client = limiter.check(perAddress, address);
        if (account.allowed() && client.allowed()) {
            return Optional.empty();
        }
        long minutes = Math.max(account.allowed() ? 0 : account.retryAfterMinutes(), client.allowed() ? 0 : client.retryAfterMinutes());
        return Optional.of("Too many failed sign-in attempts. Try again in " + minutes + (minutes == 1 ? " minute." : " minutes."));
    }

    void failed(String email, String address) {
        limiter.hit(perAccount, email);
        limiter.hit(perAddress, address);
    }

    void succeeded(String email) {
        limiter.reset(perAccount, email);
    }
}
