package dev.outboxrelay.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * Lets the relay purge when the latency run is warm, and watches it: the benchmark holds the retention lease (as
 * another relay instance would) until {@code warmup} has passed, then releases it; the relay takes it at its next
 * interval and purges. The purge's window runs from the release to the first reading of all rows purged.
 */
final class PurgeWatch {

    private final String database;
    private final RelayProcess relay;
    private final long rows;
    private final Duration warmup;
    private final Thread thread = new Thread(this::watch, "purge-watch");
    private volatile long releasedAtMs = -1;
    private volatile long doneAtMs = -1;
    private volatile Exception failure;

    private PurgeWatch(String database, RelayProcess relay, long rows, Duration warmup) {
        this.database = database;
        this.relay = relay;
        this.rows = rows;
        this.warmup = warmup;
        thread.setDaemon(true);
    }

    /** Before the relay starts: no instance of it purges until the watch releases the lease. */
    static void holdLease(Connection db) throws SQLException {
        try (Statement statement = db.createStatement()) {
            statement.execute("UPDATE outbox_lease SET owner = 'benchmark', owner_token = 'benchmark',"
                    + " lease_until = CURRENT_TIMESTAMP + INTERVAL '1' HOUR WHERE name = 'retention'");
        }
    }

    /** Releases the lease once {@code warmup} has passed, then watches the relay purge {@code rows}. */
    static PurgeWatch start(String database, RelayProcess relay, long rows, Duration warmup) {
        PurgeWatch watch = new PurgeWatch(database, relay, rows, warmup);
        watch.thread.start();
        return watch;
    }

    /** Waits for the purge to end; answers its window in epoch milliseconds. */
    Window await(Duration timeout) throws Exception {
        thread.join(timeout.toMillis());
        thread.interrupt();
        if (failure != null) {
            throw failure;
        }
        if (doneAtMs < 0) {
            throw new IllegalStateException("the relay did not purge its rows within " + timeout);
        }
        return new Window(releasedAtMs, doneAtMs);
    }

    private void watch() {
        try {
            LockSupport.parkNanos(warmup.toNanos());
            try (Connection db = DriverManager.getConnection(database, "postgres", "");
                 Statement statement = db.createStatement()) {
                statement.execute("UPDATE outbox_lease SET owner = NULL, owner_token = NULL, lease_until = NULL"
                        + " WHERE name = 'retention'");
            }
            releasedAtMs = System.currentTimeMillis();
            while (!Thread.currentThread().isInterrupted()) {
                Double purged = relay.purged();
                if (purged != null && purged >= rows) {
                    doneAtMs = System.currentTimeMillis();
                    return;
                }
                LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
            }
        } catch (Exception e) {
            failure = e;
        }
    }

    record Window(long startMs, long endMs) {

        boolean contains(long epochMs) {
            return epochMs >= startMs && epochMs <= endMs;
        }

        double seconds() {
            return (endMs - startMs) / 1000.0;
        }
    }
}
