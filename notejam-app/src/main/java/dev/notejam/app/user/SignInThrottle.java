package dev.notejam.app.user;

import dev.notejam.app.config.NotejamProperties;
import dev.notejam.app.web.RateLimiter;
import dev.notejam.app.web.RateLimiter.Decision;
import dev.notejam.app.web.RateLimiter.Limit;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.Optional;

/**
 * Sign-in limits, counted in Redis across all replicas before the password is checked, so parallel attempts cannot
 * slip past a limit while bcrypt runs.
 * <ul>
 * <li>per account and client address: a few failures, then that address is refused for that account; the owner
 * signing in from elsewhere is not, so guessing cannot lock anyone out;</li>
 * <li>per client address: attempts on any accounts (successful ones are given back);</li>
 * <li>per account from all addresses: past a number of failures, the password is checked at most once per short
 * interval, which slows down guessing from many addresses while the owner only waits a few seconds.</li>
 * </ul>
 */
@Component
class SignInThrottle {

    static final String ACCOUNT_BUSY = "Too many sign-in attempts for this account. Try again in a few seconds.";

    private final RateLimiter limiter;
    private final Limit perAccountAndAddress;
    private final Limit perAddress;
    private final Limit perAccount;
    private final Duration accountDelay;

    SignInThrottle(RateLimiter limiter, NotejamProperties properties) {
        this.limiter = limiter;
        NotejamProperties.Limits limits = properties.limits();
        this.perAccountAndAddress = new Limit("signin-account-address", limits.signInFailuresPerAccount(), limits.signInWindow());
        this.perAddress = new Limit("signin-address", limits.signInFailuresPerAddress(), limits.signInWindow());
        this.perAccount = new Limit("signin-account", limits.signInFailuresBeforeAccountDelay(), limits.signInWindow());
        this.accountDelay = limits.signInAccountDelay();
    }

    /** Counts the attempt; the refusal message when its password must not be checked now. */
    Optional<String> admit(String email, String address) {
        Decision pair = limiter.hit(perAccountAndAddress, accountAndAddress(email, address));
        Decision client = limiter.hit(perAddress, address);
        if (!pair.allowed() || !client.allowed()) {
            long minutes = Math.max(pair.allowed() ? 0 : pair.retryAfterMinutes(), client.allowed() ? 0 : client.retryAfterMinutes());
            return Optional.of("Too many failed sign-in attempts. Try again in " + minutes + (minutes == 1 ? " minute." : " minutes."));
        }
        if (!limiter.check(perAccount, email).allowed() && !limiter.takeTurn("signin-account-turn", email, accountDelay)) {
            return Optional.of(ACCOUNT_BUSY);
        }
        return Optional.empty();
    }

    void failed(String email) {
        limiter.hit(perAccount, email);
    }

    void succeeded(String email, String address) {
        limiter.reset(perAccountAndAddress, accountAndAddress(email, address));
        limiter.undo(perAddress, address);
    }

    private static String accountAndAddress(String email, String address) {
        return email + " " + address;
    }
}
