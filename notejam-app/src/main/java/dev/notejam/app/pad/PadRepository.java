package dev.notejam.app.pad;

import org.springframework.data.jdbc.repository.query.Query;
import org.springframework.data.repository.CrudRepository;

import java.util.Optional;

/** Hand-written SQL: a derived query renders its SQL again on every call, which showed in the list page profile. */
public interface PadRepository extends CrudRepository<Pad, Long> {

    /** Owner check in the query: another user's pad is indistinguishable from a missing one. */
    @Query("select * from pads where id = :id and owner_id = :ownerId")
    Optional<Pad> findByIdAndOwnerId(long id, long ownerId);
}
