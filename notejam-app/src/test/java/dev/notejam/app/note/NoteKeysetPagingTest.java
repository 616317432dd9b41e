package dev.notejam.app.note;

import dev.notejam.app.testsupport.Browser;
import dev.notejam.app.testsupport.WebTest;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pager's links carry the note a page starts after (next) or ends before (previous); following them reads every
 * page by an index seek, and gives the same notes as OFFSET. Real PostgreSQL; the "truth" of every comparison is a
 * plain OFFSET query run by the test.
 */
class NoteKeysetPagingTest extends WebTest {

    private static final int NOTES = 95; // 5 pages, the last one short

    @Autowired
    NoteListQuery lists;

    @Autowired
    MeterRegistry meters;

    private record Owner(long id, long padId, Browser browser) {
    }

    /** Notes with repeated names and timestamps, so that the id tie-breaker decides, and names not plain ASCII. */
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

    private static List<Long> ids(NotePage page) {
        return page.rows().stream().map(NoteRow::id).toList();
    }

    private double reads(String how) {
        return meters.get("notejam.note.list.page.reads").tag("read", how).counter().count();
    }

    @ParameterizedTest
    @EnumSource(NoteOrder.class)
    void followingTheNextAndPreviousLinksGivesTheSamePagesAsOffsetBySeeking(NoteOrder order) {
        Owner owner = ownerWithNotes();
        for (Long pad : new Long[]{null, owner.padId()}) {
            NotePage page = lists.page(owner.id(), pad, order, "1");
            assertThat(ids(page)).isEqualTo(truth(owner.id(), pad, order, 1));
            double seeksBefore = reads("seek");
            while (page.hasNext()) {
                int next = page.page() + 1;
                page = lists.page(owner.id(), pad, order, String.valueOf(next), String.valueOf(page.lastId()), null);
                assertThat(ids(page)).as("%s, pad %s, page %d", order, pad, next).isEqualTo(truth(owner.id(), pad, order, next));
            }
            int forward = page.page() - 1;
            while (page.hasPrevious()) {
                int previous = page.page() - 1;
                page = lists.page(owner.id(), pad, order, String.valueOf(previous), null, String.valueOf(page.firstId()));
                assertThat(ids(page)).as("%s, pad %s, back to page %d", order, pad, previous).isEqualTo(truth(owner.id(), pad, order, previous));
            }
            assertThat(reads("seek") - seeksBefore).as("every linked page by seek").isEqualTo(2.0 * forward);
        }
    }

    @Test
    void aLinkWithAnotherUsersOrAMissingOrAMalformedNoteIsReadByItsPageNumber() {
        Owner owner = ownerWithNotes();
        Owner other = ownerWithNotes();
        long othersNote = jdbc.sql("select max(id) from notes where owner_id = ?").param(other.id()).query(Long.class).single();
        for (String after : new String[]{String.valueOf(othersNote), "999999999999", "1 or 1=1", "-5", "", "9".repeat(40)}) {
            NotePage page = lists.page(owner.id(), null, NoteOrder.NAME, "3", after, after);
            assertThat(ids(page)).as("after=%s", after).isEqualTo(truth(owner.id(), null, NoteOrder.NAME, 3));
        }
    }

    @Test
    void theNextPageStartsRightAfterTheLastNoteShownEvenWhenANoteWasAddedInFront() {
        Owner owner = ownerWithNotes();
        NotePage first = lists.page(owner.id(), null, NoteOrder.NAME, "1");
        createNote(owner.browser(), "aaa first of all", "text", null);

        NotePage second = lists.page(owner.id(), null, NoteOrder.NAME, "2", String.valueOf(first.lastId()), null);

        assertThat(ids(second)).doesNotContain(first.lastId());
        // The new note sorts first, so the last note of page 1 is now 21st: OFFSET 20 would show it again.
        assertThat(ids(second)).isEqualTo(jdbc.sql("select n.id from notes n where n.owner_id = ? order by " + NoteOrder.NAME.sql()
                + " limit 20 offset 21").param(owner.id()).query(Long.class).list());
    }

    @Test
    void thePagersLinksCarryThePositionAndWork() {
        Owner owner = ownerWithNotes();
        Browser.Response first = owner.browser().get("/?order=name");
        String next = first.html().select(".pager a").attr("href");
        assertThat(next).startsWith("/?order=name&page=2&after=");
        Browser.Response second = owner.browser().get(next);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.html().select(".pager span").text()).isEqualTo("Page 2 of 5");
        String previous = second.html().select(".pager a").first().attr("href");
        assertThat(previous).startsWith("/?order=name&page=1&before=");
        assertThat(owner.browser().get(previous).html().select("table.notes tbody td:first-child a").eachText())
                .isEqualTo(first.html().select("table.notes tbody td:first-child a").eachText());
    }
}
