package dev.notejam.loadtests.drill;

import static org.assertj.core.api.Assertions.assertThat;

import dev.notejam.loadtests.drill.DrillVerdict.Outcome;
import dev.notejam.loadtests.drill.DrillVerdict.RestoredNote;
import dev.notejam.loadtests.drill.WriteLedger.Kind;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The drill's judgement of what DR must hold, on hand-made ledgers (the drill itself runs through ci/scripts/dr-drill.sh). */
class DrillVerdictTest {

	private static final Instant BACKUP_STARTED = Instant.parse("2026-12-04T10:00:00Z");
	private static final Instant BACKUP_FINISHED = Instant.parse("2026-12-04T10:00:10Z");
	private static final String ALICE = "alice@drill.notejam.dev";

	private final WriteLedger ledger = new WriteLedger();
	private final Map<Long, RestoredNote> restored = new HashMap<>();

	private static Instant at(int secondsAfterBackupStart) {
		return BACKUP_STARTED.plusSeconds(secondsAfterBackupStart);
	}

	private void write(long id, Kind kind, String name, String text, int requested, int acked) {
		ledger.write(ALICE, id, kind, name, text, at(requested), at(acked));
	}

	private void inDr(long id, String name, String text) {
		restored.put(id, new RestoredNote(ALICE, WriteLedger.md5(name), WriteLedger.md5(text)));
	}

	private DrillVerdict.Result judge() {
		return DrillVerdict.judge(ledger.writes(), ledger.signUps(), BACKUP_STARTED, BACKUP_FINISHED, restored, Set.of(ALICE));
	}

	@Test
	void note_written_before_the_backup_and_restored_unchanged_is_identical() {
		write(1, Kind.CREATE, "n1", "text", -5, -4);
		inDr(1, "n1", "text");
		DrillVerdict.Result result = judge();
		assertThat(result.checkedBeforeBackup()).extracting(DrillVerdict.NoteCheck::outcome).containsExactly(Outcome.IDENTICAL);
		assertThat(result.passed()).isTrue();
		assertThat(result.lost()).isEmpty();
	}

	@Test
	void note_written_before_the_backup_but_missing_or_changed_in_dr_fails_the_drill() {
		write(1, Kind.CREATE, "n1", "text", -5, -4);
		write(2, Kind.CREATE, "n2", "text", -5, -4);
		inDr(2, "n2", "other text");
		DrillVerdict.Result result = judge();
		assertThat(result.checkedBeforeBackup()).extracting(DrillVerdict.NoteCheck::outcome)
				.containsExactly(Outcome.MISSING, Outcome.DIFFERENT);
		assertThat(result.passed()).isFalse();
	}

	@Test
	void edit_under_way_while_the_backup_ran_may_be_in_dr_either_way() {
		write(1, Kind.CREATE, "n1", "v1", -5, -4);
		write(1, Kind.EDIT, "n1", "v2", 2, 3);
		inDr(1, "n1", "v2");
		DrillVerdict.Result result = judge();
		assertThat(result.checkedBeforeBackup()).extracting(DrillVerdict.NoteCheck::outcome).containsExactly(Outcome.NEWER_FROM_BACKUP_WINDOW);
		assertThat(result.keptFromBackupWindow()).hasSize(1);
		assertThat(result.passed()).isTrue();
	}

	@Test
	void writes_after_the_backup_that_dr_lacks_are_listed_as_lost_in_ack_order() {
		write(1, Kind.CREATE, "n1", "v1", -5, -4);
		inDr(1, "n1", "v1");
		write(3, Kind.CREATE, "n3", "late", 30, 31);
		write(1, Kind.EDIT, "n1", "v2", 20, 21);
		DrillVerdict.Result result = judge();
		assertThat(result.lost()).extracting(WriteLedger.AckedWrite::noteId).containsExactly(1L, 3L);
		assertThat(result.passed()).isTrue();
	}

	@Test
	void a_write_started_after_the_backup_finished_found_in_dr_fails_the_drill() {
		write(4, Kind.CREATE, "n4", "after", 15, 16);
		inDr(4, "n4", "after");
		DrillVerdict.Result result = judge();
		assertThat(result.impossible()).hasSize(1);
		assertThat(result.passed()).isFalse();
	}

	@Test
	void accounts_created_after_the_backup_are_lost_but_one_created_before_must_be_there() {
		ledger.signUp("late@drill.notejam.dev", at(20), at(21));
		assertThat(judge().accountsLost()).extracting(WriteLedger.AckedSignUp::email).containsExactly("late@drill.notejam.dev");
		assertThat(judge().passed()).isTrue();

		ledger.signUp("early@drill.notejam.dev", at(-20), at(-19));
		assertThat(judge().accountsMissingFromBeforeBackup()).hasSize(1);
		assertThat(judge().passed()).isFalse();
	}

	@Test
	void a_state_from_an_edit_whose_answer_was_lost_is_accepted_but_only_for_that_note() {
		write(1, Kind.CREATE, "n1", "v1", -5, -4);
		write(2, Kind.CREATE, "n2", "v1", -5, -4);
		ledger.unanswered(ALICE, 1, Kind.EDIT, "n1", "v2", at(1), at(31));
		inDr(1, "n1", "v2");
		inDr(2, "n1", "v2");
		DrillVerdict.Result result = DrillVerdict.judge(ledger.writes(), ledger.unanswered(), ledger.signUps(), BACKUP_STARTED,
				BACKUP_FINISHED, restored, Set.of(ALICE));
		assertThat(result.checkedBeforeBackup()).extracting(DrillVerdict.NoteCheck::outcome)
				.containsExactly(Outcome.FROM_UNANSWERED_WRITE, Outcome.DIFFERENT);
		assertThat(result.failedChecks()).extracting(DrillVerdict.NoteCheck::noteId).containsExactly(2L);
		assertThat(result.passed()).isFalse();
	}
}
