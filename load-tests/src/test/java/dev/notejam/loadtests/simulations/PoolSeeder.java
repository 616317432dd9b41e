package dev.notejam.loadtests.simulations;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Prepares the pool of users the journeys sign in as: each signs up and gets a pad and a few notes, so the reading
 * journeys have something to list, sort, page and open. Runs before the measured load, through the same HTML forms
 * (CSRF token included) a browser would use.
 */
final class PoolSeeder {

	/** A pool user's credentials. */
	record PoolUser(String email, String password) {
	}

	private static final Pattern CSRF = Pattern.compile(
			"<input[^>]*name=\"_csrf\"[^>]*value=\"([^\"]+)\"|<input[^>]*value=\"([^\"]+)\"[^>]*name=\"_csrf\"");

	private final URI baseUrl;

	PoolSeeder(URI baseUrl) {
		this.baseUrl = baseUrl;
	}

	/** Polls the sign-in page until the app answers (it may still be starting), bounded by {@code timeout}. */
	void awaitApp(Duration timeout, java.util.function.BooleanSupplier mayStillCome) throws InterruptedException {
		HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
		Instant deadline = Instant.now().plus(timeout);
		String last = "no answer";
		while (Instant.now().isBefore(deadline) && mayStillCome.getAsBoolean()) {
			try {
				HttpResponse<Void> response = client.send(HttpRequest.newBuilder(baseUrl.resolve("/signin/"))
						.timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.discarding());
				if (response.statusCode() == 200) {
					return;
				}
				last = "HTTP " + response.statusCode();
			}
			catch (IOException e) {
				last = e.toString();
			}
			Thread.sleep(1000);
		}
		throw new IllegalStateException("Notejam at " + baseUrl + " did not answer within " + timeout + " (" + last + ")");
	}

	/**
	 * Reads the pages the journeys read, so the measured run does not start on a cold JIT (a pod gets the same from
	 * its readiness delay and its first users).
	 */
	private void warmUp(HttpClient browser, int rounds) throws IOException, InterruptedException {
		String[] pages = { "/?order=-updated_at", "/?order=name", "/?order=name&page=2", "/?order=updated_at", "/notes/create/", "/pads/create/" };
		for (int round = 0; round < rounds; round++) {
			for (String page : pages) {
				browser.send(HttpRequest.newBuilder(baseUrl.resolve(page)).GET().build(), HttpResponse.BodyHandlers.discarding());
			}
		}
	}

	List<PoolUser> seed(String runId, int size, int notesPerUser, int warmUpRounds) throws IOException, InterruptedException {
		List<PoolUser> users = new ArrayList<>();
		for (int i = 0; i < size; i++) {
			PoolUser user = new PoolUser("pool-" + runId + "-" + i + "@loadtest.notejam.dev", "pool-password-" + runId);
			HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
					.followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(5)).build();
			submit(browser, "/signup/", Map.of("email", user.email(), "password", user.password(), "repeatPassword", user.password()));
			String home = submit(browser, "/signin/", Map.of("email", user.email(), "password", user.password()));
			if (!home.contains(user.email())) {
				throw new IllegalStateException("pool user " + user.email() + " could not sign in");
			}
			submit(browser, "/pads/create/", Map.of("name", "Pool pad " + i));
			for (int n = 0; n < notesPerUser; n++) {
				submit(browser, "/notes/create/", Map.of("name", "Seed note " + n + " of " + i, "text", "Seeded before the run.", "pad", ""));
			}
			warmUp(browser, warmUpRounds);
			users.add(user);
		}
		return users;
	}

	/** GET the form, then POST it with its CSRF token; returns the page the redirects end on. */
	private String submit(HttpClient browser, String path, Map<String, String> fields) throws IOException, InterruptedException {
		HttpResponse<String> form = browser.send(HttpRequest.newBuilder(baseUrl.resolve(path)).GET().build(),
				HttpResponse.BodyHandlers.ofString());
		Matcher csrf = CSRF.matcher(form.body());
		if (form.statusCode() != 200 || !csrf.find()) {
			throw new IllegalStateException("GET " + path + " gave HTTP " + form.statusCode() + " without a _csrf field");
		}
		Map<String, String> body = new LinkedHashMap<>(fields);
		body.put("_csrf", csrf.group(1) != null ? csrf.group(1) : csrf.group(2));
		String encoded = body.entrySet().stream()
				.map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
				.collect(Collectors.joining("&"));
		HttpResponse<String> answer = browser.send(HttpRequest.newBuilder(baseUrl.resolve(path))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString(encoded)).build(), HttpResponse.BodyHandlers.ofString());
		if (answer.statusCode() != 200) {
			throw new IllegalStateException("POST " + path + " ended with HTTP " + answer.statusCode());
		}
		return answer.body();
	}
}
