package dev.notejam.app.note;

import java.time.Instant;

/** One line of a notes table, with its pad's name joined in (no query per row). */
public record NoteRow(long id, String name, Instant updatedAt, Long padId, String padName) {
}
