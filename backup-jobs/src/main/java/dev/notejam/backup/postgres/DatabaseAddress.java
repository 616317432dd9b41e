package dev.notejam.backup.postgres;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A PostgreSQL JDBC URL taken apart, so the same database can be reached by JDBC and by pg_dump/pg_restore
 * (through libpq's PG* environment variables: the password never appears on a command line).
 */
public record DatabaseAddress(String host, int port, String database, Map<String, String> parameters) {

    public static DatabaseAddress parse(String jdbcUrl) {
        if (!jdbcUrl.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException("not a PostgreSQL JDBC URL: " + jdbcUrl);
        }
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("the database URL needs one host, e.g. jdbc:postgresql://db:5432/notejam");
        }
        String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
        if (path.isEmpty()) {
            throw new IllegalArgumentException("the database URL names no database, e.g. jdbc:postgresql://db:5432/notejam");
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        if (uri.getQuery() != null) {
            for (String pair : uri.getQuery().split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    parameters.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        return new DatabaseAddress(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 5432, path, Map.copyOf(parameters));
    }

    public DatabaseAddress withDatabase(String otherDatabase) {
        return new DatabaseAddress(host, port, otherDatabase, parameters);
    }

    public String jdbcUrl() {
        StringBuilder url = new StringBuilder("jdbc:postgresql://").append(host).append(':').append(port).append('/').append(database);
        String separator = "?";
        for (Map.Entry<String, String> p : parameters.entrySet()) {
            url.append(separator).append(p.getKey()).append('=').append(p.getValue());
            separator = "&";
        }
        return url.toString();
    }

    /** Host, port and database only: safe for logs. */
    public String describe() {
        return host + ":" + port + "/" + database;
    }

    /** libpq settings for pg_dump/pg_restore. */
    public Map<String, String> libpqEnvironment(String user, String password) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PGHOST", host);
        env.put("PGPORT", Integer.toString(port));
        env.put("PGDATABASE", database);
        env.put("PGUSER", user);
        if (password != null && !password.isEmpty()) {
            env.put("PGPASSWORD", password);
        }
        String sslMode = parameters.get("sslmode");
        if (sslMode != null) {
            env.put("PGSSLMODE", sslMode);
        }
        String sslRootCert = parameters.get("sslrootcert");
        if (sslRootCert != null) {
            env.put("PGSSLROOTCERT", sslRootCert);
        }
        env.put("PGAPPNAME", "notejam-backup");
        env.put("PGCONNECT_TIMEOUT", "10");
        return env;
    }
}
