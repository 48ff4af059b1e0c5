package dev.outboxrelay.outbox;

import java.time.Instant;
import java.util.UUID;

/** One claimed row of {@code outbox_event}. */
public record OutboxEvent(UUID id, String aggregateType, String aggregateId, String eventType,
                          String payload, String headers, Instant createdAt, int attempts) {

    AggregateKey aggregate() {
        return new AggregateKey(aggregateType, aggregateId);
    }

    record AggregateKey(String type, String id) {
    }
}
