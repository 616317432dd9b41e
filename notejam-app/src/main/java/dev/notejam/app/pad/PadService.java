package dev.notejam.app.pad;

import dev.notejam.app.web.NotFoundException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

@Service
public class PadService {

    private final PadRepository pads;
    private final JdbcClient jdbc;
    private final Clock clock;

    PadService(PadRepository pads, JdbcClient jdbc, Clock clock) {
        this.pads = pads;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public Pad get(long ownerId, long padId) {
        return pads.findByIdAndOwnerId(padId, ownerId).orElseThrow(NotFoundException::new);
    }

    /**
     * Every page's sidebar, served by the (owner_id, name) index. Read with a plain row mapper: through the
     * repository, each row went through Spring Data's entity conversion and publishing of an AfterConvertEvent,
     * ~12 % of the all-notes page's allocations with the user lookup (BENCHMARKS.md).
     */
    public List<Pad> listFor(long ownerId) {
        return jdbc.sql("select id, owner_id, name, created_at, updated_at from pads where owner_id = ? order by name, id")
                .param(ownerId)
                .query((rs, i) -> new Pad(rs.getLong("id"), rs.getLong("owner_id"), rs.getString("name"),
                        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("updated_at", OffsetDateTime.class).toInstant()))
                .list();
    }

    public Pad create(long ownerId, String name) {
        Instant now = Instant.now(clock);
        return pads.save(new Pad(null, ownerId, name.strip(), now, now));
    }

    @Transactional
    public Pad rename(long ownerId, long padId, String name) {
        return pads.save(get(ownerId, padId).renamed(name.strip(), Instant.now(clock)));
    }

    /**
     * Deletes the pad; the database cascades to its notes. The pad's notes are locked first: a statement on notes
     * locks its notes and then, in V3's triggers, their pads, so taking the pad first would deadlock with a note
     * being moved out of it.
     */
    @Transactional
    public void delete(long ownerId, long padId) {
        Pad pad = get(ownerId, padId);
        jdbc.sql("select id from notes where pad_id = ? and owner_id = ? order by id for update")
                .param(padId).param(ownerId).query(Long.class).list();
        pads.delete(pad);
    }
}
