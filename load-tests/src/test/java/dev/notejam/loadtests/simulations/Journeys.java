package dev.notejam.loadtests.simulations;

import static io.gatling.javaapi.core.CoreDsl.css;
import static io.gatling.javaapi.http.HttpDsl.currentLocation;
import static io.gatling.javaapi.http.HttpDsl.currentLocationRegex;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.percent;
import static io.gatling.javaapi.core.CoreDsl.randomSwitch;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.CheckBuilder;
import io.gatling.javaapi.http.HttpRequestActionBuilder;

/**
 * The user journeys and their weighted mix (documented in the module README):
 * <ul>
 * <li>45 % reader: sign in, list notes sorted three ways and paged, open two notes, sign out;</li>
 * <li>30 % writer: sign in, create a note, edit it, list notes, sign out;</li>
 * <li>15 % organiser: sign in, create a pad, add a note to it, open the pad, one in three deletes that note, sign out;</li>
 * <li>10 % newcomer: sign up, sign in, create a first note, sign out.</li>
 * </ul>
 * Every form is fetched first and posted with its hidden {@code _csrf} token. Think times between pages follow
 * the settings' scale.
 */
final class Journeys {

	private static final String CSRF = "input[name='_csrf']";

	private final JourneyLedger ledger;
	private final double thinkScale;

	Journeys(JourneyLedger ledger, double thinkScale) {
		this.ledger = ledger;
		this.thinkScale = thinkScale;
	}

	ChainBuilder mix(Iterator<Map<String, Object>> poolUsers) {
		return randomSwitch().on(
				percent(45.0).then(feed(poolUsers).exec(reader())),
				percent(30.0).then(feed(poolUsers).exec(writer())),
				percent(15.0).then(feed(poolUsers).exec(organiser())),
				percent(10.0).then(newcomer()));
	}

	ChainBuilder reader() {
		return signIn()
				.exec(think(2, 5))
				.exec(signedInPage("list notes, newest first", "/?order=-updated_at",
						css("table.notes a[href^='/notes/']", "href").findRandom().optional().saveAs("noteHref")))
				.exitHereIfFailed()
				.exec(think(2, 6))
				.doIf(session -> session.contains("noteHref")).then(
						exec(signedInPage("open note", "#{noteHref}")).exitHereIfFailed().exec(think(3, 8)))
				.exec(signedInPage("list notes by name", "/?order=name"))
				.exitHereIfFailed()
				.exec(think(1, 4))
				.exec(signedInPage("list notes, page 2", "/?order=name&page=2",
						css("table.notes a[href^='/notes/']", "href").findRandom().optional().saveAs("noteHref")))
				.exitHereIfFailed()
				.exec(think(2, 5))
				.exec(signedInPage("list notes, oldest first", "/?order=updated_at"))
				.exitHereIfFailed()
				.doIf(session -> session.contains("noteHref")).then(
						exec(think(2, 5)).exec(signedInPage("open note", "#{noteHref}")).exitHereIfFailed())
				.exec(think(1, 3))
				.exec(signOut());
	}

	ChainBuilder writer() {
		return signIn()
				.exec(think(2, 4))
				.exec(createNote("", "#{noteName}"))
				.exitHereIfFailed()
				.exec(think(3, 8))
				.exec(signedInPage("edit note form", "/notes/#{noteId}/edit/"))
				.exitHereIfFailed()
				.exec(think(5, 12))
				.exec(session -> session.set("editedName", "Edited " + session.getString("noteName")))
				.exec(http("edit note").post("/notes/#{noteId}/edit/")
						.formParam("_csrf", "#{csrf}")
						.formParam("name", "#{editedName}")
						.formParam("text", "Edited under load at " + System.currentTimeMillis())
						.formParam("pad", "")
						.check(currentLocation().saveAs("landedOn"))
						.check(status().is(200), currentLocationRegex("/notes/(\\d+)/$").exists(), css(CSRF, "value").saveAs("csrf")))
				.exec(session -> {
					ledger.signedInPageAnswered(session.getString("landedOn"));
					if (!session.isFailed()) {
						ledger.noteWritten(Long.parseLong(session.getString("noteId")), session.getString("editedName"));
					}
					return session;
				})
				.exitHereIfFailed()
				.exec(think(2, 5))
				.exec(signedInPage("list notes, newest first", "/?order=-updated_at"))
				.exitHereIfFailed()
				.exec(think(1, 3))
				.exec(signOut());
	}

	ChainBuilder organiser() {
		return signIn()
				.exec(think(2, 4))
				.exec(signedInPage("new pad form", "/pads/create/"))
				.exitHereIfFailed()
				.exec(think(2, 5))
				.exec(http("create pad").post("/pads/create/")
						.formParam("_csrf", "#{csrf}")
						.formParam("name", session -> "Pad " + shortId())
						.check(status().is(200), currentLocationRegex("/pads/(\\d+)/$").saveAs("padId"), css(CSRF, "value").saveAs("csrf")))
				.exitHereIfFailed()
				.exec(think(2, 5))
				.exec(createNote("#{padId}", "#{noteName}"))
				.exitHereIfFailed()
				.exec(think(2, 5))
				.exec(signedInPage("open pad", "/pads/#{padId}/"))
				.exitHereIfFailed()
				.randomSwitch().on(percent(33.0).then(deleteNote()))
				.exec(think(1, 3))
				.exec(signOut());
	}

