package dev.notejam.app.user;

import dev.notejam.app.testsupport.Browser;
import dev.notejam.app.testsupport.WebTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sign-in and sign-up limits against real Redis, with client addresses given by X-Forwarded-For (trusted from
 * 127.0.0.1 as from the ingress). Defaults: 5 failures per account and address, 20 per address, 20 per account
 * before its password checks are spaced out (2 s in the tests), 10 sign-ups per address and hour.
 */
class AbuseLimitsTest extends WebTest {

    private static Map<String, String> credentials(String email, String password) {
        return Map.of("email", email, "password", password);
    }

    @Test
    void parallelWrongPasswordsForOneAccountAreCheckedNoMoreThanTheLimit() throws Exception {
        String email = uniqueEmail();
        signedInUser(email);
        String address = newClientAddress();
        List<Browser> attackers = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Browser attacker = new Browser(baseUrl).from(address);
            attacker.get("/signin/");
            attackers.add(attacker);
        }
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Browser.Response>> answers = new ArrayList<>();
            for (int i = 0; i < attackers.size(); i++) {
                Browser attacker = attackers.get(i);
                String guess = "guess number " + i;
                answers.add(pool.submit(() -> {
                    start.await();
                    return attacker.post("/signin/", credentials(email, guess));
                }));
            }
            start.countDown();
            int checked = 0;
            int refused = 0;
            for (Future<Browser.Response> answer : answers) {
                Browser.Response response = answer.get();
                if (response.status() == 200 && response.body().contains(UserController.WRONG_CREDENTIALS)) {
                    checked++;
                } else if (response.status() == 429) {
                    refused++;
                }
            }
            assertThat(checked).as("passwords checked").isEqualTo(5);
            assertThat(refused).as("refused before the password check").isEqualTo(11);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void failuresFromAnotherAddressDoNotLockTheOwnerOut() {
        String email = uniqueEmail();
        signedInUser(email);
        Browser attacker = browser();
        for (int attempt = 1; attempt <= 5; attempt++) {
            assertThat(attacker.submit("/signin/", "/signin/", credentials(email, "wrong " + attempt)).status()).isEqualTo(200);
        }
        Browser.Response refused = attacker.submit("/signin/", "/signin/", credentials(email, PASSWORD));
        assertThat(refused.status()).as("the attacker's address, even with the right password").isEqualTo(429);

        Browser.Response owner = browser().submit("/signin/", "/signin/", credentials(email, PASSWORD));
        assertThat(owner.status()).as("the owner from their own address").isEqualTo(302);
    }

    @Test
    void manyAddressesFailingOneAccountSpaceOutItsPasswordChecksButNeverLockItOut() throws Exception {
        String email = uniqueEmail();
        signedInUser(email);
        for (int attempt = 1; attempt <= 20; attempt++) {
            assertThat(browser().submit("/signin/", "/signin/", credentials(email, "wrong " + attempt)).status())
                    .as("attempt %d from its own address", attempt).isEqualTo(200);
        }
        assertThat(browser().submit("/signin/", "/signin/", credentials(email, "wrong 21")).status())
                .as("one check per interval").isEqualTo(200);
        Browser.Response spaced = browser().submit("/signin/", "/signin/", credentials(email, "wrong 22"));
        assertThat(spaced.status()).as("a second check within the interval").isEqualTo(429);
        assertThat(spaced.html().select(".form-error").text()).isEqualTo("Too many sign-in attempts for this account. Try again in a few seconds.");

        Thread.sleep(2_100);
        assertThat(browser().submit("/signin/", "/signin/", credentials(email, PASSWORD)).status())
                .as("the owner, after the interval").isEqualTo(302);
    }

    @Test
    void signUpsAreLimitedPerAddress() {
        String address = newClientAddress();
        for (int i = 1; i <= 10; i++) {
            String email = uniqueEmail();
            Browser.Response created = new Browser(baseUrl).from(address).submit("/signup/", "/signup/",
                    Map.of("email", email, "password", PASSWORD, "repeatPassword", PASSWORD));
            assertThat(created.status()).as("sign-up %d", i).isEqualTo(302);
        }
        String eleventh = uniqueEmail();
        Browser.Response refused = new Browser(baseUrl).from(address).submit("/signup/", "/signup/",
                Map.of("email", eleventh, "password", PASSWORD, "repeatPassword", PASSWORD));
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.html().select(".form-error").text()).matches("Too many sign-ups from your address. Try again in \\d+ minutes?\\.");
        assertThat(count("select count(*) from users where email = ?", eleventh)).isZero();

        assertThat(browser().submit("/signup/", "/signup/", Map.of("email", eleventh, "password", PASSWORD, "repeatPassword", PASSWORD)).status())
                .as("another address").isEqualTo(302);
    }
}
