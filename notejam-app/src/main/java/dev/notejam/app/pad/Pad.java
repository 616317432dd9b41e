package dev.notejam.app.pad;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

import java.time.Instant;

@Table("pads")
public record Pad(@Id Long id, Long ownerId, String name, Instant createdAt, Instant updatedAt) {

    public Pad renamed(String newName, Instant now) {
        return new Pad(id, ownerId, newName, createdAt, now);
    }
}
