package dev.outboxrelay.outbox;

import java.time.Duration;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The {@code retention} row of {@code outbox_lease}: one relay instance at a time purges. A lease row rather than a
 * PostgreSQL advisory lock: it works on H2 as well, holds no connection between statements (an advisory lock lives
 * in one session, which would have to stay out of the pool for the whole purge, and a transaction-pooling proxy
 * such as PgBouncer does not keep it), and shows who purges ({@code SELECT * FROM outbox_lease}). Timed by the
 * database clock and held by the process's token, like the partition leases. The holder keeps it from one run to
 * the next; another instance takes it over once it expired (the holder crashed) or was released (a clean stop).
 *
 * <p>The lease spares the database a second purge; it is not needed for correctness: two purges at once would
 * delete the same rows once, the second waiting for the first's row locks.
 */
class RetentionLease {

    private static final String NAME = "retention";

    private final JdbcTemplate jdbc;
    private final SqlDialect dialect;
    private final String owner;
    private final String token;
    private final double seconds;
    /** Whether this process took the lease since it started: a stop then has something to release. */
    private volatile boolean taken;

    /** @param length how long the lease lasts after each renewal: beyond the next run, so the holder keeps it */
    RetentionLease(JdbcTemplate jdbc, SqlDialect dialect, String owner, String token, Duration length) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.owner = owner;
        this.token = token;
        this.seconds = length.toMillis() / 1000.0;
    }

    /** Takes the lease if it is free or expired, or renews it if this process holds it; false if another does. */
    boolean hold() {
        boolean held = jdbc.update(dialect.sql("UPDATE outbox_lease SET owner = ?, owner_token = ?, lease_until = "
                + DbClock.NOW_PLUS_SECONDS + " WHERE name = ? AND (owner_token = ? OR lease_until IS NULL"
                + " OR lease_until <= CURRENT_TIMESTAMP)"), owner, token, seconds, NAME, token) == 1;
        if (held) {
            taken = true;
        }
        return held;
    }

    /** At a clean stop: another instance may purge at its next run rather than after the lease expired. */
    void release() {
        if (!taken) {
            return;
        }
        jdbc.update("UPDATE outbox_lease SET owner = NULL, owner_token = NULL, lease_until = NULL"
                + " WHERE name = ? AND owner_token = ?", NAME, token);
    }
}
