package dev.notejam.backup.postgres;

/**
 * Row count of one table, and optionally the SHA-256 of its rows in primary-key order as PostgreSQL's COPY text
 * format prints them (with fixed DateStyle, TimeZone and float settings, so the same data gives the same digest).
 */
public record TableStats(String schema, String table, long rowCount, String rowsSha256) {

    public String qualifiedName() {
        return schema + "." + table;
    }
}
