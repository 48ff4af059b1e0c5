package dev.outboxrelay.outbox;

import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Appends an event to the outbox inside the caller's transaction, for code running in this JVM. Applications
 * elsewhere insert the same row themselves (README, "The outbox table").
 */
public class OutboxWriter {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;

    OutboxWriter(JdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Requires a transaction: an event written outside the business transaction is exactly what the outbox avoids. */
    @Transactional(propagation = Propagation.MANDATORY)
    public void append(UUID eventId, String aggregateType, String aggregateId, String eventType, Object payload,
                       Map<String, String> headers) {
        jdbc.update("""
                INSERT INTO outbox_event (id, aggregate_type, aggregate_id, event_type, payload, headers)
                VALUES (?, ?, ?, ?, ?, ?)""",
                eventId, aggregateType, aggregateId, eventType, toJson(payload),
                headers.isEmpty() ? null : toJson(headers));
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write event as JSON", e);
        }
    }
}
