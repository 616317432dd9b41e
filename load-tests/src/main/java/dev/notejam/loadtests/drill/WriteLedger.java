package dev.notejam.loadtests.drill;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Every write the primary acknowledged (the app answered with the note's page) and every account it created, with the
 * time the request left and the time the answer came. Only acknowledged writes count: a request cut off by the region's
 * loss was never promised to the user.
 */
final class WriteLedger {

	enum Kind { CREATE, EDIT }

	/** One acknowledged note write; name and text are kept as MD5 (what PostgreSQL's md5() gives for the same text). */
	record AckedWrite(String email, long noteId, Kind kind, String nameMd5, String textMd5, Instant requestedAt, Instant ackedAt) {
	}

	/** One account whose sign-up the primary acknowledged. */
	record AckedSignUp(String email, Instant requestedAt, Instant ackedAt) {
	}

	private final List<AckedWrite> writes = new ArrayList<>();
	private final List<AckedSignUp> signUps = new ArrayList<>();
	private final List<AckedWrite> unanswered = new ArrayList<>();

	/**
	 * A write whose answer never came (timeout, connection cut): the primary may or may not have committed it, so DR may
	 * hold its state. ackedAt is when the attempt gave up.
	 */
	synchronized void unanswered(String email, long noteId, Kind kind, String name, String text, Instant requestedAt, Instant gaveUpAt) {
		unanswered.add(new AckedWrite(email, noteId, kind, md5(name), md5(text), requestedAt, gaveUpAt));
	}

	synchronized List<AckedWrite> unanswered() {
		return List.copyOf(unanswered);
	}

	synchronized void write(String email, long noteId, Kind kind, String name, String text, Instant requestedAt, Instant ackedAt) {
		writes.add(new AckedWrite(email, noteId, kind, md5(name), md5(text), requestedAt, ackedAt));
	}

	synchronized void signUp(String email, Instant requestedAt, Instant ackedAt) {
		signUps.add(new AckedSignUp(email, requestedAt, ackedAt));
	}

	synchronized List<AckedWrite> writes() {
		return List.copyOf(writes);
	}

	synchronized List<AckedSignUp> signUps() {
		return List.copyOf(signUps);
	}

	static String md5(String text) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}
}
