package dev.outboxrelay.support;

import javax.sql.DataSource;

/** The test database servers by the JDBC URL they answered ({@link TestPostgres}, {@link TestMariaDb}). */
public final class TestDatabase {

    private TestDatabase() {
    }

    public static String user(String url) {
        return isMariaDb(url) ? TestMariaDb.USER : "postgres";
    }

    public static String password(String url) {
        return isMariaDb(url) ? TestMariaDb.PASSWORD : "";
    }

    /** The database at {@code url} with the application's schema, created before any relay runs. */
    public static DataSource migrated(String url) {
        return isMariaDb(url) ? TestMariaDb.migrated(url) : TestPostgres.migrated(url);
    }

    private static boolean isMariaDb(String url) {
        return url.startsWith("jdbc:mariadb:");
    }
}
