package dev.notejam.app.note;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.stereotype.Component;

/**
 * Where the pages of note lists start: the sort key and id of the note just before a page, with the owner's
 * {@code notes_version} they were read at (migration V4). With it, page N is read by an index seek from that note
 * instead of OFFSET, which walks every earlier note (3,980 index entries for page 200).
 * <p>
 * Kept per JVM and bounded. The lists never depend on it being current: a start is used only while the owner's
 * notes version is the one it was learnt at, and any write to the owner's notes, by this replica or another, raises
 * that version, so the page is read by OFFSET again.
 */
@Component
class PageStarts {

    /** About 200 bytes each: at most ~2 MB of heap. */
    static final int MAX_ENTRIES = 10_000;

    /** One page of one list: all the owner's notes ({@code padId} null) or one pad's, in one order. */
    record Page(long ownerId, Long padId, NoteOrder order, int number) {

        Page next() {
            return new Page(ownerId, padId, order, number + 1);
        }
    }

    /** The page starts after the note ({@code afterKey}, {@code afterId}) while the owner's notes are at {@code notesVersion}. */
    record Start(long notesVersion, Object afterKey, long afterId) {
    }

    private final Cache<Page, Start> starts = Caffeine.newBuilder().maximumSize(MAX_ENTRIES).build();

    Start get(Page page) {
        return starts.getIfPresent(page);
    }

    /** Every page read reports its next page's start; in the steady state it is the one already kept. */
    void put(Page page, Start start) {
        if (!start.equals(starts.getIfPresent(page))) {
            starts.put(page, start);
        }
    }
}
