package dev.notejam.app.note;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

import java.time.Instant;

@Table("notes")
public record Note(@Id Long id, Long ownerId, Long padId, String name, String text, Instant createdAt, Instant updatedAt) {

    Note edited(Long newPadId, String newName, String newText, Instant now) {
        return new Note(id, ownerId, newPadId, newName, newText, createdAt, now);
    }
}
