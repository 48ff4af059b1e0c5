package dev.outboxrelay.outbox;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.WebEndpoint;
import org.springframework.http.HttpStatus;

/**
 * {@code GET /actuator/outbox}: rows per status and the FAILED ones with their errors.
 * {@code POST /actuator/outbox/{eventId}/retry} or {@code .../skip}: release a FAILED event's aggregate; 400 for an
 * id that is not a UUID or another action, 404 for an unknown event, 409 for an event that is not FAILED.
 */
@WebEndpoint(id = "outbox")
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
    WebEndpointResponse<Map<String, Object>> release(@Selector String eventId, @Selector String action) {
        if (!action.equals("retry") && !action.equals("skip")) {
            return refused(HttpStatus.BAD_REQUEST, "action must be retry or skip, not " + action);
        }
        Optional<UUID> id = uuid(eventId);
        if (id.isEmpty()) {
            return refused(HttpStatus.BAD_REQUEST,
                    "eventId must be a UUID such as 0082e6ce-d6e6-4c7c-9b22-84da4e25f823, not " + eventId);
        }
        boolean done = action.equals("retry") ? failedEvents.retry(id.get()) : failedEvents.skip(id.get());
        if (done) {
            return new WebEndpointResponse<>(Map.of("eventId", eventId, "action", action, "result", "done"));
        }
        return failedEvents.status(id.get())
                .map(status -> refused(HttpStatus.CONFLICT, "event " + eventId + " is " + status
                        + "; only a FAILED event can be retried or skipped"))
                .orElseGet(() -> refused(HttpStatus.NOT_FOUND, "no event " + eventId));
    }

    /** The canonical form only: UUID.fromString also takes "1-1-1-1-1". */
    private static Optional<UUID> uuid(String text) {
        try {
            UUID id = UUID.fromString(text);
            return id.toString().equalsIgnoreCase(text) ? Optional.of(id) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static WebEndpointResponse<Map<String, Object>> refused(HttpStatus status, String message) {
        String error = status == HttpStatus.BAD_REQUEST ? "invalid request"
                : status.getReasonPhrase().toLowerCase(Locale.ROOT);
        return new WebEndpointResponse<>(Map.of("error", error, "message", message), status.value());
    }
}
