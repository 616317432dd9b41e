package dev.notejam.app.note;

import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.CrudRepository;

import java.util.Optional;

public interface NoteRepository extends CrudRepository<Note, Long> {

    /** Owner check in the query: another user's note is indistinguishable from a missing one. */
    @Query("select * from notes where id = :id and owner_id = :ownerId")
    Optional<Note> findByIdAndOwnerId(long id, long ownerId);
}
