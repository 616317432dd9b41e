package dev.notejam.app.note;

import org.springframework.data.repository.CrudRepository;

import java.util.Optional;

public interface NoteRepository extends CrudRepository<Note, Long> {

    /** Owner check in the query: another user's note is indistinguishable from a missing one. */
    Optional<Note> findByIdAndOwnerId(long id, long ownerId);
}
