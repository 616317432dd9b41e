package dev.notejam.loadtests.drill;

import dev.notejam.loadtests.drill.WriteLedger.AckedSignUp;
import dev.notejam.loadtests.drill.WriteLedger.AckedWrite;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compares what the primary acknowledged with what the DR database holds after the restore.
 * <ul>
 * <li>A write acknowledged before the backup started must be in DR exactly (its note present, same owner, name and
 * text), unless a later write of the same note was already under way while the backup ran: then DR may hold either.</li>
 * <li>A write acknowledged after the backup started and not in DR is lost: that list is the measured RPO.</li>
 * <li>A write that started after the backup finished and yet is in DR would mean the restore came from somewhere else:
 * it fails the drill.</li>
 * </ul>
 */
final class DrillVerdict {

	/** A note as the DR database holds it. */
	record RestoredNote(String email, String nameMd5, String textMd5) {
	}

	enum Outcome { IDENTICAL, NEWER_FROM_BACKUP_WINDOW, FROM_UNANSWERED_WRITE, MISSING, DIFFERENT }

	record NoteCheck(long noteId, String email, Outcome outcome) {
	}

	record Result(List<NoteCheck> checkedBeforeBackup, List<AckedWrite> lost, List<AckedWrite> keptFromBackupWindow,
			List<AckedWrite> impossible, List<AckedSignUp> accountsLost, List<AckedSignUp> accountsKept,
			List<AckedSignUp> accountsMissingFromBeforeBackup) {

		boolean passed() {
			return impossible.isEmpty() && accountsMissingFromBeforeBackup.isEmpty() && failedChecks().isEmpty();
		}

		List<NoteCheck> failedChecks() {
			return checkedBeforeBackup.stream().filter(c -> c.outcome() == Outcome.MISSING || c.outcome() == Outcome.DIFFERENT).toList();
		}

		long identical() {
			return checkedBeforeBackup.stream().filter(c -> c.outcome() == Outcome.IDENTICAL).count();
		}
	}

	private DrillVerdict() {
	}

	static Result judge(List<AckedWrite> writes, List<AckedSignUp> signUps, Instant backupStarted, Instant backupFinished,
			Map<Long, RestoredNote> restored, Set<String> restoredEmails) {
		return judge(writes, List.of(), signUps, backupStarted, backupFinished, restored, restoredEmails);
	}

	/** As above; {@code unanswered} are edits whose answer never came, which the primary may have committed. */
	static Result judge(List<AckedWrite> writes, List<AckedWrite> unanswered, List<AckedSignUp> signUps, Instant backupStarted,
			Instant backupFinished, Map<Long, RestoredNote> restored, Set<String> restoredEmails) {
		Map<Long, List<AckedWrite>> byNote = new TreeMap<>();
		writes.stream().sorted(Comparator.comparing(AckedWrite::ackedAt))
				.forEach(w -> byNote.computeIfAbsent(w.noteId(), k -> new ArrayList<>()).add(w));

		List<NoteCheck> checked = new ArrayList<>();
		List<AckedWrite> lost = new ArrayList<>();
		List<AckedWrite> keptFromWindow = new ArrayList<>();
		List<AckedWrite> impossible = new ArrayList<>();
		for (Map.Entry<Long, List<AckedWrite>> entry : byNote.entrySet()) {
			RestoredNote inDr = restored.get(entry.getKey());
			AckedWrite lastBefore = null;
			Set<AckedWrite> allowedLater = new HashSet<>();
			for (AckedWrite w : entry.getValue()) {
				boolean matches = inDr != null && same(w, inDr);
				if (w.ackedAt().isBefore(backupStarted)) {
					lastBefore = w;
					continue;
				}
				if (w.requestedAt().isBefore(backupFinished)) {
					allowedLater.add(w);
				}
				if (matches && w.requestedAt().isBefore(backupFinished)) {
					keptFromWindow.add(w);
				}
				else if (matches) {
					impossible.add(w);
				}
				else {
					lost.add(w);
				}
			}
			if (lastBefore != null) {
				Outcome outcome;
				if (inDr == null) {
					outcome = Outcome.MISSING;
				}
				else if (same(lastBefore, inDr)) {
					outcome = Outcome.IDENTICAL;
				}
				else if (allowedLater.stream().anyMatch(w -> same(w, inDr))) {
					outcome = Outcome.NEWER_FROM_BACKUP_WINDOW;
				}
				else if (unanswered.stream().anyMatch(w -> w.noteId() == entry.getKey() && w.requestedAt().isBefore(backupFinished) && same(w, inDr))) {
					outcome = Outcome.FROM_UNANSWERED_WRITE;
				}
				else {
					outcome = Outcome.DIFFERENT;
				}
				checked.add(new NoteCheck(entry.getKey(), lastBefore.email(), outcome));
			}
		}
		lost.sort(Comparator.comparing(AckedWrite::ackedAt));
		List<AckedSignUp> accountsLost = new ArrayList<>();
		List<AckedSignUp> accountsKept = new ArrayList<>();
		for (AckedSignUp s : signUps) {
			(restoredEmails.contains(s.email()) ? accountsKept : accountsLost).add(s);
		}
		List<AckedSignUp> missingFromBefore = accountsLost.stream().filter(s -> s.ackedAt().isBefore(backupStarted)).toList();
		return new Result(checked, lost, keptFromWindow, impossible, accountsLost, accountsKept, missingFromBefore);
	}

	private static boolean same(AckedWrite w, RestoredNote n) {
		return w.email().equals(n.email()) && w.nameMd5().equals(n.nameMd5()) && w.textMd5().equals(n.textMd5());
	}
}
