package dev.notejam.app.pad;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** The pads table. Ownership is part of every statement: another user's pad is indistinguishable from a missing one. */
@Repository
class PadRepository {

    private static final RowMapper<Pad> ROW = (rs, i) -> new Pad(rs.getLong("id"), rs.getLong("owner_id"), rs.getString("name"),
            rs.getObject("created_at", OffsetDateTime.class).toInstant(), rs.getObject("updated_at", OffsetDateTime.class).toInstant());

    private final JdbcClient jdbc;

    PadRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Pad> findByIdAndOwnerId(long id, long ownerId) {
        return jdbc.sql("select id, owner_id, name, created_at, updated_at from pads where id = ? and owner_id = ?")
                .param(id).param(ownerId).query(ROW).optional();
    }

    /** Every page's sidebar, served by the (owner_id, name) index. */
    List<Pad> findAllByOwnerId(long ownerId) {
        return jdbc.sql("select id, owner_id, name, created_at, updated_at from pads where owner_id = ? order by name, id")
                .param(ownerId).query(ROW).list();
    }

    Pad insert(long ownerId, String name, Instant now) {
        long id = jdbc.sql("insert into pads (owner_id, name, created_at, updated_at) values (?, ?, ?, ?) returning id")
                .param(ownerId).param(name).param(Timestamp.from(now)).param(Timestamp.from(now)).query(Long.class).single();
        return new Pad(id, ownerId, name, now, now);
    }

    void update(Pad pad) {
        jdbc.sql("update pads set name = ?, updated_at = ? where id = ? and owner_id = ?")
                .param(pad.name()).param(Timestamp.from(pad.updatedAt())).param(pad.id()).param(pad.ownerId()).update();
    }

    /** Locks the pad's notes, then deletes the pad; the database cascades to the notes. */
    void delete(Pad pad) {
        jdbc.sql("select id from notes where pad_id = ? and owner_id = ? order by id for update")
                .param(pad.id()).param(pad.ownerId()).query(Long.class).list();
        jdbc.sql("delete from pads where id = ? and owner_id = ?").param(pad.id()).param(pad.ownerId()).update();
    }
}
