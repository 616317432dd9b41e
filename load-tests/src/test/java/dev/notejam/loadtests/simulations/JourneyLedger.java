package dev.notejam.loadtests.simulations;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the journeys saw, beyond Gatling's request statistics: every acknowledged write (so the harness can check it
 * against the database) and every signed-in page that came back signed out (a lost session).
 */
final class JourneyLedger {

	/** The state of a note as the last acknowledged write left it. */
	record NoteState(String name, boolean deleted) {
	}

	private final Map<Long, NoteState> notes = new ConcurrentHashMap<>();
	private final AtomicLong acknowledgedWrites = new AtomicLong();
	private final AtomicLong lostSessions = new AtomicLong();
	private final AtomicLong signedInPages = new AtomicLong();

	void noteWritten(long id, String name) {
		notes.put(id, new NoteState(name, false));
		acknowledgedWrites.incrementAndGet();
	}

	void noteDeleted(long id) {
		notes.computeIfPresent(id, (key, state) -> new NoteState(state.name(), true));
		acknowledgedWrites.incrementAndGet();
	}

	/** A page that needs a session answered; {@code landedOn} is where the redirects ended. */
	void signedInPageAnswered(String landedOn) {
		signedInPages.incrementAndGet();
		if (landedOn != null && landedOn.contains("/signin")) {
			lostSessions.incrementAndGet();
		}
	}

	long lostSessions() {
		return lostSessions.get();
	}

	/** {@code acknowledged-writes.csv} (id, expected name, deleted) and {@code journeys.json} in {@code dir}. */
	void write(Path dir) throws IOException {
		Files.createDirectories(dir);
		StringBuilder csv = new StringBuilder();
		notes.forEach((id, state) -> csv.append(id).append(',').append(state.name().replace(",", " ")).append(',')
				.append(state.deleted()).append('\n'));
		Files.writeString(dir.resolve("acknowledged-writes.csv"), csv);
		Files.writeString(dir.resolve("journeys.json"), String.format(Locale.ROOT,
				"{\"acknowledgedWrites\": %d, \"notesTracked\": %d, \"signedInPages\": %d, \"lostSessions\": %d}%n",
				acknowledgedWrites.get(), notes.size(), signedInPages.get(), lostSessions.get()));
	}
}
