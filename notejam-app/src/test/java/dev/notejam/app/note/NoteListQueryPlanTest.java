package dev.notejam.app.note;

import dev.notejam.app.testsupport.Browser;
import dev.notejam.app.testsupport.StatementCounter;
import dev.notejam.app.testsupport.WebTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The list queries are served by indexes at scale (checked with EXPLAIN on real PostgreSQL), with no N+1. */
class NoteListQueryPlanTest extends WebTest {

    private static final int NOTES = 10_000;

    @Autowired
    StatementCounter statements;

    private static long owner;
    private static long pad;
    private static Browser ownerBrowser;

    @BeforeEach
    void userWithTenThousandNotes() {
        if (ownerBrowser != null) {
            return;
        }
        String email = uniqueEmail();
        String otherEmail = uniqueEmail();
        Browser browser = signedInUser(email);
        signedInUser(otherEmail);
        owner = jdbc.sql("select id from users where email = ?").param(email).query(Long.class).single();
        long someoneElse = jdbc.sql("select id from users where email = ?").param(otherEmail).query(Long.class).single();
        pad = createPad(browser, "big pad");
        // Other users' notes too, so the planner must pick the owner's rows out of a larger table.
        jdbc.sql("""
                insert into notes (owner_id, pad_id, name, text, updated_at)
                select ?, case when g % 3 = 0 then ? end, 'note ' || g, 'text ' || g, now() - g * interval '1 minute'
                from generate_series(1, ?) g""").param(owner).param(pad).param(NOTES).update();
        jdbc.sql("insert into notes (owner_id, name, text) select ?, 'other ' || g, 'x' from generate_series(1, ?) g")
                .param(someoneElse).param(NOTES).update();
        // VACUUM as autovacuum would after a bulk insert: it marks the pages all-visible for index-only scans.
        jdbc.sql("vacuum analyze notes").update();
        ownerBrowser = browser;
    }

    /** EXPLAIN of the query the app runs (NoteListQuery.pageSql), with this test's owner and pad. */
    private List<String> plan(boolean inPad, NoteOrder order, int offset) {
        return jdbc.sql("explain " + NoteListQuery.pageSql(inPad, order))
                .param("owner", owner).param("pad", pad).param("limit", NotePage.SIZE).param("offset", offset)
                .query(String.class).list();
    }

    /** The plan lines that pick the page's ids: from the Limit down to the fetch of the 20 notes by primary key. */
    private static String pagePicking(List<String> plan) {
        int limit = plan.stream().filter(line -> line.contains("Limit")).findFirst().map(plan::indexOf).orElseThrow();
        int fetch = plan.stream().filter(line -> line.contains("notes_pkey")).findFirst().map(plan::indexOf).orElseThrow();
        assertThat(fetch).as("the notes are fetched after their ids are picked").isGreaterThan(limit);
        return String.join("\n", plan.subList(limit, fetch));
    }

    @ParameterizedTest
    @EnumSource(NoteOrder.class)
    void allNotesPagesPickIdsFromTheOrdersIndexWithoutSorting(NoteOrder order) {
        String expectedIndex = order == NoteOrder.NAME || order == NoteOrder.NAME_DESC ? "notes_owner_name_idx" : "notes_owner_updated_idx";
        for (int offset : new int[]{0, 3_980}) {
            List<String> plan = plan(false, order, offset);
            assertThat(pagePicking(plan)).as("%s offset %d", order, offset)
                    .containsPattern("Index Only Scan (Backward )?using " + expectedIndex).doesNotContain("Sort");
            assertThat(String.join("\n", plan)).doesNotContain("Seq Scan on notes");
        }
    }

    @ParameterizedTest
    @EnumSource(NoteOrder.class)
    void padPagesPickIdsFromThePadIndexesWithoutSorting(NoteOrder order) {
        String expectedIndex = order == NoteOrder.NAME || order == NoteOrder.NAME_DESC ? "notes_pad_name_idx" : "notes_pad_updated_idx";
        List<String> plan = plan(true, order, 0);
        assertThat(pagePicking(plan)).contains(expectedIndex).doesNotContain("Sort");
        assertThat(String.join("\n", plan)).doesNotContain("Seq Scan on notes");
    }

    @Test
    void noteCountsAreReadFromTheOwnersAndPadsRowsNotCounted() {
        assertThat(jdbc.sql("select note_count from users where id = ?").param(owner).query(Long.class).single())
                .isEqualTo(NOTES);
        assertThat(jdbc.sql("select note_count from pads where id = ?").param(pad).query(Long.class).single())
                .isEqualTo(NOTES / 3);
        assertThat(ownerBrowser.get("/pads/" + pad + "/").html().selectFirst("h1").text()).isEqualTo("big pad (" + NOTES / 3 + ")");
    }

    @Test
    void listPagesRunTheSameNumberOfStatementsWhateverTheRowCount() {
        Browser small = signedInUser();
        long smallPad = createPad(small, "small pad");
        createNote(small, "only one", "x", smallPad);

        int forOneRow = statementsFor(small, "/");
        int forTwentyRows = statementsFor(ownerBrowser, "/");
        int padPageOneRow = statementsFor(small, "/pads/" + smallPad + "/");
        int padPageTwentyRows = statementsFor(ownerBrowser, "/pads/" + pad + "/");

        assertThat(forTwentyRows).as("all notes, 20 rows vs 1 row").isEqualTo(forOneRow).isLessThanOrEqualTo(5);
        assertThat(padPageTwentyRows).as("pad page, 20 rows vs 1 row").isEqualTo(padPageOneRow).isLessThanOrEqualTo(6);
        assertThat(ownerBrowser.get("/?page=200").html().select("table.notes tbody tr")).hasSize(20);
    }

    private int statementsFor(Browser browser, String path) {
        long before = statements.count();
        Browser.Response page = browser.get(path);
        assertThat(page.status()).isEqualTo(200);
        return (int) (statements.count() - before);
    }

    @Test
    void pageTwoHundredOfTenThousandNotesIsServed() {
        Browser.Response page = ownerBrowser.get("/?page=200&order=name");
        assertThat(page.html().selectFirst("h1").text()).isEqualTo("All notes (" + NOTES + ")");
        assertThat(page.html().select(".pager").text()).contains("Page 200 of 500");
    }
}
