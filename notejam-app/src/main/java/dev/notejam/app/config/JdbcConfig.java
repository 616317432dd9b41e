package dev.notejam.app.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.jdbc.core.dialect.JdbcPostgresDialect;
import org.springframework.data.jdbc.core.dialect.JdbcDialect;

@Configuration(proxyBeanMethods = false)
class JdbcConfig {

    /**
     * Notejam runs on PostgreSQL only: naming the dialect saves a connection at start-up and lets Spring's AOT
     * processing run without a database.
     */
    @Bean
    JdbcDialect jdbcDialect() {
        return JdbcPostgresDialect.INSTANCE;
    }
}
