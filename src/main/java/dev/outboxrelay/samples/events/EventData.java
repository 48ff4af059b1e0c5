package dev.outboxrelay.samples.events;

import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads the {@code data} object of an event payload shaped like the article's events. */
final class EventData {

    private EventData() {
    }

    static JsonNode of(ObjectMapper json, String payload) throws JsonProcessingException {
        if (payload == null || payload.isBlank()) {
            throw new IllegalArgumentException("the event payload is empty");
        }
        return required(json.readTree(payload), "data");
    }

    static JsonNode required(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            throw new IllegalArgumentException("the event payload has no " + field);
        }
        return value;
    }

    static UUID uuid(JsonNode node, String field) {
        String value = required(node, field).asText();
        try {
            return UUID.fromString(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the event payload's " + field + " is not a UUID: " + value);
        }
    }
}
