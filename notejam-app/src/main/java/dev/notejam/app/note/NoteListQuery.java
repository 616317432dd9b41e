package dev.notejam.app.note;

import org.springframework.jdbc.core.SqlParameterValue;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.sql.Types;
import java.util.List;

/**
 * Paged note lists for the all-notes and pad pages: the note count kept on the user's or pad's row (maintained by
 * triggers, migration V3), then the page in two index-served statements.
 */
@Component
public class NoteListQuery {

    private final JdbcClient jdbc;

    NoteListQuery(JdbcClient jdbc) {
        this.jdbc = jdbc;
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
        Long[] ids = jdbc.sql(pageIdsSql(padId != null, order))
                .param("owner", ownerId).param("pad", padId)
                .param("limit", NotePage.SIZE).param("offset", (long) (page - 1) * NotePage.SIZE)
                .query(Long.class).list().toArray(Long[]::new);
        List<NoteRow> rows = ids.length == 0 ? List.of() : jdbc.sql(rowsSql(order))
                .param("ids", new SqlParameterValue(Types.ARRAY, ids))
                .query((rs, i) -> new NoteRow(rs.getLong("id"), rs.getString("name"),
                        rs.getObject("updated_at", java.time.OffsetDateTime.class).toInstant(),
                        (Long) rs.getObject("pad_id"), rs.getString("pad_name")))
                .list();
        return new NotePage(rows, total, page, pageCount, order);
    }

    /**
     * Step one of a deferred join: the page's ids, from the order's index alone (an index-only scan that skips the
     * offset's rows without reading them). Page 200 runs ~3x faster than reading and joining every skipped row.
     * PostgreSQL plans this one for the values of each call, since how many notes the owner or pad has decides the
     * best plan; a single table plans in a few hundredths of a millisecond. {@code order.sql()} comes from the enum,
     * never from the request.
     */
    static String pageIdsSql(boolean inPad, NoteOrder order) {
        String filter = inPad ? "n.owner_id = :owner and n.pad_id = :pad" : "n.owner_id = :owner";
        return "select n.id from notes n where %s order by %s limit :limit offset :offset".formatted(filter, order.sql());
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
