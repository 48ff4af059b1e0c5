package dev.outboxrelay.outbox;

/** Times that several instances compare are taken from the database clock, never from each JVM's own. */
final class DbClock {

    /**
     * SQL for "now plus ? seconds", the parameter bound as a double; valid on PostgreSQL and H2 ({@link SqlDialect}
     * says it the MySQL way).
     */
    static final String NOW_PLUS_SECONDS = "CURRENT_TIMESTAMP + CAST(? AS DOUBLE PRECISION) * INTERVAL '1' SECOND";
    /** SQL for "now minus ? seconds", the same way. */
    static final String NOW_MINUS_SECONDS = "CURRENT_TIMESTAMP - CAST(? AS DOUBLE PRECISION) * INTERVAL '1' SECOND";

    private DbClock() {
    }
}
