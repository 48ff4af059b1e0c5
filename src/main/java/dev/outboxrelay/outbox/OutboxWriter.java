package dev.outboxrelay.outbox;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.tracing.TraceContext;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Appends an event to the outbox inside the caller's transaction, for code running in this JVM. Applications
 * elsewhere insert the same row themselves (README, "The outbox table").
 *
 * <p>The span current at the append (the HTTP request's, a receiving route's) goes with the event as its
 * {@code traceparent} header, so that the relay and the receivers continue that trace (README, Tracing).
 */
public class OutboxWriter {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json;
    private final Tracer tracer;
    private final Propagator propagator;

    /** @param tracer null (with {@code propagator}) when tracing is not on the classpath */
    OutboxWriter(JdbcTemplate jdbc, ObjectMapper json, Tracer tracer, Propagator propagator) {
        this.jdbc = jdbc;
        this.json = json;
        this.tracer = tracer;
        this.propagator = propagator;
    }

    /**
     * Requires a transaction: an event written outside the business transaction is exactly what the outbox avoids.
     * A current span's context replaces a {@code traceparent} in {@code headers}: it is the more precise one (an
     * HTTP request's span continues the caller's trace).
     */
    @Transactional(propagation = Propagation.MANDATORY)
    public void append(UUID eventId, String aggregateType, String aggregateId, String eventType, Object payload,
                       Map<String, String> headers) {
        Map<String, String> rowHeaders = withCurrentTraceContext(headers);
        jdbc.update("""
                INSERT INTO outbox_event (id, aggregate_type, aggregate_id, event_type, payload, headers)
                VALUES (?, ?, ?, ?, ?, ?)""",
                eventId, aggregateType, aggregateId, eventType, toJson(payload),
                rowHeaders.isEmpty() ? null : toJson(rowHeaders));
    }

    private Map<String, String> withCurrentTraceContext(Map<String, String> headers) {
        TraceContext current = tracer == null ? null : tracer.currentTraceContext().context();
        if (current == null) {
            return headers;
        }
        Map<String, String> withContext = new LinkedHashMap<>(headers);
        propagator.inject(current, withContext, Map::put);
        return withContext;
    }

    private String toJson(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write event as JSON", e);
        }
    }
}
