package dev.notejam.app.pad;

import dev.notejam.app.web.NotFoundException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

@Service
public class PadService {

    private final PadRepository pads;
    private final Clock clock;

    PadService(PadRepository pads, Clock clock) {
        this.pads = pads;
        this.clock = clock;
    }

    public Pad get(long ownerId, long padId) {
        return pads.findByIdAndOwnerId(padId, ownerId).orElseThrow(NotFoundException::new);
    }

    /** Every page's sidebar. */
    public List<Pad> listFor(long ownerId) {
        return pads.findAllByOwnerId(ownerId);
    }

    public Pad create(long ownerId, String name) {
        Instant now = Instant.now(clock);
        return pads.insert(ownerId, name.strip(), now);
    }

    @Transactional
    public Pad rename(long ownerId, long padId, String name) {
        Pad renamed = get(ownerId, padId).renamed(name.strip(), Instant.now(clock));
        pads.update(renamed);
        return renamed;
    }

    /**
     * Deletes the pad; the database cascades to its notes. The pad's notes are locked first: a statement on notes
     * locks its notes and then, in V3's triggers, their pads, so taking the pad first would deadlock with a note
     * being moved out of it.
     */
    @Transactional
    public void delete(long ownerId, long padId) {
        pads.delete(get(ownerId, padId));
    }
}
