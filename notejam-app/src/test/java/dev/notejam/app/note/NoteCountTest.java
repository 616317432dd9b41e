package dev.notejam.app.note;

import dev.notejam.app.pad.Pad;
import dev.notejam.app.pad.PadService;
import dev.notejam.app.testsupport.EmbeddedDataStores;
import dev.notejam.app.testsupport.WebTest;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The note counts on users and pads (migration V3's triggers) stay equal to a real count after every kind of write,
 * including concurrent writers on one account. Real PostgreSQL.
 */
class NoteCountTest extends WebTest {

    @Autowired
    NoteService notes;

    @Autowired
    PadService pads;

    private long newUser() {
        String email = uniqueEmail();
        signedInUser(email);
        return jdbc.sql("select id from users where email = ?").param(email).query(Long.class).single();
    }

    private long storedCount(String table, long id) {
        return jdbc.sql("select note_count from " + table + " where id = ?").param(id).query(Long.class).single();
    }

    private void assertCountsMatch(long owner) {
        assertThat(storedCount("users", owner)).as("user's note_count")
                .isEqualTo(count("select count(*) from notes where owner_id = ?", owner));
        for (Pad pad : pads.listFor(owner)) {
            assertThat(storedCount("pads", pad.id())).as("note_count of pad %s", pad.name())
                    .isEqualTo(count("select count(*) from notes where pad_id = ?", pad.id()));
        }
    }

    @Test
    void countsFollowCreateEditMoveDeleteAndPadDeletion() {
        long owner = newUser();
        Pad work = pads.create(owner, "work");
        Pad home = pads.create(owner, "home");
        Note a = notes.create(owner, work, "a", "x");
        Note b = notes.create(owner, work, "b", "x");
        notes.create(owner, null, "c", "x");
        assertThat(storedCount("users", owner)).isEqualTo(3);
        assertThat(storedCount("pads", work.id())).isEqualTo(2);

        notes.edit(owner, a.id(), work, "a renamed", "y");
        assertThat(storedCount("pads", work.id())).as("an edit in place moves nothing").isEqualTo(2);
        notes.edit(owner, a.id(), home, "a", "y");
        notes.edit(owner, b.id(), null, "b", "y");
        assertThat(storedCount("pads", work.id())).isZero();
        assertThat(storedCount("pads", home.id())).isEqualTo(1);
        assertCountsMatch(owner);

        notes.delete(owner, b.id());
        pads.delete(owner, home.id()); // cascades to note a
        assertThat(storedCount("users", owner)).isEqualTo(1);
        assertCountsMatch(owner);
    }

    /** A row's xmin changes with every UPDATE of it (PostgreSQL writes a new row version). */
    private long rowVersion(String table, long id) {
        return jdbc.sql("select xmin::text::bigint from " + table + " where id = ?").param(id).query(Long.class).single();
    }

    /** V6: an edit that moves nothing writes only the note, not the owner's row or the pad's row as well. */
    @Test
    void anEditInPlaceWritesOnlyTheNote() {
        long owner = newUser();
        Pad work = pads.create(owner, "work");
        Note note = notes.create(owner, work, "a", "x");
        long userBefore = rowVersion("users", owner);
        long padBefore = rowVersion("pads", work.id());

        notes.edit(owner, note.id(), work, "a renamed", "new text");

        assertThat(rowVersion("users", owner)).as("the owner's row is not written by an edit").isEqualTo(userBefore);
        assertThat(rowVersion("pads", work.id())).as("the pad's row is not written by an edit").isEqualTo(padBefore);
        notes.create(owner, work, "b", "x");
        assertThat(rowVersion("users", owner)).as("a new note changes the owner's count").isNotEqualTo(userBefore);
        assertThat(rowVersion("pads", work.id())).as("and the pad's count").isNotEqualTo(padBefore);
    }

    @Test
    void bulkSqlWritesAndAUserDeletionKeepCountsRight() {
        long owner = newUser();
        Pad pad = pads.create(owner, "bulk");
        jdbc.sql("insert into notes (owner_id, pad_id, name, text) select ?, case when g % 2 = 0 then ? end, 'n' || g, 'x' "
                + "from generate_series(1, 500) g").param(owner).param(pad.id()).update();
        assertThat(storedCount("users", owner)).isEqualTo(500);
        assertThat(storedCount("pads", pad.id())).isEqualTo(250);
        jdbc.sql("update notes set pad_id = null where owner_id = ? and id % 5 = 0 and pad_id is not null")
                .param(owner).update();
        jdbc.sql("delete from notes where owner_id = ? and id % 7 = 0").param(owner).update();
        assertCountsMatch(owner);

        jdbc.sql("delete from users where id = ?").param(owner).update(); // cascades to pads and notes
        assertThat(count("select count(*) from notes where owner_id = ?", owner)).isZero();
    }

    @Test
    void concurrentWritersOnOneAccountLoseNoCount() throws Exception {
        long owner = newUser();
        List<Pad> ownPads = List.of(pads.create(owner, "p1"), pads.create(owner, "p2"), pads.create(owner, "p3"));
        int writers = 6;
        int operationsEach = 40;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                long seed = w;
                done.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    List<Note> mine = new ArrayList<>();
                    for (int i = 0; i < operationsEach; i++) {
                        Pad somePad = random.nextInt(4) == 0 ? null : ownPads.get(random.nextInt(ownPads.size()));
                        int action = mine.isEmpty() ? 0 : random.nextInt(3);
                        if (action == 0) {
                            mine.add(notes.create(owner, somePad, "n" + i, "x"));
                        } else if (action == 1) {
                            Note note = mine.get(random.nextInt(mine.size()));
                            mine.set(mine.indexOf(note), notes.edit(owner, note.id(), somePad, note.name(), "moved"));
                        } else {
                            notes.delete(owner, mine.remove(random.nextInt(mine.size())).id());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> writer : done) {
                writer.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(count("select count(*) from notes where owner_id = ?", owner)).as("some notes left").isPositive();
        assertCountsMatch(owner);
    }

    @Test
    void notesMovedBetweenTwoPadsInOppositeDirectionsAtOnceNeverDeadlock() throws Exception {
        long owner = newUser();
        Pad a = pads.create(owner, "a");
        Pad b = pads.create(owner, "b");
        int writers = 8;
        List<Note> own = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            own.add(notes.create(owner, w % 2 == 0 ? a : b, "n" + w, "x"));
        }
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                Note note = own.get(w);
                boolean startsInA = w % 2 == 0;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 60; i++) { // even writers go a -> b -> a ..., odd ones b -> a -> b ...
                        Pad target = (i % 2 == 0) == startsInA ? b : a;
                        notes.edit(owner, note.id(), target, note.name(), "move " + i);
                    }
                    return null;
                }));
            }
            for (Future<?> writer : done) {
                writer.get(60, TimeUnit.SECONDS); // a deadlock victim would surface here as PessimisticLockingFailureException
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(storedCount("pads", a.id()) + storedCount("pads", b.id())).isEqualTo(writers);
        assertCountsMatch(owner);
    }

    @Test
    void theMigrationCountsTheNotesThatAlreadyExist() throws Exception {
        String admin = "jdbc:postgresql://127.0.0.1:" + EmbeddedDataStores.shared().postgresPort() + "/postgres";
        try (var c = DriverManager.getConnection(admin, "postgres", ""); var s = c.createStatement()) {
            s.execute("drop database if exists note_count_backfill");
            s.execute("create database note_count_backfill");
        }
        String url = admin.replace("/postgres", "/note_count_backfill");
        Flyway.configure().dataSource(url, "postgres", "").locations("classpath:db/migration").target("2").load().migrate();
        try (var c = DriverManager.getConnection(url, "postgres", ""); var s = c.createStatement()) {
            s.execute("insert into users (email, password_hash) values ('a@example.com', 'x'), ('b@example.com', 'x')");
            s.execute("insert into pads (owner_id, name) select id, 'pad' from users where email = 'a@example.com'");
            s.execute("insert into notes (owner_id, pad_id, name, text) select u.id, case when g <= 7 then p.id end, 'n', 'x' "
                    + "from users u left join pads p on p.owner_id = u.id, generate_series(1, 10) g where u.email = 'a@example.com'");
        }
        Flyway.configure().dataSource(url, "postgres", "").locations("classpath:db/migration").load().migrate();
        try (var c = DriverManager.getConnection(url, "postgres", "");
             var rs = c.createStatement().executeQuery("select (select string_agg(email || '=' || note_count, ',' order by email) "
                     + "from users), (select note_count from pads)")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("a@example.com=10,b@example.com=0");
            assertThat(rs.getInt(2)).isEqualTo(7);
        }
    }

    /**
     * A note moved out of a pad while the pad is deleted: the move holds the note and then needs the pads (V3's
     * triggers), so the delete must take the pad's notes before the pad. The test holds the pad the note moves to,
     * so that the move stops between the two, then lets it go once the delete is waiting too.
     */
    @Test
    void deletingAPadWhileOneOfItsNotesIsMovedOutNeverDeadlocks() throws Exception {
        long owner = newUser();
        Pad leaving = pads.create(owner, "deleted");
        Pad staying = pads.create(owner, "kept");
        Note moved = notes.create(owner, leaving, "moved", "text");
        notes.create(owner, leaving, "deleted with its pad", "text");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (var holder = DriverManager.getConnection(EmbeddedDataStores.shared().jdbcUrl(), "postgres", "")) {
            holder.setAutoCommit(false);
            holder.createStatement().execute("select 1 from pads where id = " + staying.id() + " for no key update");
            Future<?> move = pool.submit(() -> notes.edit(owner, moved.id(), staying, "moved", "text"));
            awaitWaitingBackends(1);
            Future<?> delete = pool.submit(() -> pads.delete(owner, leaving.id()));
            awaitWaitingBackends(2);
            holder.commit();
            move.get(20, TimeUnit.SECONDS);
            delete.get(20, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertThat(jdbc.sql("select pad_id from notes where id = ?").param(moved.id()).query(Long.class).single()).isEqualTo(staying.id());
        assertThat(count("select count(*) from pads where id = ?", leaving.id())).isZero();
        assertCountsMatch(owner);
    }

    private void awaitWaitingBackends(int waiting) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (count("select count(*) from pg_stat_activity where wait_event_type = 'Lock' and datname = current_database()") < waiting) {
            assertThat(System.nanoTime()).as("%d statements waiting for a lock", waiting).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
