package dev.notejam.app.user;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.Optional;

/** The users table, in plain SQL like every other statement of the app. */
@Repository
public class UserRepository {

    static final RowMapper<User> ROW = (rs, i) -> new User(rs.getLong("id"), rs.getString("email"),
            rs.getString("password_hash"), rs.getObject("created_at", OffsetDateTime.class).toInstant());

    private final JdbcClient jdbc;

    UserRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** Served by the unique index on lower(email). */
    public Optional<User> findByEmailIgnoreCase(String email) {
        return jdbc.sql("select id, email, password_hash, created_at from users where lower(email) = lower(?)")
                .param(email).query(ROW).optional();
    }

    public Optional<User> findById(long id) {
        return jdbc.sql("select id, email, password_hash, created_at from users where id = ?").param(id).query(ROW).optional();
    }

    public boolean existsByEmailIgnoreCase(String email) {
        return jdbc.sql("select exists (select 1 from users where lower(email) = lower(?))").param(email).query(Boolean.class).single();
    }

    /** @throws org.springframework.dao.DuplicateKeyException when the e-mail is taken (ignoring case) */
    public User insert(String email, String passwordHash, java.time.Instant createdAt) {
        long id = jdbc.sql("insert into users (email, password_hash, created_at) values (?, ?, ?) returning id")
                .param(email).param(passwordHash).param(Timestamp.from(createdAt)).query(Long.class).single();
        return new User(id, email, passwordHash, createdAt);
    }

    public void updatePasswordHash(long id, String passwordHash) {
        jdbc.sql("update users set password_hash = ? where id = ?").param(passwordHash).param(id).update();
    }
}
