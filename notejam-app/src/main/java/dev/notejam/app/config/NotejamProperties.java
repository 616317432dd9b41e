package dev.notejam.app.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import java.time.Duration;
import java.time.ZoneId;

/**
 * App settings under {@code notejam.*} (environment: {@code NOTEJAM_*}).
 *
 * @param timeZone       zone in which "smart dates" are shown
 * @param maxRequestBody bodies larger than this answer 413 before they are read
 * @param baseUrl        public URL of the app, used in e-mailed links
 * @param mailFrom       sender address of e-mails
 * @param limits         abuse limits, counted in Redis across replicas
 */
@ConfigurationProperties("notejam")
public record NotejamProperties(ZoneId timeZone, DataSize maxRequestBody, String baseUrl, String mailFrom, Limits limits) {

    /**
     * @param signInFailuresPerAccount failed sign-ins of one account from one client address per window, then that
     *                                 address is refused for that account (the owner elsewhere is not)
     * @param signInFailuresPerAddress sign-in attempts from one client address per window (successful ones refunded)
     * @param signInFailuresBeforeAccountDelay failed sign-ins of one account from all addresses per window, after which
     *                                 its password is checked at most once per {@code signInAccountDelay}
     * @param resetRequestsPerAccount  password reset requests for one e-mail per window
     * @param resetRequestsPerAddress  password reset requests from one client address per window
     * @param signUpsPerAddress        sign-up attempts from one client address per window (sign-up tells whether an
     *                                 e-mail is registered)
     */
    public record Limits(int signInFailuresPerAccount, int signInFailuresPerAddress, Duration signInWindow,
                         int signInFailuresBeforeAccountDelay, Duration signInAccountDelay,
                         int resetRequestsPerAccount, int resetRequestsPerAddress, Duration resetWindow,
                         int signUpsPerAddress, Duration signUpWindow) {

        public Limits {
            signInFailuresPerAccount = signInFailuresPerAccount <= 0 ? 5 : signInFailuresPerAccount;
            signInFailuresPerAddress = signInFailuresPerAddress <= 0 ? 20 : signInFailuresPerAddress;
            signInWindow = signInWindow == null ? Duration.ofMinutes(15) : signInWindow;
            signInFailuresBeforeAccountDelay = signInFailuresBeforeAccountDelay <= 0 ? 20 : signInFailuresBeforeAccountDelay;
            signInAccountDelay = signInAccountDelay == null ? Duration.ofSeconds(5) : signInAccountDelay;
            resetRequestsPerAccount = resetRequestsPerAccount <= 0 ? 3 : resetRequestsPerAccount;
            resetRequestsPerAddress = resetRequestsPerAddress <= 0 ? 10 : resetRequestsPerAddress;
            resetWindow = resetWindow == null ? Duration.ofHours(1) : resetWindow;
            signUpsPerAddress = signUpsPerAddress <= 0 ? 10 : signUpsPerAddress;
            signUpWindow = signUpWindow == null ? Duration.ofHours(1) : signUpWindow;
        }
    }

    public NotejamProperties {
        limits = limits == null ? new Limits(0, 0, null, 0, null, 0, 0, null, 0, null) : limits;
        timeZone = timeZone == null ? ZoneId.of("UTC") : timeZone;
        maxRequestBody = maxRequestBody == null ? DataSize.ofKilobytes(64) : maxRequestBody;
        baseUrl = baseUrl == null ? "http://localhost:8080" : baseUrl.replaceAll("/+$", "");
        mailFrom = mailFrom == null ? "notejam@localhost" : mailFrom;
    }
}
