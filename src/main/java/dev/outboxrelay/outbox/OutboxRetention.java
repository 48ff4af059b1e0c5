package dev.outboxrelay.outbox;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Deletes the rows the relay is done with once they are older than {@code outbox.retention.published}: PUBLISHED
 * rows by {@code published_at}, SKIPPED rows by {@code skipped_at}; never a PENDING or FAILED row. Every
 * {@code interval}, by the instance holding the {@link RetentionLease}, in DELETEs of at most {@code batchSize}
 * rows with a {@code pause} between them, so that the relay's claims and marks go on in between.
 */
class OutboxRetention {

    private static final Logger log = LoggerFactory.getLogger(OutboxRetention.class);
    /** A skip set by SQL that did not say when: the row counts from the first run that sees it. */
    private static final String DATE_UNDATED_SKIPS =
            "UPDATE outbox_event SET skipped_at = CURRENT_TIMESTAMP WHERE status = 'SKIPPED' AND skipped_at IS NULL";

    private final JdbcTemplate jdbc;
    private final SqlDialect dialect;
    private final RetentionProperties settings;
    private final RetentionLease lease;
    private final OutboxMetrics metrics;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "outbox-retention");
        thread.setDaemon(true);
        return thread;
    });
    /** The DELETEs for this database, PUBLISHED then SKIPPED; known at the first run. */
    private List<String> deletes;

    OutboxRetention(JdbcTemplate jdbc, SqlDialect dialect, RetentionProperties settings, RetentionLease lease,
                    OutboxMetrics metrics) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.settings = settings;
        this.lease = lease;
        this.metrics = metrics;
    }

    void start() {
        if (settings.keepsForever()) {
            log.info("outbox.retention.published is 0: PUBLISHED and SKIPPED rows are kept forever");
            return;
        }
        long interval = settings.interval().toMillis();
        scheduler.scheduleWithFixedDelay(this::purgeLogged, interval, interval, TimeUnit.MILLISECONDS);
    }

    /** Ends a purge at its next pause, then lets another instance take the purge over at once. */
    void stop() throws InterruptedException {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(10, TimeUnit.SECONDS);
        } finally {
            lease.release();
        }
    }

    /**
     * One run: deletes batch after batch until no row past the retention is left. Answers the rows deleted; none
     * when rows are kept forever or another instance holds the lease.
     */
    long purge() throws InterruptedException {
        if (settings.keepsForever() || !lease.hold()) {
            return 0;
        }
        jdbc.update(dialect.sql(DATE_UNDATED_SKIPS));
        double retentionSeconds = settings.published().toMillis() / 1000.0;
        long purged = 0;
        for (String delete : deletes()) {
            int deleted;
            do {
                deleted = jdbc.update(delete, retentionSeconds);
                purged += deleted;
                metrics.purged(deleted);
                if (deleted == settings.batchSize()) {
                    Thread.sleep(settings.pause().toMillis());
                    if (!lease.hold()) {
                        return purged;
                    }
                }
            } while (deleted == settings.batchSize());
        }
        return purged;
    }

    private void purgeLogged() {
        long started = System.nanoTime();
        try {
            long purged = purge();
            if (purged > 0) {
                log.info("Purged {} PUBLISHED and SKIPPED rows older than {} in {} ms", purged, settings.published(),
                        (System.nanoTime() - started) / 1_000_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // the next run goes on where this one stopped; a row kept a little longer does no harm
            log.warn("Purging old outbox rows failed, retried in {}: {}", settings.interval(),
                    OutboxRelay.describe(e));
        }
    }

    private List<String> deletes() {
        if (deletes == null) {
            boolean postgres = Boolean.TRUE.equals(jdbc.execute((ConnectionCallback<Boolean>) connection ->
                    "PostgreSQL".equals(connection.getMetaData().getDatabaseProductName())));
            deletes = List.of(delete(postgres, "PUBLISHED", "published_at"), delete(postgres, "SKIPPED", "skipped_at"));
        }
        return deletes;
    }

    /**
     * At most {@code batchSize} rows of {@code status} whose {@code since} is past the retention, oldest first.
     * PostgreSQL: found through the partial index on {@code since} (V14 migration) and deleted by their ctid, with
     * no second look-up in the primary key; the batch size is a literal, so that a generic plan of the prepared
     * statement still sees a small limit. MySQL and MariaDB: {@code DELETE ... LIMIT}, along the index on
     * {@code (status, since)}.
     */
    private String delete(boolean postgres, String status, String since) {
        String old = "status = '" + status + "' AND " + since + " < " + DbClock.NOW_MINUS_SECONDS;
        String first = " FETCH FIRST " + settings.batchSize() + " ROWS ONLY";
        if (postgres) {
            return "DELETE FROM outbox_event WHERE ctid = ANY(ARRAY(SELECT ctid FROM outbox_event WHERE " + old
                    + " ORDER BY " + since + first + ")) AND status = '" + status + "'";
        }
        return dialect.sql("DELETE FROM outbox_event WHERE " + old + first);
    }
}
