package dev.notejam.app.user;

import dev.notejam.app.testsupport.Browser;
import dev.notejam.app.testsupport.EmbeddedMail;
import dev.notejam.app.testsupport.WebTest;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.Test;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Password reset through a real SMTP server: the test reads the mail and follows its link. */
class PasswordResetTest extends WebTest {

    private static final String NEW_PASSWORD = "a whole new password";

    private static String linkPath(MimeMessage mail) {
        return EmbeddedMail.firstLink(mail).orElseThrow().replaceFirst("^https?://[^/]+", "");
    }

    private String requestResetLink(String email) {
        Browser.Response answer = browser().submit("/forgot-password/", "/forgot-password/", Map.of("email", email));
        assertThat(answer.status()).isEqualTo(302);
        MimeMessage mail = EmbeddedMail.shared().awaitMailTo(email, Duration.ofSeconds(10)).orElseThrow();
        return linkPath(mail);
    }

    @Test
    void resetByMailedLinkSetsTheNewPasswordSignsOutEverywhereAndWorksOnce() throws Exception {
        String email = uniqueEmail();
        Browser signedIn = signedInUser(email);
        assertThat(signedIn.get("/").status()).isEqualTo(200);

        Browser visitor = browser();
        Browser.Response answer = visitor.submit("/forgot-password/", "/forgot-password/", Map.of("email", email.toUpperCase()));
        assertThat(visitor.get(answer.location()).flash()).isEqualTo("If this email is registered, a password reset link is on its way.");
        MimeMessage mail = EmbeddedMail.shared().awaitMailTo(email, Duration.ofSeconds(10)).orElseThrow();
        assertThat(mail.getSubject()).isEqualTo("Reset your Notejam password");
        String link = linkPath(mail);
        assertThat(link).matches("/reset-password/[A-Za-z0-9_-]{43}/");
        String token = link.split("/")[2];
        assertThat(count("select count(*) from password_reset_tokens where token_hash = ?", token)).as("token stored hashed only").isZero();

        Browser.Response form = visitor.get(link);
        assertThat(form.status()).isEqualTo(200);
        Browser.Response mismatch = visitor.post(link, Map.of("newPassword", NEW_PASSWORD, "repeatPassword", NEW_PASSWORD + "!"));
        assertThat(mismatch.fieldErrors("repeatPassword")).contains("Passwords do not match");

        Browser.Response done = visitor.post(link, Map.of("newPassword", NEW_PASSWORD, "repeatPassword", NEW_PASSWORD));
        assertThat(done.status()).isEqualTo(302);
        assertThat(done.location()).isEqualTo("/signin/");
        assertThat(visitor.get("/signin/").flash()).isEqualTo("Your password is changed. Now you can sign in.");

        assertThat(signedIn.get("/").status()).as("existing sessions are signed out").isEqualTo(302);
        assertThat(browser().submit("/signin/", "/signin/", Map.of("email", email, "password", PASSWORD)).status()).isEqualTo(200);
        assertThat(browser().submit("/signin/", "/signin/", Map.of("email", email, "password", NEW_PASSWORD)).status()).isEqualTo(302);

        Browser.Response reused = browser().get(link);
        assertThat(reused.status()).as("single use").isEqualTo(404);
        assertThat(reused.body()).contains("This link does not work any more");
        Browser again = browser();
        again.get("/signin/");
        assertThat(again.post(link, Map.of("newPassword", "yet another one!", "repeatPassword", "yet another one!")).status()).isEqualTo(404);
    }

    @Test
    void unknownEmailGetsTheSameAnswerAndNoMail() {
        String email = "nobody-" + uniqueEmail();
        Browser visitor = browser();
        Browser.Response answer = visitor.submit("/forgot-password/", "/forgot-password/", Map.of("email", email));

        assertThat(answer.status()).isEqualTo(302);
        assertThat(visitor.get(answer.location()).flash()).isEqualTo("If this email is registered, a password reset link is on its way.");
        assertThat(EmbeddedMail.shared().awaitMailTo(email, Duration.ofSeconds(2))).isEmpty();
    }

    @Test
    void expiredLinkIsRefusedAndChangesNothing() {
        String email = uniqueEmail();
        signedInUser(email);
        String link = requestResetLink(email);
        jdbc.sql("update password_reset_tokens set expires_at = ? where user_id = (select id from users where email = ?)")
                .param(Timestamp.from(Instant.now().minusSeconds(1))).param(email).update();
        String hashBefore = jdbc.sql("select password_hash from users where email = ?").param(email).query(String.class).single();

        Browser visitor = browser();
        assertThat(visitor.get(link).status()).isEqualTo(404);
        visitor.get("/forgot-password/");
        assertThat(visitor.post(link, Map.of("newPassword", NEW_PASSWORD, "repeatPassword", NEW_PASSWORD)).status()).isEqualTo(404);
        assertThat(jdbc.sql("select password_hash from users where email = ?").param(email).query(String.class).single()).isEqualTo(hashBefore);
    }

    @Test
    void madeUpAndMalformedTokensAnswer404() {
        assertThat(browser().get("/reset-password/" + "A".repeat(43) + "/").status()).isEqualTo(404);
        assertThat(browser().get("/reset-password/short/").status()).isEqualTo(404);
        assertThat(browser().get("/reset-password/'%20or%201=1--/").status()).isEqualTo(404);
    }

    @Test
    void resetRequestsAreLimitedPerAccount() {
        String email = uniqueEmail();
        signedInUser(email);
        for (int i = 0; i < 3; i++) {
            assertThat(browser().submit("/forgot-password/", "/forgot-password/", Map.of("email", email)).status()).isEqualTo(302);
        }
        Browser.Response refused = browser().submit("/forgot-password/", "/forgot-password/", Map.of("email", email));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.html().select(".form-error").text()).startsWith("Too many password reset requests. Try again in");
        EmbeddedMail.shared().awaitMailTo(email, Duration.ofSeconds(5));
        assertThat(EmbeddedMail.shared().countTo(email)).isLessThanOrEqualTo(3);
    }

    @Test
    void aNewPasswordOverBcrypts72BytesIsAFormError() {
        String email = uniqueEmail();
        signedInUser(email);
        String link = requestResetLink(email);
        Browser visitor = browser();
        visitor.get(link);
        String tooLong = "p".repeat(73);
        Browser.Response answer = visitor.post(link, Map.of("newPassword", tooLong, "repeatPassword", tooLong));
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.fieldErrors("newPassword")).contains("Password must be at most 72 bytes");
        assertThat(visitor.get(link).status()).as("the link still works").isEqualTo(200);
    }

    @Test
    void changingThePasswordInSettingsRetiresOpenResetLinks() {
        String email = uniqueEmail();
        Browser user = signedInUser(email);
        String link = requestResetLink(email);

        assertThat(user.submit("/settings/", "/settings/",
                Map.of("currentPassword", PASSWORD, "newPassword", NEW_PASSWORD, "repeatPassword", NEW_PASSWORD)).status()).isEqualTo(302);

        assertThat(browser().get(link).status()).isEqualTo(404);
    }
}
