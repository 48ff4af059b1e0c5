package dev.outboxrelay.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;

/** Writes and reads outbox rows the way any application would: plain SQL against the table contract. */
public final class OutboxRows {

    private final JdbcTemplate jdbc;

    public OutboxRows(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Inserts {@code count} events spread round-robin over {@code aggregates} aggregates; answers them in order. */
    public List<Row> insert(String aggregateType, int aggregates, int count) {
        return insert(aggregateType, aggregates, 0, count);
    }

    /** The same, continuing a stream of which {@code from} events were inserted before (positions go on). */
    public List<Row> insert(String aggregateType, int aggregates, int from, int count) {
        List<Row> rows = new ArrayList<>(count);
        for (int i = from; i < from + count; i++) {
            String aggregateId = aggregateType + "-" + (i % aggregates);
            rows.add(new Row(UUID.randomUUID(), aggregateType, aggregateId, i / aggregates));
        }
        for (int first = 0; first < count; first += 1000) {
            List<Object[]> batch = new ArrayList<>();
            for (Row row : rows.subList(first, Math.min(count, first + 1000))) {
                batch.add(new Object[] {row.id(), row.aggregateType(), row.aggregateId(), "test.happened",
                        "{\"aggregateId\":\"" + row.aggregateId() + "\",\"n\":" + row.n() + "}"});
            }
            jdbc.batchUpdate("INSERT INTO outbox_event (id, aggregate_type, aggregate_id, event_type, payload)"
                    + " VALUES (?, ?, ?, ?, ?)", batch);
        }
        return rows;
    }

    public UUID insertOne(String aggregateType, String aggregateId, String payload) {
        return insertOne(aggregateType, aggregateId, payload, null);
    }

    /** With the row's own message headers, a JSON object (or null for none). */
    public UUID insertOne(String aggregateType, String aggregateId, String payload, String headers) {
        UUID id = UUID.randomUUID();
        jdbc.update("INSERT INTO outbox_event (id, aggregate_type, aggregate_id, event_type, payload, headers)"
                + " VALUES (?, ?, ?, 'test.happened', ?, ?)", id, aggregateType, aggregateId, payload, headers);
        return id;
    }

    public Map<String, Object> row(UUID id) {
        return jdbc.queryForMap("SELECT status, attempts, last_error FROM outbox_event WHERE id = ?", id);
    }

    public long count(String status) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM outbox_event WHERE status = ?", Long.class, status);
    }

    /** {@code n} is the event's position within its aggregate, which the payload carries too. */
    public record Row(UUID id, String aggregateType, String aggregateId, int n) {
    }
}
