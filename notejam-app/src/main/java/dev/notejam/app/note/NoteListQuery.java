package dev.notejam.app.note;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import java.util.List;

/** Paged note lists for the all-notes and pad pages: one count and one page query, both index-served. */
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
        String filter = padId == null ? "n.owner_id = :owner" : "n.owner_id = :owner and n.pad_id = :pad";
        long total = jdbc.sql("select count(*) from notes n where " + filter)
                .param("owner", ownerId).param("pad", padId)
                .query(Long.class).single();
        int pageCount = (int) Math.max(1, (total + NotePage.SIZE - 1) / NotePage.SIZE);
        int page = Math.min(parsePage(pageParam), pageCount);
        // order.sql() comes from the enum, never from the request.
        List<NoteRow> rows = jdbc.sql("""
                        select n.id, n.name, n.updated_at, n.pad_id, p.name as pad_name
                        from notes n left join pads p on p.id = n.pad_id
                        where %s
                        order by %s
                        limit :limit offset :offset""".formatted(filter, order.sql()))
                .param("owner", ownerId).param("pad", padId)
                .param("limit", NotePage.SIZE).param("offset", (long) (page - 1) * NotePage.SIZE)
                .query((rs, i) -> new NoteRow(rs.getLong("id"), rs.getString("name"),
                        rs.getObject("updated_at", java.time.OffsetDateTime.class).toInstant(),
                        (Long) rs.getObject("pad_id"), rs.getString("pad_name")))
                .list();
        return new NotePage(rows, total, page, pageCount, order);
    }

    static int parsePage(String value) {
        if (value == null || value.isEmpty() || value.length() > 9 || !value.chars().allMatch(Character::isDigit)) {
            return 1;
        }
        return Math.max(1, Integer.parseInt(value));
    }
}
