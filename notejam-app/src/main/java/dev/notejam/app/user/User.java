package dev.notejam.app.user;

import org.springframework.data.annotation.Id;
import org.springframework.data.relational.core.mapping.Table;

import java.time.Instant;

@Table("users")
public record User(@Id Long id, String email, String passwordHash, Instant createdAt) {

    public User withPasswordHash(String newHash) {
        return new User(id, email, newHash, createdAt);
    }
}
