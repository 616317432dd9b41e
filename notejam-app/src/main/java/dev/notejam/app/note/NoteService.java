package dev.notejam.app.note;

import dev.notejam.app.pad.Pad;
import dev.notejam.app.web.NotFoundException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;

@Service
public class NoteService {

    private final NoteRepository notes;
    private final Clock clock;

    NoteService(NoteRepository notes, Clock clock) {
        this.notes = notes;
        this.clock = clock;
    }

    public Note get(long ownerId, long noteId) {
        return notes.findByIdAndOwnerId(noteId, ownerId).orElseThrow(NotFoundException::new);
    }

    /** {@code pad} must already be checked to belong to the owner (null for no pad). */
    public Note create(long ownerId, Pad pad, String name, String text) {
        Instant now = Instant.now(clock);
        return notes.insert(new Note(null, ownerId, pad == null ? null : pad.id(), name.strip(), text, now, now));
    }

    @Transactional
    public Note edit(long ownerId, long noteId, Pad pad, String name, String text) {
        Note note = get(ownerId, noteId);
        Note edited = note.edited(pad == null ? null : pad.id(), name.strip(), text, Instant.now(clock));
        notes.update(edited);
        return edited;
    }

    @Transactional
    public Note delete(long ownerId, long noteId) {
        Note note = get(ownerId, noteId);
        notes.delete(note);
        return note;
    }
}
