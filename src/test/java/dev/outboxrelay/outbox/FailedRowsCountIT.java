package dev.outboxrelay.outbox;

import dev.outboxrelay.support.TestPostgres;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * outbox_failed_events counts the FAILED rows at every scrape. On PostgreSQL it reads their partial index (V15)
 * alone: not the table, nor the index of rows holding back their aggregate, which also holds every PENDING row that
 * failed an attempt (a broker outage leaves thousands).
 */
class FailedRowsCountIT {

    @Test
    void theCountOfFailedRowsReadsOnlyTheirIndex() {
        JdbcTemplate jdbc = new JdbcTemplate(TestPostgres.migrated(TestPostgres.newDatabase("failed_rows_count_it")));
        insert(jdbc, "PUBLISHED", 0, 200_000);
        insert(jdbc, "PENDING", 3, 20_000);
        insert(jdbc, "FAILED", 25, 5);
        jdbc.execute("VACUUM ANALYZE outbox_event");

        String plan = String.join("\n", jdbc.queryForList("EXPLAIN " + OutboxMetrics.FAILED_ROWS, String.class));

        assertThat(plan).contains("Index Only Scan using outbox_event_failed_idx");
        assertThat(jdbc.queryForObject(OutboxMetrics.FAILED_ROWS, Long.class)).isEqualTo(5);
    }

    private static void insert(JdbcTemplate jdbc, String status, int attempts, int rows) {
        jdbc.update("INSERT INTO outbox_event (id, aggregate_type, aggregate_id, event_type, payload, status, attempts)"
                + " SELECT gen_random_uuid(), 'parcel', 'parcel-' || g, 'parcel.sent', '{}', ?, ?"
                + " FROM generate_series(1, ?) g", status, attempts, rows);
    }
}
