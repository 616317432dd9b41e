package dev.notejam.app.pad;

import java.time.Instant;

public record Pad(Long id, Long ownerId, String name, Instant createdAt, Instant updatedAt) {

    public Pad renamed(String newName, Instant now) {
        return new Pad(id, ownerId, newName, createdAt, now);
    }
}
