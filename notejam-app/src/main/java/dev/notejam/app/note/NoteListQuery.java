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
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Paged note lists for the all-notes and pad pages: the note count kept on the user's or pad's row (maintained by
 * triggers, migration V3), the page's ids from the order's index, then those notes by primary key.
 * <p>
 * The pager's links carry the position of the page's last note ({@code after}) or first note ({@code before}), so
 * the next or previous page is read by an index seek from that note, however deep it is, with nothing remembered
 * between requests. {@code ?page=N} alone (a typed or old link, or a position that no longer exists) is read with
 * OFFSET. Both page-id statements are planned for their values on every call ({@link #queryPlannedForValues}),
 * since how many notes the owner or pad has decides the best plan.
 */
@Component
public class NoteListQuery {

    private final JdbcClient jdbc;
    private final NamedParameterJdbcOperations namedJdbc;
    private final Counter seeks;
    private final Counter offsets;

    NoteListQuery(JdbcClient jdbc, NamedParameterJdbcOperations namedJdbc, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.namedJdbc = namedJdbc;
        this.seeks = pageReads(meters, "seek");
        this.offsets = pageReads(meters, "offset");
    }

    private static Counter pageReads(MeterRegistry meters, String how) {
        return Counter.builder("notejam.note.list.page.reads")
                .description("Note list pages whose ids were read by an index seek from a note of a pager link, or by OFFSET")
                .tag("read", how).register(meters);
    }

    /** The page {@code ?page=} asks for, read by OFFSET. */
    public NotePage page(long ownerId, Long padId, NoteOrder order, String pageParam) {
        return page(ownerId, padId, order, pageParam, null, null);
    }

    /**
     * @param padId       null for all of the owner's notes
     * @param pageParam   raw {@code ?page=}; anything but a positive number means page 1, past the end the last page;
     *                    with a position, it is only the number shown
     * @param afterParam  raw {@code ?after=}: the id of the note before the page (the pager's next link)
     * @param beforeParam raw {@code ?before=}: the id of the note after the page (the pager's previous link)
     */
    public NotePage page(long ownerId, Long padId, NoteOrder order, String pageParam, String afterParam, String beforeParam) {
        long total = (padId == null
                ? jdbc.sql("select note_count from users where id = :owner")
                : jdbc.sql("select note_count from pads where id = :pad and owner_id = :owner").param("pad", padId))
                .param("owner", ownerId)
                .query(Long.class).optional().orElse(0L);
        int pageCount = (int) Math.max(1, (total + NotePage.SIZE - 1) / NotePage.SIZE);
        int page = Math.min(parsePage(pageParam), pageCount);
        List<Long> ids = List.of();
        Long after = parseId(afterParam);
        Long before = after == null ? parseId(beforeParam) : null;
        if (after != null || before != null) {
            ids = seekIds(ownerId, padId, order, after != null ? after : before, after == null);
        }
        if (ids.isEmpty()) {
            offsets.increment();
            Map<String, Object> params = listParams(ownerId, padId);
            params.put("limit", NotePage.SIZE);
            params.put("offset", (long) (page - 1) * NotePage.SIZE);
            ids = queryPlannedForValues(namedJdbc, offsetIdsSql(padId != null, order), params, (rs, i) -> rs.getLong("id"));
        } else {
            seeks.increment();
        }
        List<NoteRow> rows = ids.isEmpty() ? List.of() : jdbc.sql(rowsSql(order))
                .param("ids", new SqlParameterValue(Types.ARRAY, ids.toArray(Long[]::new)))
                .query((rs, i) -> new NoteRow(rs.getLong("id"), rs.getString("name"),
                        rs.getObject("updated_at", java.time.OffsetDateTime.class).toInstant(),
                        (Long) rs.getObject("pad_id"), rs.getString("pad_name")))
                .list();
        return new NotePage(rows, total, page, pageCount, order);
    }

    /**
     * The ids of the page that starts after (or ends before) the given note, by an index seek from its sort key.
     * Empty when the note is not the owner's (or no longer exists) or nothing is left in that direction: the caller
     * then reads by OFFSET.
     */
    private List<Long> seekIds(long ownerId, Long padId, NoteOrder order, long noteId, boolean backwards) {
        Object key = jdbc.sql("select " + order.keyColumn() + " as sort_key from notes n where n.id = :id and n.owner_id = :owner")
                .param("id", noteId).param("owner", ownerId)
                .query((rs, i) -> rs.getObject("sort_key", order.keyType()))
                .optional().orElse(null);
        if (key == null) {
            return List.of();
        }
        Map<String, Object> params = listParams(ownerId, padId);
        params.put("key", key);
        params.put("id", noteId);
        params.put("limit", NotePage.SIZE);
        List<Long> ids = queryPlannedForValues(namedJdbc, backwards ? seekBackIdsSql(padId != null, order) : seekIdsSql(padId != null, order),
                params, (rs, i) -> rs.getLong("id"));
        if (backwards) {
            ids = new ArrayList<>(ids);
            Collections.reverse(ids);
        }
        return ids;
    }

    private static Map<String, Object> listParams(long ownerId, Long padId) {
        Map<String, Object> params = new HashMap<>();
        params.put("owner", ownerId);
        params.put("pad", padId);
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

    private static String listFilter(boolean inPad) {
        return inPad ? "n.owner_id = :owner and n.pad_id = :pad" : "n.owner_id = :owner";
    }

    /**
     * Step one of a deferred join, by OFFSET: the page's ids from the order's index alone (an index-only scan that
     * skips the offset's rows without reading them). {@code order}'s SQL comes from the enum, never from the request.
     */
    static String offsetIdsSql(boolean inPad, NoteOrder order) {
        return "select n.id from notes n where %s order by %s limit :limit offset :offset"
                .formatted(listFilter(inPad), order.sql());
    }

    /** Step one by seek: the notes after a given one, read from the order's index from that point. */
    static String seekIdsSql(boolean inPad, NoteOrder order) {
        return "select n.id from notes n where %s and %s order by %s limit :limit"
                .formatted(listFilter(inPad), order.afterSql(), order.sql());
    }

    /** The notes before a given one, nearest first (the caller turns them round): the same index read backwards. */
    static String seekBackIdsSql(boolean inPad, NoteOrder order) {
        return "select n.id from notes n where %s and %s order by %s limit :limit"
                .formatted(listFilter(inPad), order.beforeSql(), order.reversedSql());
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
    /** A note id of a pager link; anything else is ignored (the page is then read by its number). */
    static Long parseId(String value) {
        if (value == null || value.isEmpty() || value.length() > 18 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        return Long.parseLong(value);
    }

    static int parsePage(String value) {
        if (value == null || value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return 1;
        }
        String digits = value.replaceFirst("^0+", "");
        return digits.length() > 9 ? Integer.MAX_VALUE : Math.max(1, digits.isEmpty() ? 1 : Integer.parseInt(digits));
    }
}
