package dev.outboxrelay.outbox;

import java.sql.Timestamp;
import java.util.List;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.jdbc.core.JdbcTemplate;

/** The outbox metrics of DESIGN.md: counters kept by the relay, gauges read from the table at each scrape. */
class OutboxMetrics {

    /** On PostgreSQL an index-only scan of the partial index of V15, however many rows the table keeps. */
    static final String FAILED_ROWS = "SELECT COUNT(*) FROM outbox_event WHERE status = 'FAILED'";

    private final Counter published;
    private final Counter failed;
    private final Counter purged;
    private final JdbcTemplate jdbc;
    private final SqlDialect dialect;

    OutboxMetrics(MeterRegistry registry, JdbcTemplate jdbc, SqlDialect dialect) {
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.published = Counter.builder("outbox.events.published")
                .description("Events the broker acknowledged").register(registry);
        this.failed = Counter.builder("outbox.events.failed")
                .description("Events parked as FAILED after their last attempt").register(registry);
        this.purged = Counter.builder("outbox.events.purged")
                .description("PUBLISHED and SKIPPED rows deleted past outbox.retention.published").register(registry);
        Gauge.builder("outbox.pending.events", this, OutboxMetrics::pendingEvents)
                .description("Rows waiting to be published").register(registry);
        Gauge.builder("outbox.oldest.pending.age.seconds", this, OutboxMetrics::oldestPendingAgeSeconds)
                .description("How long the oldest waiting row has waited").register(registry);
        // the rows in the table now, also those parked before a restart or by another instance, which
        // outbox_events_failed_total (this process's parkings) does not see; a retry or a skip takes one away
        Gauge.builder("outbox.failed.events", this, OutboxMetrics::failedEvents)
                .description("Rows parked as FAILED, each holding back its aggregate until retried or skipped")
                .register(registry);
    }

    void published(int count) {
        published.increment(count);
    }

    void failed(int count) {
        failed.increment(count);
    }

    void purged(int count) {
        purged.increment(count);
    }

    private double pendingEvents() {
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM outbox_event WHERE status = 'PENDING'", Long.class);
        return count == null ? 0 : count;
    }

    private double failedEvents() {
        Long count = jdbc.queryForObject(FAILED_ROWS, Long.class);
        return count == null ? 0 : count;
    }

    private double oldestPendingAgeSeconds() {
        List<Double> age = jdbc.query(dialect.sql("""
                SELECT created_at, CURRENT_TIMESTAMP AS now FROM outbox_event
                WHERE status = 'PENDING' ORDER BY seq FETCH FIRST 1 ROWS ONLY"""), (rs, row) -> {
            Timestamp created = rs.getTimestamp("created_at");
            Timestamp now = rs.getTimestamp("now");
            return Math.max(0, now.getTime() - created.getTime()) / 1000.0;
        });
        return age.isEmpty() ? 0 : age.get(0);
    }
}
