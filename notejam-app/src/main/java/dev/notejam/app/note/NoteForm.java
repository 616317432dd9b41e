package dev.notejam.app.note;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Note form; {@code pad} is kept as text so that a tampered value becomes a field error, not a 400. */
public record NoteForm(
        @NotBlank(message = "Name is required") @Size(max = 100, message = "Name must be at most 100 characters")
        String name,
        @NotBlank(message = "Text is required") @Size(max = 10_000, message = "Text must be at most 10000 characters")
        String text,
        String pad) {

    static NoteForm of(Note note) {
        return new NoteForm(note.name(), note.text(), note.padId() == null ? "" : note.padId().toString());
    }
}
