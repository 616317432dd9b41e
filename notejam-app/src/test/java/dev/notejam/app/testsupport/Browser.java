package dev.notejam.app.testsupport;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A user's browser over real HTTP: keeps cookies, never follows redirects (tests assert them), and sends the
 * CSRF token of the last form it saw, as a browser submitting that form would.
 */
public final class Browser {

    private final HttpClient http;
    private final CookieManager cookies;
    private String baseUrl;
    private String csrfToken;
    private String clientAddress;

    public Browser(String baseUrl) {
        this(baseUrl, new CookieManager(null, CookiePolicy.ACCEPT_ALL));
    }

    private Browser(String baseUrl, CookieManager cookies) {
        this.baseUrl = baseUrl;
        this.cookies = cookies;
        this.http = HttpClient.newBuilder()
                .cookieHandler(cookies)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    /**
     * Sends every request as coming from this client address (X-Forwarded-For, which the app trusts from 127.0.0.1 as
     * it trusts it from the ingress), so per-address limits can be exercised from one machine.
     */
    public Browser from(String address) {
        this.clientAddress = address;
        return this;
    }

    /** The same user (same cookies) talking to another instance. */
    public Browser sameCookiesAt(String otherBaseUrl) {
        Browser other = new Browser(otherBaseUrl, cookies);
        other.csrfToken = csrfToken;
        other.clientAddress = clientAddress;
        return other;
    }

    public Response get(String path) {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    /** Submits a form with the CSRF token of the last page seen. */
    public Response post(String path, Map<String, String> fields) {
        Map<String, String> form = new LinkedHashMap<>();
        if (csrfToken != null) {
            form.put("_csrf", csrfToken);
        }
        form.putAll(fields);
        return postRaw(path, encode(form));
    }

    /** Loads the page holding the form first (as a person would), then submits it. */
    public Response submit(String formPage, String action, Map<String, String> fields) {
        get(formPage);
        return post(action, fields);
    }

    public Response postRaw(String path, String body) {
        return send(HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    public Response send(HttpRequest.Builder request) {
        try {
            if (clientAddress != null) {
                request.setHeader("X-Forwarded-For", clientAddress);
            }
            HttpResponse<String> response = http.send(request.timeout(Duration.ofSeconds(20))
                            .setHeader("Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8").build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            Response result = new Response(response.statusCode(), response.headers(), response.body());
            result.csrfToken().ifPresent(token -> csrfToken = token);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public URI uri(String path) {
        return URI.create(baseUrl + path);
    }

    public Optional<String> cookie(String name) {
        return cookies.getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals(name)).map(HttpCookie::getValue).findFirst();
    }

    public Optional<String> sessionCookie() {
        return cookies.getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals("SESSION")).map(HttpCookie::getValue).findFirst();
    }

    /** The session id in Redis: the cookie carries it base64-encoded (Spring Session's default cookie serializer). */
    public Optional<String> sessionId() {
        return sessionCookie().map(value -> new String(Base64.getDecoder().decode(value)));
    }

    public void forgetCsrfToken() {
        csrfToken = null;
    }

    public static String encode(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    public record Response(int status, HttpHeaders headers, String body) {

        public Document html() {
            return Jsoup.parse(body);
        }

        public String location() {
            return headers.firstValue("Location").map(l -> l.replaceFirst("^https?://[^/]+", "")).orElse(null);
        }

        public String flash() {
            Element flash = html().selectFirst(".flash");
            return flash == null ? null : flash.text();
        }

        /** Field errors shown under the named field. */
        public String fieldErrors(String field) {
            Element input = html().getElementById(field);
            if (input == null) {
                return "";
            }
            Element next = input.nextElementSibling();
            return next != null && next.hasClass("field-errors") ? next.text() : "";
        }

        public String title() {
            return html().title();
        }

        Optional<String> csrfToken() {
            if (body == null || !body.contains("_csrf")) {
                return Optional.empty();
            }
            Element input = html().selectFirst("input[name=_csrf]");
            return input == null ? Optional.empty() : Optional.of(input.attr("value"));
        }
    }
}
