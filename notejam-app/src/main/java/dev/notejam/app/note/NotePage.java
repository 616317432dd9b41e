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
}
