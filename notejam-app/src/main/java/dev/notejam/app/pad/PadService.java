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

    public List<Pad> listFor(long ownerId) {
        return pads.findByOwnerIdOrderByNameAscIdAsc(ownerId);
    }

    public Pad create(long ownerId, String name) {
        Instant now = Instant.now(clock);
        return pads.save(new Pad(null, ownerId, name.strip(), now, now));
    }

    @Transactional
    public Pad rename(long ownerId, long padId, String name) {
        return pads.save(get(ownerId, padId).renamed(name.strip(), Instant.now(clock)));
    }

    /** Deletes the pad; the database cascades to its notes. */
    @Transactional
    public void delete(long ownerId, long padId) {
        pads.delete(get(ownerId, padId));
    }
}
