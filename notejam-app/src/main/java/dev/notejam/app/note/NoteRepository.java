package dev.notejam.app.note;

import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

import java.sql.Timestamp;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.Optional;

/** The notes table, one note at a time (the lists are {@link NoteListQuery}). Ownership is part of every statement. */
@Repository
class NoteRepository {

    private static final RowMapper<Note> ROW = (rs, i) -> new Note(rs.getLong("id"), rs.getLong("owner_id"),
            (Long) rs.getObject("pad_id"), rs.getString("name"), rs.getString("text"),
            rs.getObject("created_at", OffsetDateTime.class).toInstant(), rs.getObject("updated_at", OffsetDateTime.class).toInstant());

    private final JdbcClient jdbc;

    NoteRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    Optional<Note> findByIdAndOwnerId(long id, long ownerId) {
        return jdbc.sql("select id, owner_id, pad_id, name, text, created_at, updated_at from notes where id = ? and owner_id = ?")
                .param(id).param(ownerId).query(ROW).optional();
    }

    Note insert(Note note) {
        long id = jdbc.sql("""
                        insert into notes (owner_id, pad_id, name, text, created_at, updated_at)
                        values (?, ?, ?, ?, ?, ?) returning id""")
                .param(note.ownerId()).param(new SqlParameterValue(Types.BIGINT, note.padId())).param(note.name()).param(note.text())
                .param(Timestamp.from(note.createdAt())).param(Timestamp.from(note.updatedAt()))
                .query(Long.class).single();
        return new Note(id, note.ownerId(), note.padId(), note.name(), note.text(), note.createdAt(), note.updatedAt());
    }

    void update(Note note) {
        jdbc.sql("update notes set pad_id = ?, name = ?, text = ?, updated_at = ? where id = ? and owner_id = ?")
                .param(new SqlParameterValue(Types.BIGINT, note.padId())).param(note.name()).param(note.text()).param(Timestamp.from(note.updatedAt()))
                .param(note.id()).param(note.ownerId()).update();
    }

    void delete(Note note) {
        jdbc.sql("delete from notes where id = ? and owner_id = ?").param(note.id()).param(note.ownerId()).update();
    }
}