	ChainBuilder newcomer() {
		return exec(session -> session.set("email", "new-" + shortId() + "@loadtest.notejam.dev")
				.set("password", "newcomer-" + shortId()))
				.exec(http("sign up form").get("/signup/").check(status().is(200), css(CSRF, "value").saveAs("csrf")))
				.exitHereIfFailed()
				.exec(think(5, 10))
				.exec(http("sign up").post("/signup/")
						.formParam("_csrf", "#{csrf}")
						.formParam("email", "#{email}")
						.formParam("password", "#{password}")
						.formParam("repeatPassword", "#{password}")
						// success redirects to the sign-in page, whose form carries a fresh token
						.check(status().is(200), currentLocationRegex("/signin/$").exists(), css(CSRF, "value").saveAs("csrf")))
				.exitHereIfFailed()
				.exec(think(2, 5))
				.exec(signInPost())
				.exitHereIfFailed()
				.exec(think(2, 5))
				.exec(createNote("", "#{noteName}"))
				.exitHereIfFailed()
				.exec(think(1, 3))
				.exec(signOut());
	}

	private ChainBuilder signIn() {
		return exec(http("sign in form").get("/signin/").check(status().is(200), css(CSRF, "value").saveAs("csrf")))
				.exitHereIfFailed()
				.exec(think(2, 5))
				.exec(signInPost())
				.exitHereIfFailed();
	}

	private ChainBuilder signInPost() {
		return exec(http("sign in").post("/signin/")
				.formParam("_csrf", "#{csrf}")
				.formParam("email", "#{email}")
				.formParam("password", "#{password}")
				// 302 to / on success; the page then shows the signed-in email and a fresh token
				.check(status().is(200), css("span.email").isEL("#{email}"), css(CSRF, "value").saveAs("csrf")));
	}

	private ChainBuilder signOut() {
		return exec(http("sign out").post("/signout/")
				.formParam("_csrf", "#{csrf}")
				.check(status().is(200), currentLocationRegex("/signin/$").exists()));
	}

	private ChainBuilder createNote(String pad, String nameExpression) {
		return exec(session -> session.set("noteName", "Note " + shortId()))
				.exec(signedInPage("new note form", pad.isEmpty() ? "/notes/create/" : "/notes/create/?pad=" + pad))
				.exitHereIfFailed()
				.exec(think(5, 15))
				.exec(http("create note").post("/notes/create/")
						.formParam("_csrf", "#{csrf}")
						.formParam("name", nameExpression)
						.formParam("text", "Written by a load-test journey. " + "Lorem ipsum dolor sit amet. ".repeat(8))
						.formParam("pad", pad)
						.check(currentLocation().saveAs("landedOn"))
						.check(status().is(200), currentLocationRegex("/notes/(\\d+)/$").saveAs("noteId"),
								css(CSRF, "value").saveAs("csrf")))
				.exec(session -> {
					ledger.signedInPageAnswered(session.getString("landedOn"));
					if (!session.isFailed() && session.contains("noteId")) {
						ledger.noteWritten(Long.parseLong(session.getString("noteId")), session.getString("noteName"));
					}
					return session;
				});
	}

	private ChainBuilder deleteNote() {
		return exec(think(2, 4))
				.exec(signedInPage("delete note form", "/notes/#{noteId}/delete/"))
				.exitHereIfFailed()
				.exec(think(1, 3))
				.exec(http("delete note").post("/notes/#{noteId}/delete/")
						.formParam("_csrf", "#{csrf}")
						.check(status().is(200), currentLocationRegex("/pads/#{padId}/$").exists(), css(CSRF, "value").saveAs("csrf")))
				.exec(session -> {
					if (!session.isFailed()) {
						ledger.noteDeleted(Long.parseLong(session.getString("noteId")));
					}
					return session;
				});
	}

	/**
	 * A page that needs the session: it must show the signed-in email. Where the redirects ended is recorded first,
	 * so a page that came back as the sign-in form counts as a lost session in the ledger.
	 */
	private ChainBuilder signedInPage(String name, String url, CheckBuilder... extraChecks) {
		HttpRequestActionBuilder request = http(name).get(url)
				.check(currentLocation().saveAs("landedOn"))
				.check(status().is(200), css("span.email").isEL("#{email}"), css(CSRF, "value").saveAs("csrf"));
		if (extraChecks.length > 0) {
			request = request.check(extraChecks);
		}
		return exec(request).exec(session -> {
			ledger.signedInPageAnswered(session.getString("landedOn"));
			return session;
		});
	}

	private ChainBuilder think(int minSeconds, int maxSeconds) {
		long min = Math.round(minSeconds * 1000 * thinkScale);
		long max = Math.max(min + 1, Math.round(maxSeconds * 1000 * thinkScale));
		return pause(Duration.ofMillis(min), Duration.ofMillis(max));
	}

	private static String shortId() {
		return UUID.randomUUID().toString().substring(0, 8) + ThreadLocalRandom.current().nextInt(1000);
	}

}
