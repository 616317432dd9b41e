package dev.notejam.app.note;

import java.util.Arrays;

/** The {@code ?order=} values of the spec; each maps to a fixed ORDER BY served by an index. */
public enum NoteOrder {
    NAME("name", "n.name asc, n.id asc"),
    NAME_DESC("-name", "n.name desc, n.id desc"),
    UPDATED("updated_at", "n.updated_at asc, n.id asc"),
    UPDATED_DESC("-updated_at", "n.updated_at desc, n.id desc");

    public static final NoteOrder DEFAULT = UPDATED_DESC;

    private final String param;
    private final String sql;

    NoteOrder(String param, String sql) {
        this.param = param;
        this.sql = sql;
    }

    /** Unknown or missing values fall back to the default order. */
    public static NoteOrder parse(String value) {
        return Arrays.stream(values()).filter(o -> o.param.equals(value)).findFirst().orElse(DEFAULT);
    }

    public String param() {
        return param;
    }

    String sql() {
        return sql;
    }
}
