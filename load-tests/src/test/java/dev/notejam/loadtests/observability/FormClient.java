package dev.notejam.loadtests.observability;

import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One browser-like user of the app over real HTTP: keeps its cookies, fetches each form first and posts it with the
 * form's hidden {@code _csrf} token. Redirects are not followed, so the test sees every status. Remembers every CSRF
 * token and session id it was given, so the log check can look for them.
 */
final class FormClient {

	private static final Pattern CSRF = Pattern.compile("name=\"_csrf\"\\s+value=\"([^\"]+)\"|value=\"([^\"]+)\"\\s+name=\"_csrf\"");

	private final URI baseUrl;

	private final CookieManager cookies = new CookieManager();

	private final HttpClient http;

	private final Set<String> seenSecrets;

	/** Extra request headers sent with every request (a W3C traceparent, for the trace-id check). */
	private final Map<String, String> headers = new LinkedHashMap<>();

	FormClient(URI baseUrl, Set<String> seenSecrets) {
		this.baseUrl = baseUrl;
		this.seenSecrets = seenSecrets;
		this.http = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NEVER)
			.connectTimeout(Duration.ofSeconds(5)).build();
	}

	FormClient withHeader(String name, String value) {
		headers.put(name, value);
		return this;
	}

	private HttpRequest.Builder request(String path) {
		HttpRequest.Builder request = HttpRequest.newBuilder(baseUrl.resolve(path)).timeout(Duration.ofSeconds(30));
		headers.forEach(request::header);
		return request;
	}

	static Set<String> newSecretSet() {
		return ConcurrentHashMap.newKeySet();
	}

	HttpResponse<String> get(String path) throws IOException, InterruptedException {
		HttpResponse<String> response = http.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
		remember(response);
		return response;
	}

	/** GET the form page, then POST its fields plus its CSRF token to {@code path}. */
	HttpResponse<String> submit(String path, Map<String, String> fields) throws IOException, InterruptedException {
		HttpResponse<String> form = get(path);
		Matcher csrf = CSRF.matcher(form.body());
		if (!csrf.find()) {
			throw new IllegalStateException("no _csrf field on " + path + " (status " + form.statusCode() + ")");
		}
		Map<String, String> all = new LinkedHashMap<>(fields);
		all.put("_csrf", csrf.group(1) != null ? csrf.group(1) : csrf.group(2));
		return post(path, all);
	}

	/** POST without fetching the form first (no CSRF token unless the caller gives one). */
	HttpResponse<String> post(String path, Map<String, String> fields) throws IOException, InterruptedException {
		String body = fields.entrySet().stream()
			.map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
		HttpResponse<String> response = http.send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
		remember(response);
		return response;
	}

	private void remember(HttpResponse<String> response) {
		Matcher csrf = CSRF.matcher(response.body() == null ? "" : response.body());
		while (csrf.find()) {
			seenSecrets.add(csrf.group(1) != null ? csrf.group(1) : csrf.group(2));
		}
		for (HttpCookie cookie : cookies.getCookieStore().getCookies()) {
			if (cookie.getValue() != null && cookie.getValue().length() >= 16) {
				seenSecrets.add(cookie.getValue());
			}
		}
	}
}
