package dev.notejam.app.note;

import java.time.Instant;

public record Note(Long id, Long ownerId, Long padId, String name, String text, Instant createdAt, Instant updatedAt) {

    Note edited(Long newPadId, String newName, String newText, Instant now) {
        return new Note(id, ownerId, newPadId, newName, newText, createdAt, now);
    }
}
