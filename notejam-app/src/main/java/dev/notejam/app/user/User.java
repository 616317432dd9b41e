package dev.notejam.app.user;

import java.time.Instant;

public record User(Long id, String email, String passwordHash, Instant createdAt) {

    public User withPasswordHash(String newHash) {
        return new User(id, email, newHash, createdAt);
    }
}
