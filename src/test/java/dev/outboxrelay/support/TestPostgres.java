package dev.outboxrelay.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import javax.sql.DataSource;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** One real PostgreSQL server per test JVM; each test class gets a database of its own. */
public final class TestPostgres {

    private static EmbeddedPostgres server;

    private TestPostgres() {
    }

    /**
     * Closes a database to new connections and ends the open ones (true), or opens it again (false): the database
     * briefly unavailable, as in a failover.
     */
    public static synchronized void setUnavailable(String name, boolean unavailable) {
        try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("ALTER DATABASE " + name + " ALLOW_CONNECTIONS " + !unavailable);
            if (unavailable) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Creates a fresh database and answers its JDBC URL (user postgres, no password). */
    public static synchronized String newDatabase(String name) {
        try {
            if (server == null) {
                server = EmbeddedPostgres.builder().start();
            }
            try (Connection c = server.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + name);
                s.execute("CREATE DATABASE " + name);
            }
            return server.getJdbcUrl("postgres", name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The database at {@code url} with the application's schema, created before any relay runs. */
    public static DataSource migrated(String url) {
        DataSource dataSource = new DriverManagerDataSource(url, "postgres", "");
        Flyway.configure().dataSource(dataSource)
                .locations("classpath:db/migration/postgresql", "classpath:db/migration/common").load().migrate();
        return dataSource;
    }
}
