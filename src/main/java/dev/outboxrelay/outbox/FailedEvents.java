package dev.outboxrelay.outbox;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;

/** What an operator does with FAILED rows: list them, retry one after a fix, or skip it to release its aggregate. */
public class FailedEvents {

    private final JdbcTemplate jdbc;
    private final SqlDialect dialect;

    FailedEvents(JdbcTemplate jdbc, SqlDialect dialect) {
        this.jdbc = jdbc;
        this.dialect = dialect;
    }

    public List<Map<String, Object>> list(int limit) {
        return jdbc.queryForList(dialect.sql("""
                SELECT id, aggregate_type, aggregate_id, event_type, attempts, last_error, created_at
                FROM outbox_event WHERE status = 'FAILED' ORDER BY seq FETCH FIRST ? ROWS ONLY"""), limit);
    }

    public Map<String, Long> countByStatus() {
        Map<String, Long> counts = new TreeMap<>();
        jdbc.query("SELECT status, COUNT(*) AS n FROM outbox_event GROUP BY status",
                rs -> { counts.put(rs.getString("status"), rs.getLong("n")); });
        return counts;
    }

    /** PENDING, PUBLISHED, FAILED or SKIPPED; empty for an id the table does not hold. */
    public Optional<String> status(UUID eventId) {
        return jdbc.queryForList("SELECT status FROM outbox_event WHERE id = ?", String.class, eventId).stream()
                .findFirst();
    }

    /** Back to PENDING with a fresh set of attempts; its aggregate's later events follow once it is published. */
    public boolean retry(UUID eventId) {
        return jdbc.update(dialect.sql("""
                UPDATE outbox_event SET status = 'PENDING', attempts = 0, next_attempt_at = CURRENT_TIMESTAMP
                WHERE id = ? AND status = 'FAILED'"""), eventId) == 1;
    }

    /**
     * Gives up on the event (kept as SKIPPED for the record, until {@code outbox.retention.published} after the skip)
     * so its aggregate's later events flow again.
     */
    public boolean skip(UUID eventId) {
        return jdbc.update(dialect.sql("UPDATE outbox_event SET status = 'SKIPPED', skipped_at = CURRENT_TIMESTAMP"
                + " WHERE id = ? AND status = 'FAILED'"), eventId) == 1;
    }
}
