package dev.notejam.app.note;

import java.time.OffsetDateTime;
import java.util.Arrays;

/**
 * The {@code ?order=} values of the spec; each maps to a fixed ORDER BY served by an index, with the note's id as
 * the tie-breaker, and to the row comparison that seeks past a given note in that order.
 */
public enum NoteOrder {
    NAME("name", NoteOrder.NAME_KEY, String.class, false),
    NAME_DESC("-name", NoteOrder.NAME_KEY, String.class, true),
    UPDATED("updated_at", "n.updated_at", OffsetDateTime.class, false),
    UPDATED_DESC("-updated_at", "n.updated_at", OffsetDateTime.class, true);

    public static final NoteOrder DEFAULT = UPDATED_DESC;

    /**
     * Names sort ignoring case, and the same on every PostgreSQL: ASCII letters folded to lower case and then compared
     * byte by byte (collation "C"), not by the database's default collation, which puts "Banana" before "apple" in
     * one database and after it in another. Other letters compare by code point. Served by migration V5's indexes.
     */
    private static final String NAME_KEY = "lower(n.name collate \"C\")";

    private final String param;
    private final String sql;
    private final String keyColumn;
    private final Class<?> keyType;
    private final String after;
    private final String before;
    private final String reversed;

    NoteOrder(String param, String keyColumn, Class<?> keyType, boolean descending) {
        String direction = descending ? "desc" : "asc";
        this.param = param;
        this.sql = "%s %s, n.id %s".formatted(keyColumn, direction, direction);
        this.keyColumn = keyColumn;
        this.keyType = keyType;
        this.after = "(%s, n.id) %s (:key, :id)".formatted(keyColumn, descending ? "<" : ">");
        this.before = "(%s, n.id) %s (:key, :id)".formatted(keyColumn, descending ? ">" : "<");
        String opposite = descending ? "asc" : "desc";
        this.reversed = "%s %s, n.id %s".formatted(keyColumn, opposite, opposite);
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

    /** The column this order sorts by before the id. */
    String keyColumn() {
        return keyColumn;
    }

    /** The Java type the key column is read as and bound back as (timestamps keep their microseconds). */
    Class<?> keyType() {
        return keyType;
    }

    /** Notes that come after the note {@code (:key, :id)} in this order; served by the order's index. */
    String afterSql() {
        return after;
    }

    /** Notes that come before the note {@code (:key, :id)} in this order. */
    String beforeSql() {
        return before;
    }

    /** This order backwards, for reading the notes before a given one from the same index. */
    String reversedSql() {
        return reversed;
    }
}
