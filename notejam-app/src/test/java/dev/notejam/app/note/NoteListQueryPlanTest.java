package dev.notejam.app.note;

import dev.notejam.app.testsupport.Browser;
import dev.notejam.app.testsupport.StatementCounter;
import dev.notejam.app.testsupport.WebTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The list queries are served by indexes at scale (checked with EXPLAIN on real PostgreSQL), with no N+1. */
class NoteListQueryPlanTest extends WebTest {

    private static final int NOTES = 10_000;

    @Autowired
    StatementCounter statements;

    @Autowired
    DataSource dataSource;

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

    /** EXPLAIN of the page-id query by OFFSET (NoteListQuery.offsetIdsSql), with this test's owner and pad. */
    private List<String> plan(boolean inPad, NoteOrder order, int offset) {
        return jdbc.sql("explain " + NoteListQuery.offsetIdsSql(inPad, order))
                .param("owner", owner).param("pad", pad).param("limit", NotePage.SIZE).param("offset", offset)
                .query(String.class).list();
    }

    /** Sort key and id of the note at {@code offset} of the list in that order: where a pager link's page starts. */
    private Object[] noteAt(boolean inPad, NoteOrder order, int offset) {
        return jdbc.sql("select n.id, " + order.keyColumn() + " as sort_key from notes n where n.owner_id = :owner"
                        + (inPad ? " and n.pad_id = :pad" : "") + " order by " + order.sql() + " limit 1 offset :offset")
                .param("owner", owner).param("pad", pad).param("offset", offset)
                .query((rs, i) -> new Object[]{rs.getObject("sort_key", order.keyType()), rs.getLong("id")})
                .single();
    }

    /** The plan lines that pick the page's ids: from the Limit down. */
    private static String pagePicking(List<String> plan) {
        int limit = plan.stream().filter(line -> line.contains("Limit")).findFirst().map(plan::indexOf).orElseThrow();
        return String.join("\n", plan.subList(limit, plan.size()));
    }

    @ParameterizedTest
    @EnumSource(NoteOrder.class)
    void allNotesPagesPickIdsFromTheOrdersIndexWithoutSorting(NoteOrder order) {
        String expectedIndex = order == NoteOrder.NAME || order == NoteOrder.NAME_DESC ? "notes_owner_name_folded_idx" : "notes_owner_updated_idx";
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
        String expectedIndex = order == NoteOrder.NAME || order == NoteOrder.NAME_DESC ? "notes_pad_name_folded_idx" : "notes_pad_updated_idx";
        List<String> plan = plan(true, order, 0);
        assertThat(pagePicking(plan)).contains(expectedIndex).doesNotContain("Sort");
        assertThat(String.join("\n", plan)).doesNotContain("Seq Scan on notes");
    }

    /**
     * The seek that reads a page from a known start (page 200 here), as PostgreSQL plans it for the values: the
     * order's index from the start on, the row comparison in the index condition, and no sort and no walk over
     * earlier notes.
     */
    @ParameterizedTest
    @EnumSource(NoteOrder.class)
    void seeksFromANoteOfAPagerLinkGoStraightToItInTheOrdersIndexBothWays(NoteOrder order) {
        boolean byName = order == NoteOrder.NAME || order == NoteOrder.NAME_DESC;
        for (boolean inPad : new boolean[]{false, true}) {
            String index = (inPad ? "notes_pad_" : "notes_owner_") + (byName ? "name_folded_idx" : "updated_idx");
            Object[] start = noteAt(inPad, order, inPad ? 1_999 : 3_979);
            for (String sql : new String[]{NoteListQuery.seekIdsSql(inPad, order), NoteListQuery.seekBackIdsSql(inPad, order)}) {
                List<String> plan = jdbc.sql("explain " + sql).param("owner", owner).param("pad", pad)
                        .param("key", start[0]).param("id", start[1])
                        .param("limit", NotePage.SIZE).query(String.class).list();
                String planText = String.join("\n", plan);
                assertThat(planText).as("%s, pad %s:\n%s", order, inPad, planText)
                        // The pad's index has no owner_id column: its 20 rows are checked in the table.
                        .containsPattern((inPad ? "Index Scan " : "Index Only Scan ") + "(Backward )?using " + index)
                        .containsPattern("Index Cond: .*ROW\\(")
                        .doesNotContain("Sort").doesNotContain("Seq Scan on notes");
            }
        }
    }

