package dev.notejam.app.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import java.net.ConnectException;
import java.sql.SQLException;

/** Turns "connection refused" deep in a start-up stack trace into one clear message. */
class DatabaseStartupFailureAnalyzer extends AbstractFailureAnalyzer<SQLException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SQLException cause) {
        if (!"08001".equals(cause.getSQLState()) && !(cause.getCause() instanceof ConnectException)) {
            return null;
        }
        return new FailureAnalysis(
                "Notejam cannot reach its PostgreSQL database: " + cause.getMessage(),
                "Check that PostgreSQL is running and reachable, and set SPRING_DATASOURCE_URL, "
                        + "SPRING_DATASOURCE_USERNAME and SPRING_DATASOURCE_PASSWORD. "
                        + "For a local run with embedded databases use: ./mvnw -pl notejam-app spring-boot:test-run",
                cause);
    }
}
