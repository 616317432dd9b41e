package dev.notejam.app.note;

import dev.notejam.app.pad.Pad;
import dev.notejam.app.pad.PadService;
import dev.notejam.app.testsupport.Browser;
import dev.notejam.app.testsupport.WebTest;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Later list pages are read by an index seek from where the page starts (PageStarts, migration V4's notes version)
 * and are always the same notes as OFFSET would give, whatever was written since and by whom. Real PostgreSQL; the
 * "truth" of every comparison is a plain OFFSET query run by the test.
 */
class NotePageStartsTest extends WebTest {

    private static final int NOTES = 95; // 5 pages, the last one short

    @Autowired
    NoteListQuery lists;

    @Autowired
    NoteService notes;

    @Autowired
    PadService pads;

    @Autowired
    MeterRegistry meters;

    private record Owner(long id, long padId, Browser browser) {
    }

    /**
     * A user with {@link #NOTES} notes, a third of them in one pad, with repeated names and timestamps so that the
     * id tie-breaker decides, and names that are not plain ASCII.
     */
    private Owner ownerWithNotes() {
        String email = uniqueEmail();
        Browser browser = signedInUser(email);
        long owner = jdbc.sql("select id from users where email = ?").param(email).query(Long.class).single();
        long pad = createPad(browser, "pad");
        jdbc.sql("""
                insert into notes (owner_id, pad_id, name, text, updated_at)
                select ?, case when g % 3 = 0 then ? end,
                       (array['Ünïcode', 'apple', 'Apple', 'émoji 📝', 'zebra', 'مرحبا', 'apple'])[g % 7 + 1],
                       'text', timestamp with time zone '2026-11-01 10:00:00.123456+00' - (g % 13) * interval '1 minute'
                from generate_series(1, ?) g""").param(owner).param(pad).param(NOTES).update();
        return new Owner(owner, pad, browser);
    }

    /** The page's ids as a plain OFFSET query gives them. */
    private List<Long> truth(long owner, Long pad, NoteOrder order, int page) {
        String filter = pad == null ? "n.owner_id = ?" : "n.owner_id = ? and n.pad_id = " + pad;
        return jdbc.sql("select n.id from notes n where " + filter + " order by " + order.sql() + " limit 20 offset ?")
                .param(owner).param((page - 1) * NotePage.SIZE).query(Long.class).list();
    }

    private List<Long> served(long owner, Long pad, NoteOrder order, int page) {
        return lists.page(owner, pad, order, String.valueOf(page)).rows().stream().map(NoteRow::id).toList();
    }

    private double reads(String how) {
        return meters.get("notejam.note.list.page.reads").tag("read", how).counter().count();
    }

    private long notesVersion(long owner) {
        return jdbc.sql("select notes_version from users where id = ?").param(owner).query(Long.class).single();
    }

    @ParameterizedTest
    @EnumSource(NoteOrder.class)
    void laterPagesAreSeekedFromTheirStartAndAreTheSameAsByOffset(NoteOrder order) {
        Owner owner = ownerWithNotes();
        for (Long pad : new Long[]{null, owner.padId()}) {
            int lastPage = pad == null ? 5 : 2;
            double seeksBefore = reads("seek");
            double offsetsBefore = reads("offset");
            for (int pass = 1; pass <= 2; pass++) {
                for (int page = 1; page <= lastPage; page++) {
                    assertThat(served(owner.id(), pad, order, page)).as("%s pad %s page %d pass %d", order, pad, page, pass)
                            .hasSize(page < lastPage ? 20 : (pad == null ? 15 : 11))
                            .isEqualTo(truth(owner.id(), pad, order, page));
                }
            }
            // Pass 1: page 1 by OFFSET tells where page 2 starts, and each page where the next one starts.
            // Pass 2: every later page by seek. Page 1 always by OFFSET (from the start of the index).
            assertThat(reads("offset") - offsetsBefore).as("reads by OFFSET").isEqualTo(2);
            assertThat(reads("seek") - seeksBefore).as("reads by seek").isEqualTo(2 * (lastPage - 1));
        }
    }

    @Test
    void aPageJumpedToIsReadByOffsetOnceThenBySeek() {
        Owner owner = ownerWithNotes();
        double offsetsBefore = reads("offset");
        assertThat(served(owner.id(), null, NoteOrder.NAME, 4)).isEqualTo(truth(owner.id(), null, NoteOrder.NAME, 4));
        assertThat(reads("offset") - offsetsBefore).isEqualTo(1);
        double seeksBefore = reads("seek");
        assertThat(served(owner.id(), null, NoteOrder.NAME, 4)).isEqualTo(truth(owner.id(), null, NoteOrder.NAME, 4));
        assertThat(served(owner.id(), null, NoteOrder.NAME, 5)).isEqualTo(truth(owner.id(), null, NoteOrder.NAME, 5));
        assertThat(reads("seek") - seeksBefore).isEqualTo(2);
        assertThat(reads("offset") - offsetsBefore).isEqualTo(1);
    }

    /**
     * Writes made behind the app's back (plain SQL on another connection, as another replica or an operator would)
     * after the page starts were learnt: each raises the owner's notes version, so the next read of the page falls
     * back to OFFSET and is right, and the one after is a seek again.
     */
    @Test
    void anyWriteToTheOwnersNotesRetiresThePageStartsLearntBefore() {
        Owner owner = ownerWithNotes();
        Pad other = pads.create(owner.id(), "other pad");
        long firstByName = truth(owner.id(), null, NoteOrder.NAME, 1).get(0);
        long onPadPageOne = truth(owner.id(), owner.padId(), NoteOrder.UPDATED_DESC, 1).get(0);
        List<Consumer<Long>> writes = List.of(
                o -> jdbc.sql("insert into notes (owner_id, name, text) values (?, '0 first by name', 'x')").param(o).update(),
                o -> jdbc.sql("update notes set name = 'zzz last by name' where id = ?").param(firstByName).update(),
                o -> jdbc.sql("update notes set updated_at = now() where id = ?").param(onPadPageOne).update(),
                o -> jdbc.sql("update notes set text = 'only the text' where id = ?").param(onPadPageOne).update(),
                o -> jdbc.sql("update notes set pad_id = ? where id = ?").param(other.id()).param(onPadPageOne).update(),
                o -> jdbc.sql("delete from notes where id = (select min(id) from notes where owner_id = ?)").param(o).update(),
                o -> jdbc.sql("delete from pads where id = ?").param(other.id()).update());
        for (int w = 0; w < writes.size(); w++) {
            for (NoteOrder order : NoteOrder.values()) {
                for (Long pad : new Long[]{null, owner.padId()}) {
                    served(owner.id(), pad, order, 1);
                    served(owner.id(), pad, order, 2); // learns where page 3 starts, if there is one
                }
            }
            long versionBefore = notesVersion(owner.id());
            writes.get(w).accept(owner.id());
            assertThat(notesVersion(owner.id())).as("write %d raises the version", w).isGreaterThan(versionBefore);
            for (NoteOrder order : NoteOrder.values()) {
                double offsetsBefore = reads("offset");
                assertThat(served(owner.id(), null, order, 3)).as("write %d, %s, page 3", w, order)
                        .isEqualTo(truth(owner.id(), null, order, 3));
                assertThat(reads("offset") - offsetsBefore).as("write %d, %s: the stale start is not used", w, order)
                        .isEqualTo(1);
                assertThat(served(owner.id(), owner.padId(), order, 2)).as("write %d, %s, pad page 2", w, order)
                        .isEqualTo(truth(owner.id(), owner.padId(), order, 2));
            }
        }
    }

    @Test
    void everyKindOfWriteRaisesItsOwnersNotesVersionAndNoOneElses() {
        Owner owner = ownerWithNotes();
        Owner bystander = ownerWithNotes();
        long bystanderVersion = notesVersion(bystander.id());
        Pad pad = pads.create(owner.id(), "versioned");
        List<Runnable> writes = new ArrayList<>();
        long[] noteId = new long[1];
        writes.add(() -> noteId[0] = notes.create(owner.id(), pad, "new", "x").id());
        writes.add(() -> notes.edit(owner.id(), noteId[0], pad, "new", "text only"));
        writes.add(() -> notes.edit(owner.id(), noteId[0], null, "moved out of the pad", "x"));
        writes.add(() -> notes.delete(owner.id(), noteId[0]));
        writes.add(() -> notes.create(owner.id(), pad, "in the pad", "x"));
        writes.add(() -> pads.delete(owner.id(), pad.id())); // cascades to its note
        for (Runnable write : writes) {
            long before = notesVersion(owner.id());
            write.run();
            assertThat(notesVersion(owner.id())).isGreaterThan(before);
        }
        long before = notesVersion(owner.id());
        jdbc.sql("update notes set text = text where owner_id = ? and false").param(owner.id()).update();
        pads.rename(owner.id(), owner.padId(), "renamed pad");
        assertThat(notesVersion(owner.id())).as("no note written, no new version").isEqualTo(before);
        assertThat(notesVersion(bystander.id())).isEqualTo(bystanderVersion);
    }

    @Test
    void pageStartsAreKeptPerOwner() {
        Owner first = ownerWithNotes();
        Owner second = ownerWithNotes();
        for (int page = 1; page <= 3; page++) {
            served(first.id(), null, NoteOrder.DEFAULT, page);
        }
        double seeksBefore = reads("seek");
        assertThat(served(second.id(), null, NoteOrder.DEFAULT, 3)).isEqualTo(truth(second.id(), null, NoteOrder.DEFAULT, 3))
                .doesNotContainAnyElementsOf(truth(first.id(), null, NoteOrder.DEFAULT, 3));
        assertThat(reads("seek")).as("no other owner's start is used").isEqualTo(seeksBefore);
        assertThat(second.browser().get("/?page=3").html().select("table.notes tbody tr")).hasSize(20);
    }

    /**
     * Two writers edit, add and delete the owner's notes while two readers page through every order. Each page read
     * meanwhile is a well-formed page of the owner's notes; once the writers stop, every page of every order is the
     * same as by OFFSET, so no start learnt during the writes outlives them. Bounded by count and time.
     */
    @Test
    void concurrentWritersLeaveNoPageReadFromAMovedStart() throws Exception {
        Owner owner = ownerWithNotes();
        List<Long> ids = jdbc.sql("select id from notes where owner_id = ? order by id").param(owner.id()).query(Long.class).list();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(40));
        AtomicBoolean writing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 2; w++) {
                Random random = new Random(w);
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 150 && Instant.now().isBefore(deadline); i++) {
                        long id = ids.get(random.nextInt(ids.size()));
                        switch (i % 3) {
                            case 0 -> jdbc.sql("update notes set name = ?, updated_at = now() where id = ?")
                                    .param("renamed " + random.nextInt(1000)).param(id).update();
                            case 1 -> notes.create(owner.id(), null, "added " + i, "x");
                            default -> jdbc.sql("delete from notes where id = (select max(id) from notes where owner_id = ? and name like 'added %')")
                                    .param(owner.id()).update();
                        }
                    }
                }));
            }
            List<Future<Integer>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                Random random = new Random(100 + r);
                readers.add(pool.submit(() -> {
                    int pagesRead = 0;
                    while (writing.get() && Instant.now().isBefore(deadline)) {
                        NoteOrder order = NoteOrder.values()[random.nextInt(4)];
                        int page = 1 + random.nextInt(5);
                        NotePage read = lists.page(owner.id(), null, order, String.valueOf(page));
                        List<Long> pageIds = read.rows().stream().map(NoteRow::id).toList();
                        assertThat(pageIds).doesNotHaveDuplicates().hasSizeLessThanOrEqualTo(NotePage.SIZE);
                        pagesRead++;
                    }
                    return pagesRead;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(60, TimeUnit.SECONDS);
            }
            writing.set(false);
            int pagesRead = 0;
            for (Future<Integer> reader : readers) {
                pagesRead += reader.get(60, TimeUnit.SECONDS);
            }
            assertThat(pagesRead).as("pages read during the writes").isGreaterThan(20);
        } finally {
            pool.shutdownNow();
        }
        assertThat(Instant.now()).as("the writers finished in time").isBefore(deadline);
        long total = count("select count(*) from notes where owner_id = ?", owner.id());
        int pageCount = (int) ((total + NotePage.SIZE - 1) / NotePage.SIZE);
        // Last page first: reading forwards would learn every start afresh from page 1 before using any older one.
        for (NoteOrder order : NoteOrder.values()) {
            for (int page = pageCount; page >= 1; page--) {
                assertThat(served(owner.id(), null, order, page)).as("%s page %d after the writes", order, page)
                        .isEqualTo(truth(owner.id(), null, order, page));
            }
        }
    }
}
