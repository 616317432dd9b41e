package dev.notejam.app.note;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.postgresql.PGStatement;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.RowMapperResultSetExtractor;
import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcOperations;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Paged note lists for the all-notes and pad pages: the note count kept on the user's or pad's row (maintained by
 * triggers, migration V3), the page's ids from the order's index, then those notes by primary key.
 * <p>
 * A page's ids come from an index seek past the note before it when {@link PageStarts} knows that note for the
 * owner's current notes version (pages visited before, and the page after each one read), otherwise from OFFSET.
 * Both page-id statements are planned for their values on every call ({@link #queryPlannedForValues}), since how
 * many notes the owner or pad has decides the best plan.
 */
@Component
public class NoteListQuery {

    private final JdbcClient jdbc;
    private final NamedParameterJdbcOperations namedJdbc;
    private final PageStarts pageStarts;
    private final Counter seeks;
    private final Counter offsets;

    NoteListQuery(JdbcClient jdbc, NamedParameterJdbcOperations namedJdbc, PageStarts pageStarts, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.namedJdbc = namedJdbc;
        this.pageStarts = pageStarts;
        this.seeks = pageReads(meters, "seek");
        this.offsets = pageReads(meters, "offset");
    }

    private static Counter pageReads(MeterRegistry meters, String how) {
        return Counter.builder("notejam.note.list.page.reads")
                .description("Note list pages whose ids were read by an index seek from a known page start, or by OFFSET")
                .tag("read", how).register(meters);
    }

    /**
     * @param padId     null for all of the owner's notes
     * @param pageParam raw {@code ?page=}; anything but a positive number means page 1, past the end means the last page
     */
    public NotePage page(long ownerId, Long padId, NoteOrder order, String pageParam) {
        ListState list = (padId == null
                ? jdbc.sql("select note_count, notes_version from users where id = :owner")
                : jdbc.sql("""
                        select p.note_count, u.notes_version from pads p join users u on u.id = p.owner_id
                        where p.id = :pad and p.owner_id = :owner""").param("pad", padId))
                .param("owner", ownerId)
                .query((rs, i) -> new ListState(rs.getLong("note_count"), rs.getLong("notes_version")))
                .optional().orElse(ListState.EMPTY);
        int pageCount = (int) Math.max(1, (list.total() + NotePage.SIZE - 1) / NotePage.SIZE);
        int page = Math.min(parsePage(pageParam), pageCount);
        Long[] ids = pageIds(new PageStarts.Page(ownerId, padId, order, page), list.notesVersion());
        List<NoteRow> rows = ids.length == 0 ? List.of() : jdbc.sql(rowsSql(order))
                .param("ids", new SqlParameterValue(Types.ARRAY, ids))
                .query((rs, i) -> new NoteRow(rs.getLong("id"), rs.getString("name"),
                        rs.getObject("updated_at", java.time.OffsetDateTime.class).toInstant(),
                        (Long) rs.getObject("pad_id"), rs.getString("pad_name")))
                .list();
        return new NotePage(rows, list.total(), page, pageCount, order);
    }

    /** The list's note count and the owner's notes version, read in one snapshot at the start of the request. */
    private record ListState(long total, long notesVersion) {

        static final ListState EMPTY = new ListState(0, -1);
    }

    /** A note's place in the list: its id and sort key. */
    private record Listed(long id, Object key) {
    }

    /**
     * The page's ids. A start is used only if it was learnt at the version this request read, so no write since then,
     * by any replica, can have moved it; and a start is learnt under that same version, read no later than the notes
     * it comes from, so a write in between makes it stale at once, never wrongly current.
     */
    private Long[] pageIds(PageStarts.Page page, long notesVersion) {
        PageStarts.Start start = pageStarts.get(page);
        if (start != null && start.notesVersion() == notesVersion) {
            Map<String, Object> params = listParams(page);
            params.put("afterKey", start.afterKey());
            params.put("afterId", start.afterId());
            params.put("limit", NotePage.SIZE);
            List<Listed> notes = queryPlannedForValues(namedJdbc, seekIdsSql(page.padId() != null, page.order()), params,
                    (rs, i) -> listed(rs, page.order()));
            // Empty only if notes were deleted after this request read the version: then by OFFSET.
            if (!notes.isEmpty()) {
                seeks.increment();
                learn(page.next(), notesVersion, notes.get(notes.size() - 1));
                return ids(notes);
            }
        }
        offsets.increment();
        // From page 2 on, one note more in front: the note before the page, where the page starts.
        boolean withNoteBefore = page.number() > 1;
        Map<String, Object> params = listParams(page);
        params.put("limit", NotePage.SIZE + (withNoteBefore ? 1 : 0));
        params.put("offset", (long) (page.number() - 1) * NotePage.SIZE - (withNoteBefore ? 1 : 0));
        List<Listed> notes = queryPlannedForValues(namedJdbc, offsetIdsSql(page.padId() != null, page.order()), params,
                (rs, i) -> listed(rs, page.order()));
        if (withNoteBefore && !notes.isEmpty()) {
            learn(page, notesVersion, notes.get(0));
            notes = notes.subList(1, notes.size());
        }
        if (!notes.isEmpty()) {
            learn(page.next(), notesVersion, notes.get(notes.size() - 1));
        }
        return ids(notes);
    }

    private void learn(PageStarts.Page page, long notesVersion, Listed noteBefore) {
        pageStarts.put(page, new PageStarts.Start(notesVersion, noteBefore.key(), noteBefore.id()));
    }

    private static Long[] ids(List<Listed> notes) {
        return notes.stream().map(Listed::id).toArray(Long[]::new);
    }

    private static Map<String, Object> listParams(PageStarts.Page page) {
        Map<String, Object> params = new HashMap<>();
        params.put("owner", page.ownerId());
        params.put("pad", page.padId());
        return params;
    }

    /**
     * Runs a page-id statement as an unnamed statement on the server, so that PostgreSQL plans it for these values
     * on every call. The driver would otherwise prepare it on the server from its fifth use, and PostgreSQL would
     * then switch to one generic plan when that looks no dearer; a generic plan is costed for the average owner and
     * pad, and with many small pads it read a big pad by bitmap and sorted it (seen in the test database). Planning
     * these single-table statements takes a few hundredths of a millisecond.
     */
    static <T> List<T> queryPlannedForValues(NamedParameterJdbcOperations jdbc, String sql, Map<String, ?> params,
                                              RowMapper<T> rowMapper) {
        return jdbc.execute(sql, params, statement -> {
            statement.unwrap(PGStatement.class).setPrepareThreshold(0);
            try (ResultSet rows = statement.executeQuery()) {
                return new RowMapperResultSetExtractor<>(rowMapper).extractData(rows);
            }
        });
    }

    private static Listed listed(ResultSet rs, NoteOrder order) throws SQLException {
        return new Listed(rs.getLong("id"), rs.getObject("sort_key", order.keyType()));
    }

    private static String listFilter(boolean inPad) {
        return inPad ? "n.owner_id = :owner and n.pad_id = :pad" : "n.owner_id = :owner";
    }

    /**
     * Step one of a deferred join, by OFFSET: the page's ids and sort keys from the order's index alone (an
     * index-only scan that skips the offset's rows without reading them). {@code order}'s SQL comes from the enum,
     * never from the request.
     */
    static String offsetIdsSql(boolean inPad, NoteOrder order) {
        return "select n.id, %s as sort_key from notes n where %s order by %s limit :limit offset :offset"
                .formatted(order.keyColumn(), listFilter(inPad), order.sql());
    }

    /** Step one by seek: the notes after a known page start, read from the order's index from that point. */
    static String seekIdsSql(boolean inPad, NoteOrder order) {
        return "select n.id, %s as sort_key from notes n where %s and %s order by %s limit :limit"
                .formatted(order.keyColumn(), listFilter(inPad), order.afterSql(), order.sql());
    }

    /**
     * Step two: only those notes and their pads, by primary key. Its plan does not depend on the values, so
     * PostgreSQL keeps one per connection for the prepared statement. As a single query with the join, it planned
     * the whole of it again on every page (~1 ms under load, more than running it: BENCHMARKS.md, round 4).
     */
    static String rowsSql(NoteOrder order) {
        return """
                select n.id, n.name, n.updated_at, n.pad_id, p.name as pad_name
                from notes n
                left join pads p on p.id = n.pad_id
                where n.id = any(:ids)
                order by %s""".formatted(order.sql());
    }

    /** Page 1 unless the value is all digits; a number too long for an int is past the end, like any large one. */
    static int parsePage(String value) {
        if (value == null || value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return 1;
        }
        String digits = value.replaceFirst("^0+", "");
        return digits.length() > 9 ? Integer.MAX_VALUE : Math.max(1, digits.isEmpty() ? 1 : Integer.parseInt(digits));
    }
}
