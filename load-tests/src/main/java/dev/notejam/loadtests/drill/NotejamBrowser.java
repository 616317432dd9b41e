package dev.notejam.loadtests.drill;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One user's browser: a cookie jar, the app's HTML forms fetched first and posted with their CSRF token, redirects
 * followed. Every call either returns what the user would see or throws: the drill counts a write as acknowledged only
 * when the app answered with the note's page.
 */
final class NotejamBrowser {

	private static final Pattern CSRF = Pattern.compile(
			"<input[^>]*name=\"_csrf\"[^>]*value=\"([^\"]+)\"|<input[^>]*value=\"([^\"]+)\"[^>]*name=\"_csrf\"");
	/** Generous: the two shared cores also run both regions' databases and apps, and other builds. */
	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
	private static final Pattern NOTE_PAGE = Pattern.compile("/notes/(\\d+)/$");

	/** The page the redirects ended on. */
	record Page(int status, URI location, String body) {
	}

	private final URI baseUrl;
	private final HttpClient client;

	NotejamBrowser(URI baseUrl) {
		this(baseUrl, new CookieManager());
	}

	/** A browser that keeps its cookies (its session) when pointed at another address, as after a DNS failover. */
	NotejamBrowser(URI baseUrl, CookieManager cookies) {
		this.baseUrl = baseUrl;
		this.client = HttpClient.newBuilder().cookieHandler(cookies).followRedirects(HttpClient.Redirect.NORMAL)
				.connectTimeout(Duration.ofSeconds(2)).build();
	}

	Page get(String path) throws IOException, InterruptedException {
		HttpResponse<String> response = client.send(HttpRequest.newBuilder(baseUrl.resolve(path)).timeout(REQUEST_TIMEOUT)
				.GET().build(), HttpResponse.BodyHandlers.ofString());
		return new Page(response.statusCode(), response.uri(), response.body());
	}

	void signUp(String email, String password) throws IOException, InterruptedException {
		Page page = submit("/signup/", Map.of("email", email, "password", password, "repeatPassword", password));
		if (!page.location().getPath().equals("/signin/")) {
			throw new IOException("sign-up of " + email + " ended on " + page.location());
		}
	}

	void signIn(String email, String password) throws IOException, InterruptedException {
		Page page = submit("/signin/", Map.of("email", email, "password", password));
		// A refused sign-in shows the form again with the email filled in: the page must also have left /signin/.
		if (page.location().getPath().equals("/signin/") || !page.body().contains(email)) {
			throw new IOException("sign-in of " + email + " ended on " + page.location() + " without the user's email");
		}
	}

	/** True when this browser's session is signed in (the list page shows the email rather than the sign-in form). */
	boolean signedInAs(String email) throws IOException, InterruptedException {
		Page page = get("/");
		return page.status() == 200 && page.body().contains(email) && !page.location().getPath().equals("/signin/");
	}

	long createNote(String name, String text) throws IOException, InterruptedException {
		return noteId(submit("/notes/create/", Map.of("name", name, "text", text, "pad", "")));
	}

	void editNote(long id, String name, String text) throws IOException, InterruptedException {
		long landed = noteId(submit("/notes/" + id + "/edit/", Map.of("name", name, "text", text, "pad", "")));
		if (landed != id) {
			throw new IOException("edit of note " + id + " landed on note " + landed);
		}
	}

	private static long noteId(Page page) throws IOException {
		Matcher m = NOTE_PAGE.matcher(page.location().getPath());
		if (page.status() != 200 || !m.find()) {
			throw new IOException("expected a note page, got HTTP " + page.status() + " at " + page.location());
		}
		return Long.parseLong(m.group(1));
	}

	private Page submit(String path, Map<String, String> fields) throws IOException, InterruptedException {
		Page form = get(path);
		Matcher csrf = CSRF.matcher(form.body());
		if (form.status() != 200 || !csrf.find()) {
			throw new IOException("GET " + path + " gave HTTP " + form.status() + " without a _csrf field");
		}
		Map<String, String> body = new LinkedHashMap<>(fields);
		body.put("_csrf", csrf.group(1) != null ? csrf.group(1) : csrf.group(2));
		String encoded = body.entrySet().stream()
				.map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
				.collect(Collectors.joining("&"));
		HttpResponse<String> answer = client.send(HttpRequest.newBuilder(baseUrl.resolve(path)).timeout(REQUEST_TIMEOUT)
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(encoded)).build(), HttpResponse.BodyHandlers.ofString());
		if (answer.statusCode() != 200) {
			throw new IOException("POST " + path + " ended with HTTP " + answer.statusCode());
		}
		return new Page(answer.statusCode(), answer.uri(), answer.body());
	}
}
