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
        long total = (padId == null
                ? jdbc.sql("select note_count from users where id = :owner")
                : jdbc.sql("select note_count from pads where id = :pad and owner_id = :owner").param("pad", padId))
                .param("owner", ownerId)
                .query(Long.class).optional().orElse(0L);
        int pageCount = (int) Math.max(1, (total + NotePage.SIZE - 1) / NotePage.SIZE);
        int page = Math.min(parsePage(pageParam), pageCount);
        Long[] ids = pageIds(new PageStarts.Page(ownerId, padId, order, page));
        List<NoteRow> rows = ids.length == 0 ? List.of() : jdbc.sql(rowsSql(order))
                .param("ids", new SqlParameterValue(Types.ARRAY, ids))
                .query((rs, i) -> new NoteRow(rs.getLong("id"), rs.getString("name"),
                        rs.getObject("updated_at", java.time.OffsetDateTime.class).toInstant(),
                        (Long) rs.getObject("pad_id"), rs.getString("pad_name")))
                .list();
        return new NotePage(rows, total, page, pageCount, order);
    }

    /** A note's place in the list: its id and sort key, and the owner's notes version the statement saw. */
    private record Listed(long id, Object key, long notesVersion) {

        PageStarts.Start asStart() {
            return new PageStarts.Start(notesVersion, key, id);
        }
    }

    private Long[] pageIds(PageStarts.Page page) {
        PageStarts.Start start = pageStarts.get(page);
        if (start != null) {
            Map<String, Object> params = listParams(page);
            params.put("afterKey", start.afterKey());
            params.put("afterId", start.afterId());
            params.put("notesVersion", start.notesVersion());
            params.put("limit", NotePage.SIZE);
            List<Listed> notes = queryPlannedForValues(namedJdbc, seekIdsSql(page.padId() != null, page.order()), params,
                    (rs, i) -> listed(rs, page.order(), start.notesVersion()));
            // Empty: the owner's notes changed since the start was read (a page is never empty otherwise).
            if (!notes.isEmpty()) {
                seeks.increment();
                pageStarts.put(page.next(), notes.get(notes.size() - 1).asStart());
                return notes.stream().map(Listed::id).toArray(Long[]::new);
            }
        }
        offsets.increment();
        // From page 2 on, one note more in front: the note before the page, where the page starts.
        boolean withNoteBefore = page.number() > 1;
        Map<String, Object> params = listParams(page);
        params.put("limit", NotePage.SIZE + (withNoteBefore ? 1 : 0));
        params.put("offset", (long) (page.number() - 1) * NotePage.SIZE - (withNoteBefore ? 1 : 0));
        List<Listed> notes = queryPlannedForValues(namedJdbc, offsetIdsSql(page.padId() != null, page.order()), params,
                (rs, i) -> listed(rs, page.order(), rs.getLong("notes_version")));
        if (withNoteBefore && !notes.isEmpty()) {
            pageStarts.put(page, notes.get(0).asStart());
            notes = notes.subList(1, notes.size());
        }
        if (!notes.isEmpty()) {
            pageStarts.put(page.next(), notes.get(notes.size() - 1).asStart());
        }
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

    private static Listed listed(ResultSet rs, NoteOrder order, long notesVersion) throws SQLException {
        return new Listed(rs.getLong("id"), rs.getObject("sort_key", order.keyType()), notesVersion);
    }

    private static String listFilter(boolean inPad) {
        return inPad ? "n.owner_id = :owner and n.pad_id = :pad" : "n.owner_id = :owner";
    }

    /**
     * Step one of a deferred join, by OFFSET: the page's ids and sort keys from the order's index alone (an
     * index-only scan that skips the offset's rows without reading them), and the owner's notes version in the same
     * snapshot. Planned for the values of each call ({@link #queryPlannedForValues}), since how many notes the owner
     * or pad has decides the best plan. {@code order}'s SQL comes from the enum, never from the request.
     */
    static String offsetIdsSql(boolean inPad, NoteOrder order) {
        return """
                select n.id, %s as sort_key, (select u.notes_version from users u where u.id = :owner) as notes_version
                from notes n where %s order by %s limit :limit offset :offset"""
                .formatted(order.keyColumn(), listFilter(inPad), order.sql());
    }

    /**
     * Step one by seek: the notes after a known page start, read from the order's index from that point. They are
     * returned only if the owner's notes are still at the start's version, checked in this statement's snapshot,
     * so no write committed in between can make it read a moved boundary.
     */
    static String seekIdsSql(boolean inPad, NoteOrder order) {
        return """
                select n.id, %s as sort_key from notes n
                where %s and %s
                  and exists (select 1 from users u where u.id = :owner and u.notes_version = :notesVersion)
                order by %s limit :limit"""
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

    static int parsePage(String value) {
        if (value == null || value.isEmpty() || value.length() > 9 || !value.chars().allMatch(Character::isDigit)) {
            return 1;
        }
        return Math.max(1, Integer.parseInt(value));
    }
}
