package dev.outboxrelay.outbox;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code GET /actuator/outbox}: rows per status and the FAILED ones with their errors.
 * {@code POST /actuator/outbox/{eventId}/retry} or {@code .../skip}: release a FAILED event's aggregate.
 */
@Endpoint(id = "outbox")
class OutboxEndpoint {

    private static final int LISTED_FAILURES = 100;
    private final FailedEvents failedEvents;

    OutboxEndpoint(FailedEvents failedEvents) {
        this.failedEvents = failedEvents;
    }

    @ReadOperation
    Map<String, Object> summary() {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("events", failedEvents.countByStatus());
        summary.put("failed", failedEvents.list(LISTED_FAILURES));
        return summary;
    }

    @WriteOperation
    Map<String, Object> release(@Selector String eventId, @Selector String action) {
        UUID id = UUID.fromString(eventId);
        boolean done = switch (action) {
            case "retry" -> failedEvents.retry(id);
            case "skip" -> failedEvents.skip(id);
            default -> throw new IllegalArgumentException("action must be retry or skip, not " + action);
        };
        return Map.of("eventId", eventId, "action", action,
                "result", done ? "done" : "no FAILED event with this id");
    }
}