    /**
     * The page-id statements always get a plan made for their values: the app runs them as unnamed statements,
     * never prepared on the server, where PostgreSQL could switch to a generic plan costed for the average pad. The
     * same statement run through the driver's default way is prepared on the server from its fifth use, as the
     * control shows. Checked on one connection in {@code pg_prepared_statements}.
     */
    @Test
    void pageIdStatementsAreNeverPreparedOnTheServer() throws SQLException {
        String sql = NoteListQuery.seekIdsSql(true, NoteOrder.NAME);
        Object[] start = noteAt(true, NoteOrder.NAME, 99);
        Map<String, Object> params = new HashMap<>(Map.of("owner", owner, "pad", pad, "key", start[0],
                "id", start[1], "limit", NotePage.SIZE));
        try (Connection connection = dataSource.getConnection()) {
            var oneConnection = new NamedParameterJdbcTemplate(new SingleConnectionDataSource(connection, true));
            for (int run = 0; run < 10; run++) {
                assertThat(NoteListQuery.queryPlannedForValues(oneConnection, sql, params, (rs, i) -> rs.getLong("id")))
                        .hasSize(NotePage.SIZE);
            }
            assertThat(preparedOnServer(connection, sql)).as("as the app runs it").isZero();
            for (int run = 0; run < 10; run++) {
                oneConnection.queryForList(sql, params);
            }
            assertThat(preparedOnServer(connection, sql)).as("the driver's default").isEqualTo(1);
        }
    }

    private static long preparedOnServer(Connection connection, String namedSql) throws SQLException {
        // The server sees the statement with numbered parameters: match its parameter-free ending.
        String ending = namedSql.substring(namedSql.indexOf("order by"), namedSql.indexOf(":limit"));
        try (var query = connection.prepareStatement("select count(*) from pg_prepared_statements "
                + "where statement like '%n.id) > ($%' and statement like ?")) {
            query.setString(1, "%" + ending + "$%");
            try (ResultSet rs = query.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static List<String> lines(Statement statement, String sql) throws SQLException {
        List<String> lines = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery(sql)) {
            while (rs.next()) {
                lines.add(rs.getString(1));
            }
        }
        return lines;
    }

    /**
     * What the server runs for the app's prepared row query, on a connection of the app's pool: the statement
     * prepared and run five times (the driver prepares it on the server from its fifth use), then explained. The
     * plan must be the cached one, built without the values (a parameter in it, not the literal ids), so that no
     * page pays for planning it again, and it must read the 20 notes by primary key.
     */
    @ParameterizedTest
    @EnumSource(NoteOrder.class)
    void theRowQueryRunsOnItsCachedPlanByPrimaryKey(NoteOrder order) throws SQLException {
        List<Long> ids = jdbc.sql("select id from notes where owner_id = ? order by id limit ?")
                .param(owner).param(NotePage.SIZE).query(Long.class).list();
        String idArray = "'{" + String.join(",", ids.stream().map(String::valueOf).toList()) + "}'";
        List<String> plan = cachedPlan(NoteListQuery.rowsSql(order).replace(":ids", "$1"), "bigint[]", idArray);
        String planText = String.join("\n", plan);
        assertThat(planText).as("%s: the cached plan, not one planned for the values", order)
                .contains("= ANY ($1)").doesNotContain("'{"); // a plan made for the values shows the id array literal
        assertThat(planText).contains("Index Scan using notes_pkey").doesNotContain("Seq Scan on notes");
    }

    private List<String> cachedPlan(String sql, String parameterTypes, String arguments) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("prepare plan_probe(" + parameterTypes + ") as " + sql);
            try {
                for (int run = 0; run < 5; run++) {
                    statement.execute("execute plan_probe(" + arguments + ")");
                }
                return lines(statement, "explain execute plan_probe(" + arguments + ")");
            } finally {
                statement.execute("deallocate plan_probe");
            }
        }
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
