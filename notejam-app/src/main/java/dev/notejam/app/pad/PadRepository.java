package dev.notejam.app.pad;

import org.springframework.data.repository.CrudRepository;

import java.util.List;
import java.util.Optional;

public interface PadRepository extends CrudRepository<Pad, Long> {

    /** Owner check in the query: another user's pad is indistinguishable from a missing one. */
    Optional<Pad> findByIdAndOwnerId(long id, long ownerId);

    List<Pad> findByOwnerIdOrderByNameAscIdAsc(long ownerId);
}
