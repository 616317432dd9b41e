package dev.notejam.app.user;

import dev.notejam.app.testsupport.Browser;
import dev.notejam.app.testsupport.WebTest;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.redis.core.StringRedisTemplate;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class UserAccountTest extends WebTest {

    @Test
    void signUpSuccessRedirectsToSignInWithMessageAndStoresHashedPassword() {
        String email = uniqueEmail();
        Browser browser = browser();
        Browser.Response response = browser.submit("/signup/", "/signup/",
                Map.of("email", email, "password", PASSWORD, "repeatPassword", PASSWORD));

        assertThat(response.status()).isEqualTo(302);
        assertThat(response.location()).isEqualTo("/signin/");
        assertThat(browser.get("/signin/").flash()).isEqualTo("Account is created. Now you can sign in.");
        String hash = jdbc.sql("select password_hash from users where email = ?").param(email).query(String.class).single();
        assertThat(hash).startsWith("{bcrypt}").doesNotContain(PASSWORD);
        // Not signed in automatically.
        assertThat(browser.get("/").status()).isEqualTo(302);
    }

    @Test
    void signUpWithMissingFieldsShowsErrorsAndStoresNothing() {
        long before = count("select count(*) from users");
        Browser.Response response = browser().submit("/signup/", "/signup/", Map.of("email", "", "password", "", "repeatPassword", ""));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.fieldErrors("email")).contains("Email is required");
        assertThat(response.fieldErrors("password")).contains("Password is required");
        assertThat(response.fieldErrors("repeatPassword")).contains("Repeat the password");
        assertThat(count("select count(*) from users")).isEqualTo(before);
    }

    @Test
    void signUpWithInvalidEmailIsAFieldError() {
        Browser.Response response = browser().submit("/signup/", "/signup/",
                Map.of("email", "not-an-email", "password", PASSWORD, "repeatPassword", PASSWORD));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.fieldErrors("email")).contains("Enter a valid email address");
        assertThat(count("select count(*) from users where email = 'not-an-email'")).isZero();
    }

    @Test
    void signUpWithExistingEmailIgnoringCaseIsAFieldError() {
        String email = uniqueEmail();
        signedInUser(email);
        Browser.Response response = browser().submit("/signup/", "/signup/",
                Map.of("email", email.toUpperCase(), "password", PASSWORD, "repeatPassword", PASSWORD));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.fieldErrors("email")).contains("User with this email already exists");
        assertThat(count("select count(*) from users where lower(email) = lower(?)", email)).isEqualTo(1);
    }

    @Test
    void signUpWithPasswordsThatDoNotMatchIsAFieldError() {
        String email = uniqueEmail();
        Browser.Response response = browser().submit("/signup/", "/signup/",
                Map.of("email", email, "password", PASSWORD, "repeatPassword", PASSWORD + "x"));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.fieldErrors("repeatPassword")).contains("Passwords do not match");
        assertThat(count("select count(*) from users where email = ?", email)).isZero();
    }

    @Test
    void signUpRejectsShortPassword() {
        Browser.Response response = browser().submit("/signup/", "/signup/",
                Map.of("email", uniqueEmail(), "password", "short", "repeatPassword", "short"));

        assertThat(response.fieldErrors("password")).contains("Password must be at least 8 characters");
    }

    @Test
    void signInSuccessRedirectsHomeAndShowsTheUserInTheHeader() {
        String email = uniqueEmail();
        Browser user = signedInUser(email);

        Browser.Response home = user.get("/");
        assertThat(home.status()).isEqualTo(200);
        assertThat(home.html().select(".account .email").text()).isEqualTo(email);
        assertThat(home.title()).startsWith("All notes (0)");
    }

    @Test
    void signInWithMissingFieldsShowsFieldErrors() {
        Browser.Response response = browser().submit("/signin/", "/signin/", Map.of("email", "", "password", ""));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.fieldErrors("email")).contains("Email is required");
        assertThat(response.fieldErrors("password")).contains("Password is required");
    }

    @Test
    void signInWithWrongCredentialsGivesTheSameMessageForUnknownEmailAndWrongPassword() {
        String email = uniqueEmail();
        signedInUser(email);

        Browser.Response wrongPassword = browser().submit("/signin/", "/signin/", Map.of("email", email, "password", "nope-nope-nope"));
        Browser.Response unknownEmail = browser().submit("/signin/", "/signin/", Map.of("email", "nobody-" + email, "password", PASSWORD));

        for (Browser.Response response : new Browser.Response[]{wrongPassword, unknownEmail}) {
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.html().select(".form-error").text()).isEqualTo("Wrong email or password");
        }
    }

    @Test
    void anonymousVisitorIsSentToSignInAndBackToTheWantedPage() {
        String email = uniqueEmail();
        signedInUser(email).post("/signout/", Map.of());
        Browser browser = browser();

        Browser.Response wanted = browser.get("/pads/create/?from=test");
        assertThat(wanted.status()).isEqualTo(302);
        assertThat(wanted.location()).isEqualTo("/signin/?next=%2Fpads%2Fcreate%2F%3Ffrom%3Dtest");

        // The sign-in form carries the wanted page in its action.
        String action = browser.get(wanted.location()).html().selectFirst("form.form").attr("action");
        assertThat(action).isEqualTo("/signin/?next=/pads/create/?from%3Dtest");
        Browser.Response signin = browser.post(action, Map.of("email", email, "password", PASSWORD));
        assertThat(signin.location()).isEqualTo("/pads/create/?from=test");
    }

    @Test
    void signInIgnoresRedirectTargetsOffThisSite() {
        String email = uniqueEmail();
        signedInUser(email);
        for (String next : new String[]{"https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"}) {
            Browser browser = browser();
            browser.get("/signin/");
            Browser.Response signin = browser.post("/signin/?next=" + java.net.URLEncoder.encode(next, java.nio.charset.StandardCharsets.UTF_8),
                    Map.of("email", email, "password", PASSWORD));
            assertThat(signin.location()).as("next=%s", next).isEqualTo("/");
        }
    }

    @Test
    void sessionIdIsRotatedAtSignIn() {
        String email = uniqueEmail();
        Browser browser = signedInUser(email);
        String before = browser.sessionCookie().orElseThrow();
        browser.submit("/signin/", "/signin/", Map.of("email", email, "password", PASSWORD));

        assertThat(browser.sessionCookie()).isPresent().get().isNotEqualTo(before);
    }

    @Test
    void signOutDeletesTheSessionSoTheOldCookieNoLongerWorks() {
        Browser user = signedInUser();
        String cookie = user.sessionCookie().orElseThrow();
        user.get("/");

        Browser.Response signout = user.post("/signout/", Map.of());
        assertThat(signout.status()).isEqualTo(302);
        assertThat(signout.location()).isEqualTo("/signin/");

        Browser replay = browser();
        Browser.Response withOldCookie = replay.send(java.net.http.HttpRequest.newBuilder(replay.uri("/"))
                .header("Cookie", "SESSION=" + cookie).GET());
        assertThat(withOldCookie.status()).isEqualTo(302);
        assertThat(withOldCookie.location()).startsWith("/signin/");
    }

    @Test
    void signOutNeedsPost() {
        Browser user = signedInUser();
        assertThat(user.get("/signout/").status()).isIn(404, 405);
        assertThat(user.get("/").status()).isEqualTo(200);
    }

    @Test
    void changePasswordChecksTheCurrentPasswordAndTheRepeat() {
        Browser user = signedInUser();

        Browser.Response wrongCurrent = user.submit("/settings/", "/settings/",
                Map.of("currentPassword", "wrong-password", "newPassword", "new password 1", "repeatPassword", "new password 1"));
        assertThat(wrongCurrent.fieldErrors("currentPassword")).contains("Current password is wrong");

        Browser.Response mismatch = user.submit("/settings/", "/settings/",
                Map.of("currentPassword", PASSWORD, "newPassword", "new password 1", "repeatPassword", "new password 2"));
        assertThat(mismatch.fieldErrors("repeatPassword")).contains("Passwords do not match");
    }

    @Test
    void changePasswordSucceedsAndSignsOutTheUsersOtherSessions() {
        String email = uniqueEmail();
        Browser laptop = signedInUser(email);
        Browser phone = browser();
        phone.submit("/signin/", "/signin/", Map.of("email", email, "password", PASSWORD));
        assertThat(phone.get("/").status()).isEqualTo(200);

        Browser.Response changed = laptop.submit("/settings/", "/settings/",
                Map.of("currentPassword", PASSWORD, "newPassword", "brand new password", "repeatPassword", "brand new password"));
        assertThat(changed.status()).isEqualTo(302);
        assertThat(laptop.get("/settings/").flash()).isEqualTo("Password is successfully changed");

        assertThat(laptop.get("/").status()).as("the session that changed it stays").isEqualTo(200);
        assertThat(phone.get("/").status()).as("other sessions are signed out").isEqualTo(302);
        Browser.Response oldPassword = browser().submit("/signin/", "/signin/", Map.of("email", email, "password", PASSWORD));
        assertThat(oldPassword.html().select(".form-error").text()).isEqualTo("Wrong email or password");
        assertThat(browser().submit("/signin/", "/signin/", Map.of("email", email, "password", "brand new password")).status()).isEqualTo(302);
    }

    @Autowired
    StringRedisTemplate redis;

    private static final String LONGEST_PASSWORD = "p".repeat(72);
    private static final String PASSWORD_OF_73_BYTES = "p".repeat(73);
    /** 25 characters of 3 bytes each in UTF-8: 75 bytes, over bcrypt's 72. */
    private static final String PASSWORD_OF_25_CJK = "密".repeat(25);
    private static final String TOO_LONG = "Password must be at most 72 bytes (fewer characters outside English letters and digits)";

    @Test
    void passwordsOverBcrypts72BytesAreAFormErrorWhenSigningUp() {
        for (String password : new String[]{PASSWORD_OF_73_BYTES, PASSWORD_OF_25_CJK}) {
            String email = uniqueEmail();
            Browser.Response response = browser().submit("/signup/", "/signup/",
                    Map.of("email", email, "password", password, "repeatPassword", password));
            assertThat(response.status()).as("%d characters", password.length()).isEqualTo(200);
            assertThat(response.fieldErrors("password")).contains(TOO_LONG);
            assertThat(count("select count(*) from users where email = ?", email)).isZero();
        }
        String email = uniqueEmail();
        assertThat(browser().submit("/signup/", "/signup/",
                Map.of("email", email, "password", LONGEST_PASSWORD, "repeatPassword", LONGEST_PASSWORD)).status()).isEqualTo(302);
        assertThat(browser().submit("/signin/", "/signin/", Map.of("email", email, "password", LONGEST_PASSWORD)).status()).isEqualTo(302);
    }

    @Test
    void passwordsOverBcrypts72BytesAreAFormErrorInSettings() {
        Browser user = signedInUser();
        Browser.Response response = user.submit("/settings/", "/settings/",
                Map.of("currentPassword", PASSWORD, "newPassword", PASSWORD_OF_25_CJK, "repeatPassword", PASSWORD_OF_25_CJK));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.fieldErrors("newPassword")).contains(TOO_LONG);
    }

    @Test
    void aVeryLongPasswordIsJustAWrongPasswordAtSignInAndInSettings() {
        String email = uniqueEmail();
        Browser user = signedInUser(email);
        Browser.Response signin = browser().submit("/signin/", "/signin/", Map.of("email", email, "password", "x".repeat(1_000)));
        assertThat(signin.status()).isEqualTo(200);
        assertThat(signin.html().select(".form-error").text()).isEqualTo(UserController.WRONG_CREDENTIALS);
        Browser.Response unknown = browser().submit("/signin/", "/signin/", Map.of("email", uniqueEmail(), "password", "x".repeat(1_000)));
        assertThat(unknown.html().select(".form-error").text()).isEqualTo(UserController.WRONG_CREDENTIALS);

        Browser.Response settings = user.submit("/settings/", "/settings/",
                Map.of("currentPassword", "x".repeat(1_000), "newPassword", "new password 1", "repeatPassword", "new password 1"));
        assertThat(settings.status()).isEqualTo(200);
        assertThat(settings.fieldErrors("currentPassword")).contains("Current password is wrong");
    }

    @Test
    void anonymousVisitorsGetNoSessionYetTheirFormsAreProtectedAndMessagesShown() {
        Browser visitor = browser();
        for (String page : new String[]{"/signin/", "/signup/", "/forgot-password/", "/", "/pads/create/"}) {
            visitor.get(page);
        }
        assertThat(visitor.post("/signin/", Map.of("email", uniqueEmail(), "password", "wrong password")).status()).isEqualTo(200);
        String email = uniqueEmail();
        Browser.Response signup = visitor.submit("/signup/", "/signup/", Map.of("email", email, "password", PASSWORD, "repeatPassword", PASSWORD));
        assertThat(signup.status()).isEqualTo(302);
        assertThat(visitor.get("/signin/").flash()).isEqualTo(UserController.SIGNED_UP);
        assertThat(visitor.get("/signin/").flash()).as("shown once").isNull();
        visitor.submit("/forgot-password/", "/forgot-password/", Map.of("email", email));

        assertThat(visitor.sessionCookie()).as("no session for an anonymous visitor").isEmpty();

        Browser forger = browser();
        forger.get("/signup/");
        forger.forgetCsrfToken();
        assertThat(forger.post("/signup/", Map.of("email", uniqueEmail(), "password", PASSWORD, "repeatPassword", PASSWORD)).status())
                .as("anonymous forms still need their CSRF token").isEqualTo(403);
    }

    @Test
    void theCsrfTokenOfTheSignInPageStopsWorkingAtSignIn() {
        String email = uniqueEmail();
        signedInUser(email);
        Browser browser = browser();
        String before = browser.get("/signin/").html().selectFirst("input[name=_csrf]").attr("value");
        assertThat(browser.post("/signin/", Map.of("email", email, "password", PASSWORD)).status()).isEqualTo(302);

        Browser.Response withOldToken = browser.postRaw("/pads/create/", Browser.encode(Map.of("_csrf", before, "name", "planted")));
        assertThat(withOldToken.status()).isEqualTo(403);
        assertThat(browser.submit("/pads/create/", "/pads/create/", Map.of("name", "mine")).status()).isEqualTo(302);
    }

    @Test
    void otherSessionsStayWhenTheNewPasswordIsNotCommitted() {
        String email = uniqueEmail();
        Browser laptop = signedInUser(email);
        Browser phone = browser();
        phone.submit("/signin/", "/signin/", Map.of("email", email, "password", PASSWORD));
        long userId = count("select id from users where email = ?", email);
        // The commit fails: a deferred check, run only when the transaction commits.
        jdbc.sql("create or replace function refuse_commit_for_test() returns trigger language plpgsql as $$ "
                + "begin raise exception 'commit refused by the test'; end $$").update();
        jdbc.sql("create constraint trigger refuse_password_commit_" + userId + " after update on users deferrable initially deferred "
                + "for each row when (new.id = " + userId + ") execute function refuse_commit_for_test()").update();
        try {
            Browser.Response change = laptop.submit("/settings/", "/settings/",
                    Map.of("currentPassword", PASSWORD, "newPassword", "brand new password", "repeatPassword", "brand new password"));
            assertThat(change.status()).isNotEqualTo(302);
        } finally {
            jdbc.sql("drop trigger refuse_password_commit_" + userId + " on users").update();
        }
        assertThat(phone.get("/").status()).as("the password did not change, so the phone stays signed in").isEqualTo(200);
        assertThat(browser().submit("/signin/", "/signin/", Map.of("email", email, "password", PASSWORD)).status()).isEqualTo(302);
    }

    @Test
    void theSessionIndexOfAUserForgetsSessionsThatExpiredAndKeepsTheOthers() {
        String email = uniqueEmail();
        Browser expiring = signedInUser(email);
        Browser live = browser();
        live.submit("/signin/", "/signin/", Map.of("email", email, "password", PASSWORD));
        String expired = expiring.sessionId().orElseThrow();
        // Expiry without keyspace notifications (ElastiCache default): the session's keys go, its index entry stays.
        redis.delete(java.util.List.of("notejam:session:sessions:" + expired, "notejam:session:sessions:expires:" + expired));

        Browser latest = browser();
        latest.submit("/signin/", "/signin/", Map.of("email", email, "password", PASSWORD));

        String index = "notejam:session:index:org.springframework.session.FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME:" + email;
        // Members are JSON strings, as Spring Session writes them with the session serializer.
        assertThat(redis.opsForSet().members(index)).containsExactlyInAnyOrder(
                "\"" + live.sessionId().orElseThrow() + "\"", "\"" + latest.sessionId().orElseThrow() + "\"");
        assertThat(live.get("/").status()).isEqualTo(200);
    }
}
