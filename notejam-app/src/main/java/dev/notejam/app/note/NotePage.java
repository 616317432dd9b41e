package dev.notejam.app.note;

import java.util.List;

public record NotePage(List<NoteRow> rows, long total, int page, int pageCount, NoteOrder order) {

    public static final int SIZE = 20;

    public boolean hasPrevious() {
        return page > 1;
    }

    public boolean hasNext() {
        return page < pageCount;
    }

    /** The id the next page's link starts after. */
    public Long lastId() {
        return rows.isEmpty() ? null : rows.get(rows.size() - 1).id();
    }

    /** The id the previous page's link ends before. */
    public Long firstId() {
        return rows.isEmpty() ? null : rows.get(0).id();
    }
}
