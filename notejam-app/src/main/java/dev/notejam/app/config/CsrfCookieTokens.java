package dev.notejam.app.config;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.web.csrf.CookieCsrfTokenRepository;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRepository;
import org.springframework.security.web.csrf.HttpSessionCsrfTokenRepository;

/**
 * CSRF tokens kept in an HttpOnly, SameSite=Lax cookie that each form's (masked) token must match, instead of in the
 * session: an anonymous visitor's sign-in, sign-up or reset form then needs no session in Redis, so anonymous page
 * views cannot fill Redis and push signed-in users' sessions out. A token that an earlier build kept in a session
 * is still accepted when there is no cookie yet, so forms opened before a deploy keep working.
 */
final class CsrfCookieTokens implements CsrfTokenRepository {

    private final CookieCsrfTokenRepository cookies = new CookieCsrfTokenRepository();
    private final HttpSessionCsrfTokenRepository earlierBuilds = new HttpSessionCsrfTokenRepository();

    CsrfCookieTokens() {
        cookies.setCookieCustomizer(cookie -> cookie.sameSite("Lax"));
    }

    @Override
    public CsrfToken generateToken(HttpServletRequest request) {
        return cookies.generateToken(request);
    }

    @Override
    public void saveToken(CsrfToken token, HttpServletRequest request, HttpServletResponse response) {
        cookies.saveToken(token, request, response);
    }

    @Override
    public CsrfToken loadToken(HttpServletRequest request) {
        CsrfToken token = cookies.loadToken(request);
        return token != null || request.getSession(false) == null ? token : earlierBuilds.loadToken(request);
    }
}
