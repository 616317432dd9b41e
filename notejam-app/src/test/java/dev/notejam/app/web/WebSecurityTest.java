package dev.notejam.app.web;

import dev.notejam.app.testsupport.Browser;
import dev.notejam.app.testsupport.WebTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.web.servlet.resource.ResourceUrlProvider;

import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WebSecurityTest extends WebTest {

    @Test
    void postWithoutCsrfTokenIsRefusedAndStoresNothing() {
        Browser user = signedInUser();
        long before = count("select count(*) from pads");
        user.forgetCsrfToken();

        Browser.Response response = user.postRaw("/pads/create/", Browser.encode(Map.of("name", "no token")));

        assertThat(response.status()).isEqualTo(403);
        assertThat(count("select count(*) from pads")).isEqualTo(before);
    }

    @Test
    void postWithWrongCsrfTokenIsRefused() {
        Browser user = signedInUser();
        Browser.Response response = user.postRaw("/pads/create/", Browser.encode(Map.of("_csrf", "forged", "name", "x")));
        assertThat(response.status()).isEqualTo(403);
    }

    @Test
    void noteTextAndNamesAreEscaped() {
        Browser user = signedInUser();
        long padId = createPad(user, "<b>pad</b>");
        long noteId = createNote(user, "<img src=x onerror=alert(1)>", "<script>alert('x')</script>\nsecond line", padId);

        Browser.Response page = user.get("/notes/" + noteId + "/");
        assertThat(page.body()).doesNotContain("<script>alert").doesNotContain("<img src=x").doesNotContain("<b>pad</b>");
        assertThat(page.body()).contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
        assertThat(page.html().selectFirst(".note-text").wholeText()).isEqualTo("<script>alert('x')</script>\nsecond line");
        assertThat(user.get("/").body()).doesNotContain("<img src=x");
    }

    @ParameterizedTest(name = "GET {0}")
    @ValueSource(strings = {"/notes/abc/", "/notes/abc/edit/", "/notes/abc/delete/", "/pads/abc/", "/pads/abc/edit/",
            "/pads/abc/delete/", "/notes/99999999999999999999/", "/pads/1.5/", "/notes/-1/", "/no/such/page/"})
    void malformedIdsAndUnknownPagesAnswer404WithoutStackTrace(String path) {
        Browser.Response response = signedInUser().get(path);
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.body()).doesNotContain("Exception").doesNotContain("at dev.notejam").contains("This page does not exist.");
    }

    @Test
    void everyPadAndNoteRouteOfAnotherUserAnswers404() {
        Browser owner = signedInUser();
        long padId = createPad(owner, "Owner's pad");
        long noteId = createNote(owner, "Owner's note", "text", padId);
        Browser other = signedInUser();

        for (String path : List.of("/pads/%d/", "/pads/%d/edit/", "/pads/%d/delete/")) {
            assertThat(other.get(path.formatted(padId)).status()).as("GET " + path).isEqualTo(404);
        }
        for (String path : List.of("/notes/%d/", "/notes/%d/edit/", "/notes/%d/delete/")) {
            assertThat(other.get(path.formatted(noteId)).status()).as("GET " + path).isEqualTo(404);
        }
        other.get("/");
        assertThat(other.post("/pads/%d/edit/".formatted(padId), Map.of("name", "x")).status()).isEqualTo(404);
        assertThat(other.post("/notes/%d/edit/".formatted(noteId), Map.of("name", "x", "text", "y", "pad", "")).status()).isEqualTo(404);
        assertThat(other.post("/notes/%d/delete/".formatted(noteId), Map.of()).status()).isEqualTo(404);
        assertThat(other.post("/pads/%d/delete/".formatted(padId), Map.of()).status()).isEqualTo(404);
        // A missing id answers exactly like someone else's.
        assertThat(other.get("/notes/%d/".formatted(noteId + 1_000_000)).status()).isEqualTo(404);
        assertThat(count("select count(*) from notes where id = ? and name = 'Owner''s note'", noteId)).isEqualTo(1);
        assertThat(count("select count(*) from pads where id = ? and name = 'Owner''s pad'", padId)).isEqualTo(1);
    }

    @Test
    void wrongMethodAnswers405() {
        Browser user = signedInUser();
        long noteId = createNote(user, "n", "t", null);
        Browser.Response response = user.send(HttpRequest.newBuilder(user.uri("/notes/" + noteId + "/"))
                .method("DELETE", HttpRequest.BodyPublishers.noBody()));
        assertThat(response.status()).isIn(403, 405);
        Browser.Response put = user.send(HttpRequest.newBuilder(user.uri("/notes/" + noteId + "/")).header("X-Probe", "1")
                .method("PATCH", HttpRequest.BodyPublishers.noBody()));
        assertThat(put.status()).isIn(403, 405);
        assertThat(count("select count(*) from notes where id = ?", noteId)).isEqualTo(1);
    }

    @Test
    void getOnPostOnlyRouteAnswers405() {
        Browser user = signedInUser();
        assertThat(user.get("/signout/").status()).isIn(404, 405);
    }

    @Test
    void oversizedBodyAnswers413AndStoresNothing() {
        Browser user = signedInUser();
        long before = count("select count(*) from notes");
        user.get("/notes/create/");
        Browser.Response response = user.post("/notes/create/", Map.of("name", "big", "text", "x".repeat(1_000_000), "pad", ""));

        assertThat(response.status()).isEqualTo(413);
        assertThat(count("select count(*) from notes")).isEqualTo(before);
    }

    @Test
    void noteTextOverTheLimitIsAFieldError() {
        Browser user = signedInUser();
        Browser.Response response = user.submit("/notes/create/", "/notes/create/", Map.of("name", "long", "text", "y".repeat(10_001), "pad", ""));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.fieldErrors("text")).contains("at most 10000 characters");
    }

    @Test
    void securityHeadersAndCookieFlagsAreSet() {
        Browser browser = browser();
        Browser.Response page = browser.get("/signin/");
        assertThat(page.headers().firstValue("Content-Security-Policy")).get().asString()
                .contains("default-src 'self'").contains("script-src 'self'").doesNotContain("unsafe-inline");
        assertThat(page.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(page.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(page.headers().firstValue("Referrer-Policy")).contains("strict-origin-when-cross-origin");
        assertThat(page.headers().firstValue("Strict-Transport-Security")).as("no HSTS over plain HTTP").isEmpty();
        assertThat(page.headers().allValues("Set-Cookie")).as("no session before sign-in")
                .noneMatch(cookie -> cookie.startsWith("SESSION="))
                .anySatisfy(cookie -> assertThat(cookie).startsWith("XSRF-TOKEN=").contains("HttpOnly").contains("SameSite=Lax"));

        String email = uniqueEmail();
        signedInUser(email);
        Browser.Response signin = browser.post("/signin/", java.util.Map.of("email", email, "password", PASSWORD));
        assertThat(signin.headers().allValues("Set-Cookie")).anySatisfy(cookie ->
                assertThat(cookie).startsWith("SESSION=").contains("HttpOnly").contains("SameSite=Lax"));
    }

    @Test
    void behindATrustedTlsProxyHstsIsSentAndTheSessionCookieIsSecure() {
        Browser browser = browser();
        // The test client is 127.0.0.1, inside Tomcat's default trusted proxy ranges, like the ALB inside the VPC.
        Browser.Response page = browser.send(HttpRequest.newBuilder(browser.uri("/signin/"))
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-For", "203.0.113.7").GET());
        assertThat(page.headers().firstValue("Strict-Transport-Security")).get().asString().contains("max-age=31536000");
        String csrfCookie = page.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("XSRF-TOKEN=")).findFirst().orElseThrow();
        assertThat(csrfCookie).contains("Secure").contains("HttpOnly").contains("SameSite=Lax");

        // The client speaks plain HTTP to the "proxy", so it would not send a Secure cookie by itself.
        String email = uniqueEmail();
        signedInUser(email);
        String form = Browser.encode(java.util.Map.of("_csrf", page.html().selectFirst("input[name=_csrf]").attr("value"),
                "email", email, "password", PASSWORD));
        Browser.Response signin = browser.send(HttpRequest.newBuilder(browser.uri("/signin/"))
                .header("X-Forwarded-Proto", "https").header("X-Forwarded-For", "203.0.113.7")
                .header("Cookie", csrfCookie.substring(0, csrfCookie.indexOf(';')))
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)));
        assertThat(signin.status()).isEqualTo(302);
        assertThat(signin.headers().allValues("Set-Cookie")).anySatisfy(cookie ->
                assertThat(cookie).startsWith("SESSION=").contains("Secure").contains("HttpOnly").contains("SameSite=Lax"));
    }

    @Test
    void staticAssetsAreServedWithCacheHeaders() {
        Browser browser = browser();
        String css = browser.get("/signin/").html().selectFirst("link[rel=stylesheet]").attr("href");
        assertThat(css).matches("/css/notejam-[0-9a-f]{32}\\.css");
        Browser.Response asset = browser.get(css);
        assertThat(asset.status()).isEqualTo(200);
        assertThat(asset.headers().firstValue("Cache-Control")).get().asString().contains("max-age=604800");
        String icon = browser.get("/signin/").html().selectFirst("link[rel=icon]").attr("href");
        assertThat(icon).matches("/images/notejam-[0-9a-f]{32}\\.svg");
        assertThat(browser.get(icon).status()).isEqualTo(200);
    }

    @Test
    void onlyStaticPathsGoThroughTheResourceChain(@Autowired ResourceUrlProvider resourceUrls) {
        // A /** mapping made every rendered link (/notes/42, /?page=3) a class-path lookup: ~50 ms CPU per page.
        assertThat(resourceUrls.getHandlerMap().keySet()).containsExactlyInAnyOrder("/css/**", "/images/**");
        assertThat(resourceUrls.getForLookupPath("/notes/42")).isNull();
        assertThat(browser().get("/css/../application.yml").status()).isIn(400, 404);
    }

    @Test
    void footerShowsTheVersion() {
        Browser.Response page = browser().get("/signin/");
        assertThat(page.html().select(".site-footer .version").text()).isNotBlank();
        assertThat(page.html().select(".site-footer").text()).startsWith("Notejam");
    }
}
