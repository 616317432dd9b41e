package dev.notejam.app.config;

import dev.notejam.app.testsupport.EmbeddedDataStores;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.boot.flyway.autoconfigure.FlywayMigrationStrategy;
import org.springframework.mock.env.MockEnvironment;

import java.sql.DriverManager;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code SPRING_FLYWAY_ENABLED=false} keeps app pods off the schema even in the fast-start (Spring AOT) mode, where
 * the auto-configuration itself can no longer be switched off at run time. Real PostgreSQL, one database per case.
 */
class FlywaySwitchTest {

    private final EmbeddedDataStores stores = EmbeddedDataStores.shared();

    @Test
    void disabledLeavesAnEmptyDatabaseUntouched() throws SQLException {
        String url = freshDatabase("flyway_switch_off");
        strategy("false").migrate(flyway(url));
        assertThat(tables(url)).isZero();
    }

    @Test
    void enabledOrUnsetMigrates() throws SQLException {
        String url = freshDatabase("flyway_switch_on");
        strategy(null).migrate(flyway(url));
        assertThat(tables(url)).isGreaterThanOrEqualTo(4); // users, pads, notes, reset tokens (+ history)
    }

    private static FlywayMigrationStrategy strategy(String enabled) {
        MockEnvironment environment = new MockEnvironment();
        if (enabled != null) {
            environment.setProperty("spring.flyway.enabled", enabled);
        }
        return new JdbcConfig().migrateUnlessDisabled(environment);
    }

    private static Flyway flyway(String url) {
        return Flyway.configure().dataSource(url, "postgres", "").locations("classpath:db/migration").load();
    }

    private String freshDatabase(String name) throws SQLException {
        String admin = "jdbc:postgresql://127.0.0.1:" + stores.postgresPort() + "/postgres";
        try (var c = DriverManager.getConnection(admin, "postgres", ""); var s = c.createStatement()) {
            s.execute("drop database if exists " + name);
            s.execute("create database " + name);
        }
        return "jdbc:postgresql://127.0.0.1:" + stores.postgresPort() + "/" + name;
    }

    private static int tables(String url) throws SQLException {
        try (var c = DriverManager.getConnection(url, "postgres", "");
             var rs = c.createStatement().executeQuery(
                     "select count(*) from information_schema.tables where table_schema = 'public'")) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
